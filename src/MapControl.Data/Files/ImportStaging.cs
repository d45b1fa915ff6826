using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;

namespace MapControl.Data.Files;

/// <summary>
/// A temporary folder holding the files of one import: uploaded files and what uploaded .zip archives hold, written within
/// <see cref="ImportLimits"/> (entry count from the archive's directory before anything is unpacked; bytes per file, total bytes and
/// compression ratio counted while copying, never taken from the archive's headers). Names with a path (<c>../</c>, <c>/</c>, <c>C:</c>)
/// are refused. Dispose deletes the folder; <see cref="DeleteStale"/> removes those left by a crashed process.
/// Every refusal is a <see cref="FeatureFileException"/> (with <see cref="FeatureFileException.LimitExceeded"/> for a limit).
/// </summary>
public sealed class ImportStaging : IDisposable
{
    /// <summary>Staging folders are named <c>mc-import-{process id}-{random}</c> in the temp folder.</summary>
    public const string FolderPrefix = "mc-import-";

    private const int CopyBufferBytes = 81_920;
    private readonly ImportLimits _limits;
    private long _unpacked;

    private ImportStaging(ImportLimits limits, string folder)
    {
        _limits = limits;
        FolderPath = folder;
    }

    /// <summary>The staging folder (absolute).</summary>
    public string FolderPath { get; }

    /// <summary>Creates an empty staging folder.</summary>
    public static ImportStaging Create(ImportLimits? limits = null) =>
        new(limits ?? ImportLimits.Default, Directory.CreateTempSubdirectory($"{FolderPrefix}{Environment.ProcessId}-").FullName);

    /// <summary>Adds one uploaded file; a .zip is unpacked into the folder instead. <paramref name="content"/> is read once.</summary>
    public async Task AddAsync(string fileName, Stream content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = CheckFileName(fileName);
        var isZip = name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
        var target = Path.Combine(FolderPath, isZip ? $".upload-{Guid.NewGuid():N}.zip" : name);
        if (!isZip || !content.CanSeek)
        {
            await using (var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, CopyBufferBytes, useAsync: true))
            {
                await CopyAsync(content, file, name, _limits.MaxFileBytes, compressedBytes: null, countsTowardsUnpacked: false, ct).ConfigureAwait(false);
            }

            if (!isZip)
            {
                return;
            }
        }

        try
        {
            if (content.CanSeek)
            {
                await UnzipAsync(content, name, ct).ConfigureAwait(false);
            }
            else
            {
                await using var copy = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferBytes, useAsync: true);
                await UnzipAsync(copy, name, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(target);
        }
    }

    /// <summary>The file to read: the first of a supported type (by path, ordinal), or null.</summary>
    public string? FindMainFile() =>
        Directory.EnumerateFiles(FolderPath, "*", SearchOption.AllDirectories)
            .Where(f => FeatureFiles.SupportedExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>Deletes the folder and everything in it (best effort).</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(FolderPath, recursive: true);
        }
        catch (IOException)
        {
            // left for DeleteStale
        }
        catch (UnauthorizedAccessException)
        {
            // left for DeleteStale
        }
    }

    /// <summary>
    /// Deletes staging folders in the temp folder left by processes that are no longer running (or of an unknown process and older
    /// than an hour); call at start-up. Returns how many were deleted.
    /// </summary>
    public static int DeleteStale(string? tempFolder = null)
    {
        var deleted = 0;
        var root = new DirectoryInfo(tempFolder ?? Path.GetTempPath());
        if (!root.Exists)
        {
            return 0;
        }

        foreach (var folder in root.EnumerateDirectories(FolderPrefix + "*"))
        {
            var rest = folder.Name[FolderPrefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            var stale = dash > 0 && int.TryParse(rest[..dash], out var pid)
                ? pid != Environment.ProcessId && !IsRunning(pid)
                : folder.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-1);
            if (!stale)
            {
                continue;
            }

            try
            {
                folder.Delete(recursive: true);
                deleted++;
            }
            catch (IOException)
            {
                // another process is cleaning up too
            }
            catch (UnauthorizedAccessException)
            {
                // not ours
            }
        }

        return deleted;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A file name as sent: no folders, no "..", no control characters.</summary>
    private static string CheckFileName(string fileName)
    {
        var name = fileName?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            throw new FeatureFileException("upload: a file without a name");
        }

        if (name.Length > 255 || name.IndexOfAny(['/', '\\', ':']) >= 0 || name is "." or ".." || name.Any(char.IsControl))
        {
            throw new FeatureFileException($"upload: the file name \"{Printable(name)}\" is not a plain file name (no folders, \"..\", \":\" or control characters)");
        }

        return name;
    }

    private async Task UnzipAsync(Stream zip, string zipName, CancellationToken ct)
    {
        CheckDirectory(zip, zipName);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            throw new FeatureFileException($"{zipName}: not a readable zip archive ({FeatureFileException.OneLine(ex.Message)})", ex);
        }

        using (archive)
        {
            if (archive.Entries.Count > _limits.MaxZipEntries)
            {
                throw FeatureFileException.Limit(zipName, $"{archive.Entries.Count:N0} entries, more than {_limits.MaxZipEntries:N0} (the import limit per zip)");
            }

            foreach (var entry in archive.Entries)
            {
                var relative = EntryPath(entry.FullName, zipName);
                if (relative is null)
                {
                    continue;
                }

                if (entry.Length > _limits.MaxFileBytes)
                {
                    throw FeatureFileException.Limit(zipName, $"\"{Printable(entry.FullName)}\" unpacks to {entry.Length:N0} bytes, more than {_limits.MaxFileBytes:N0} (the import limit per file)");
                }

                var target = Path.GetFullPath(Path.Combine(FolderPath, relative));
                if (!target.StartsWith(FolderPath + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new FeatureFileException($"{zipName}: the entry \"{Printable(entry.FullName)}\" points outside the archive");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                try
                {
                    await using var source = entry.Open();
                    await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, CopyBufferBytes, useAsync: true);
                    await CopyAsync(source, file, $"{zipName}: \"{Printable(entry.FullName)}\"", _limits.MaxFileBytes, entry.CompressedLength, countsTowardsUnpacked: true, ct)
                        .ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or (IOException and not FileNotFoundException and not DirectoryNotFoundException))
                {
                    throw new FeatureFileException($"{zipName}: the entry \"{Printable(entry.FullName)}\" cannot be unpacked ({FeatureFileException.OneLine(ex.Message)})", ex);
                }
            }
        }
    }

    /// <summary>
    /// Reads the end-of-central-directory record (and its Zip64 form) so an archive that lists more entries than allowed, or a
    /// directory too large for them, is refused before <see cref="ZipArchive"/> builds an object per entry.
    /// </summary>
    private void CheckDirectory(Stream zip, string zipName)
    {
        const int eocdBytes = 22;
        var length = zip.Length;
        if (length < eocdBytes)
        {
            throw new FeatureFileException($"{zipName}: not a zip archive ({length} bytes)");
        }

        var tailLength = (int)Math.Min(length, eocdBytes + ushort.MaxValue);
        var tail = new byte[tailLength];
        zip.Position = length - tailLength;
        zip.ReadExactly(tail);
        var at = -1;
        for (var i = tailLength - eocdBytes; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == 0x06054b50)
            {
                at = i;
                break;
            }
        }

        if (at < 0)
        {
            throw new FeatureFileException($"{zipName}: not a zip archive (no end of central directory)");
        }

        long entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
        long directoryBytes = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 12));
        if ((entries == ushort.MaxValue || directoryBytes == uint.MaxValue) && at >= 20
            && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at - 20)) == 0x07064b50)
        {
            var zip64At = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(at - 12));
            if (zip64At < 0 || zip64At > length - 56)
            {
                throw new FeatureFileException($"{zipName}: broken Zip64 directory");
            }

            var zip64 = new byte[56];
            zip.Position = zip64At;
            zip.ReadExactly(zip64);
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip64) != 0x06064b50)
            {
                throw new FeatureFileException($"{zipName}: broken Zip64 directory");
            }

            entries = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(32)), long.MaxValue);
            directoryBytes = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(40)), long.MaxValue);
        }

        zip.Position = 0;
        if (entries > _limits.MaxZipEntries)
        {
            throw FeatureFileException.Limit(zipName, $"{entries:N0} entries, more than {_limits.MaxZipEntries:N0} (the import limit per zip)");
        }

        // a directory entry is 46 bytes plus name, extra field and comment of up to 64 KiB each; 4 KiB per entry is generous
        if (directoryBytes > (long)_limits.MaxZipEntries * 4096 || directoryBytes > length)
        {
            throw new FeatureFileException($"{zipName}: a central directory of {directoryBytes:N0} bytes for {entries} entries is not plausible");
        }
    }

    /// <summary>The entry's path below the folder, or null for folders and macOS metadata; refuses "..", absolute paths and drive letters.</summary>
    private static string? EntryPath(string fullName, string zipName)
    {
        var normalized = fullName.Replace('\\', '/');
        if (normalized.StartsWith('/') || normalized.Contains(':', StringComparison.Ordinal) || normalized.Any(char.IsControl))
        {
            throw new FeatureFileException($"{zipName}: the entry \"{Printable(fullName)}\" has an absolute path or a drive");
        }

        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Contains(".."))
        {
            throw new FeatureFileException($"{zipName}: the entry \"{Printable(fullName)}\" climbs out of the archive with \"..\"");
        }

        if (normalized.EndsWith('/') || segments.Length == 0 || segments[0] == "__MACOSX" || segments[^1].StartsWith("._", StringComparison.Ordinal))
        {
            return null;
        }

        return Path.Combine(segments);
    }

    private async Task CopyAsync(Stream source, Stream target, string what, long maxBytes, long? compressedBytes, bool countsTowardsUnpacked, CancellationToken ct)
    {
        var buffer = new byte[CopyBufferBytes];
        long written = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            written += read;
            if (written > maxBytes)
            {
                throw FeatureFileException.LimitMessage($"{what}: more than {maxBytes:N0} bytes (the import limit per file)");
            }

            if (countsTowardsUnpacked)
            {
                _unpacked += read;
                if (_unpacked > _limits.MaxUnpackedBytes)
                {
                    throw FeatureFileException.LimitMessage($"{what}: the archives unpack to more than {_limits.MaxUnpackedBytes:N0} bytes (the import limit per upload)");
                }
            }

            if (compressedBytes is { } packed && written > ImportLimits.RatioFloorBytes && written > packed * _limits.MaxCompressionRatio)
            {
                throw FeatureFileException.LimitMessage($"{what}: unpacks more than {_limits.MaxCompressionRatio:0} times its packed size of {packed:N0} bytes (a zip bomb?)");
            }

            await target.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
        }
    }

    private static string Printable(string text)
    {
        var clean = new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return clean.Length > 80 ? clean[..80] + "…" : clean;
    }
}
