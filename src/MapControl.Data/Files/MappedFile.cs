using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace MapControl.Data.Files;

/// <summary>
/// A file's bytes for one read-only pass: a large file is mapped into memory (the page cache's pages, not a fresh heap array
/// of the file's size that the kernel must zero, fault in and copy into: ~40 ms of a 15 MB GeoJSON's read), a small one is read.
/// Dispose after the pass; nothing read from <see cref="Memory"/> may be kept (copy it out: strings, numbers).
/// </summary>
internal sealed class MappedFile : IDisposable
{
    /// <summary>Files from this size on are mapped; smaller ones are read into an array.</summary>
    public const long MapFrom = 1 << 20;

    private readonly MappedMemory? _mapped;

    private MappedFile(ReadOnlyMemory<byte> memory, MappedMemory? mapped)
    {
        Memory = memory;
        _mapped = mapped;
    }

    /// <summary>The file's bytes.</summary>
    public ReadOnlyMemory<byte> Memory { get; }

    /// <summary>Opens <paramref name="path"/>: mapped from <see cref="MapFrom"/> bytes on, else read; an I/O error as <see cref="File.ReadAllBytes"/> gives it.</summary>
    public static MappedFile Open(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var length = stream.Length;
        if (length < MapFrom) return new MappedFile(File.ReadAllBytes(path), null);
        if (length > int.MaxValue) throw new IOException($"{Path.GetFileName(path)} is larger than 2 GB");
        var mapped = new MappedMemory(stream, (int)length);
        return new MappedFile(mapped.Memory, mapped);
    }

    public void Dispose() => ((IDisposable?)_mapped)?.Dispose();

    /// <summary>A read-only view of a whole file as <see cref="Memory{T}"/>.</summary>
    private sealed unsafe class MappedMemory : MemoryManager<byte>
    {
        private readonly MemoryMappedFile _file;
        private readonly MemoryMappedViewAccessor _view;
        private readonly byte* _pointer;
        private readonly int _length;

        public MappedMemory(FileStream stream, int length)
        {
            _file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            try
            {
                _view = _file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
                byte* pointer = null;
                _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
                _pointer = pointer + _view.PointerOffset;
                _length = length;
            }
            catch
            {
                _view?.Dispose();
                _file.Dispose();
                throw;
            }
        }

        public override Span<byte> GetSpan() => new(_pointer, _length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposing) return;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file.Dispose();
        }
    }
}
