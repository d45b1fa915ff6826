using MapControl.Data.Files;
using MapControl.Tests.Corpus;

namespace MapControl.Data.Tests.Files;

/// <summary>Uploads and zip archives staged within <see cref="ImportLimits"/>: bombs, zip-slip, broken archives, names with paths.</summary>
public sealed class ImportStagingTests : IDisposable
{
    private static readonly Lazy<IReadOnlyList<ZipCase>> s_cases = new(BadInputCorpus.ZipCases);
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    public static TheoryData<string> ZipCaseNames() => [.. s_cases.Value.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(ZipCaseNames))]
    public async Task Add_badZip_isRefusedWithLittleOnDiskAndTheFolderGoes(string name)
    {
        var zipCase = s_cases.Value.Single(c => c.Name == name);
        var staging = ImportStaging.Create();
        FeatureFileException? error = null;
        long onDisk;
        try
        {
            await using var stream = new MemoryStream(zipCase.Bytes);
            await staging.AddAsync("upload.zip", stream);
            var main = staging.FindMainFile();
            if (main is not null)
            {
                FeatureFiles.Read(main);
            }
        }
        catch (FeatureFileException e)
        {
            error = e;
        }
        finally
        {
            onDisk = Directory.EnumerateFiles(staging.FolderPath, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            staging.Dispose();
        }

        error.Should().NotBeNull($"{name} must be refused");
        error!.Message.Should().NotContain("\n").And.ContainEquivalentOf(zipCase.MessageContains);
        error.LimitExceeded.Should().Be(zipCase.Outcome == CorpusOutcome.LimitExceeded, error.Message);
        onDisk.Should().BeLessThan(16L * 1024 * 1024, "a bomb is stopped by the ratio (200 × ~64 KB packed), long before its 64 MiB");
        Directory.Exists(staging.FolderPath).Should().BeFalse();
        File.Exists(Path.Combine(Path.GetDirectoryName(staging.FolderPath)!, "evil.geojson")).Should().BeFalse();
    }

    [Fact]
    public async Task Add_entryWhoseHeadersUnderstateItsSize_neverPutsMoreThanTheLimitOnDisk()
    {
        var zip = BadInputCorpus.ZipWithLyingSize(4L << 20, claimed: 100);
        using var staging = ImportStaging.Create(new ImportLimits { MaxFileBytes = 1 << 20, MaxCompressionRatio = 1e9 });

        try
        {
            await staging.AddAsync("a.zip", new MemoryStream(zip));
        }
        catch (FeatureFileException)
        {
            // refused: as good as stopped
        }

        Directory.EnumerateFiles(staging.FolderPath, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length).Should().BeLessThanOrEqualTo(1 << 20);
    }

    [Fact]
    public async Task Add_entryLargerThanTheLimitPerFile_isRefused()
    {
        var zip = BadInputCorpus.ZipOfZeros(("big.csv", 3L << 20));
        using var staging = ImportStaging.Create(new ImportLimits { MaxFileBytes = 1 << 20, MaxCompressionRatio = 1e9 });

        var act = () => staging.AddAsync("a.zip", new MemoryStream(zip));

        (await act.Should().ThrowAsync<FeatureFileException>()).Where(e => e.LimitExceeded && e.Message.Contains("1,048,576", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Add_entriesTogetherLargerThanTheTotal_isRefused()
    {
        var zip = BadInputCorpus.ZipOfZeros(("a.csv", 1L << 20), ("b.csv", 1L << 20), ("c.csv", 1L << 20));
        using var staging = ImportStaging.Create(new ImportLimits { MaxUnpackedBytes = 2L << 20, MaxCompressionRatio = 1e9 });

        var act = () => staging.AddAsync("a.zip", new MemoryStream(zip));

        (await act.Should().ThrowAsync<FeatureFileException>()).Where(e => e.LimitExceeded && e.Message.Contains("unpack to more than", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Add_plainFileLargerThanTheLimit_isRefused()
    {
        using var staging = ImportStaging.Create(new ImportLimits { MaxFileBytes = 1000 });

        var act = () => staging.AddAsync("big.geojson", new MemoryStream(new byte[5000]));

        (await act.Should().ThrowAsync<FeatureFileException>()).Where(e => e.LimitExceeded);
    }

    [Theory]
    [InlineData("../zones.geojson")]
    [InlineData("a/zones.geojson")]
    [InlineData("..\\zones.geojson")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("C:zones.geojson")]
    [InlineData("zo\u0000nes.geojson")]
    [InlineData("")]
    public async Task Add_fileNameWithAPath_isRefused(string fileName)
    {
        using var staging = ImportStaging.Create();

        var act = () => staging.AddAsync(fileName, new MemoryStream([1, 2, 3]));

        (await act.Should().ThrowAsync<FeatureFileException>()).Where(e => !e.LimitExceeded && e.Message.StartsWith("upload: ", StringComparison.Ordinal));
        Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(staging.FolderPath)!, "zones.geojson").Should().BeEmpty();
    }

    [Fact]
    public async Task Add_zippedShapefileInAFolderWithMacMetadata_findsTheShapefile()
    {
        var valid = BadInputCorpus.ValidFiles(_scratch.File("base"));
        var zip = BadInputCorpus.Zip(
            ("__MACOSX/data/._zones.shp", [0, 5, 22, 7]),
            ("data/._zones.shp", [0, 5, 22, 7]),
            ("data/", []),
            ("data/zones.shp", valid["zones.shp"]), ("data/zones.shx", valid["zones.shx"]),
            ("data/zones.dbf", valid["zones.dbf"]), ("data/zones.prj", valid["zones.prj"]));
        using var staging = ImportStaging.Create();

        await staging.AddAsync("zones.zip", new MemoryStream(zip));
        var main = staging.FindMainFile();

        main.Should().Be(Path.Combine(staging.FolderPath, "data", "zones.shp"));
        FeatureFiles.Read(main!).Features.Should().HaveCount(3);
        Directory.GetFiles(staging.FolderPath, "*.zip").Should().BeEmpty("the uploaded archive is deleted once unpacked");
    }

    [Fact]
    public async Task Add_nonSeekableZip_isCopiedThenUnpacked()
    {
        var valid = BadInputCorpus.ValidFiles(_scratch.File("base"));
        using var staging = ImportStaging.Create();

        await staging.AddAsync("zones.zip", new ForwardOnlyStream(BadInputCorpus.Zip(("zones.geojson", valid["zones.geojson"]))));

        staging.FindMainFile().Should().EndWith("zones.geojson");
    }

    [Fact]
    public void DeleteStale_removesFoldersOfStoppedProcessesAndOldUnknownOnes_keepsLiveOnes()
    {
        var temp = _scratch.File("tmp");
        Directory.CreateDirectory(temp);
        var dead = Directory.CreateDirectory(Path.Combine(temp, "mc-import-2147483000-abc"));
        File.WriteAllText(Path.Combine(dead.FullName, "x.shp"), "x");
        var mine = Directory.CreateDirectory(Path.Combine(temp, $"mc-import-{Environment.ProcessId}-abc"));
        var oldUnknown = Directory.CreateDirectory(Path.Combine(temp, "mc-import-old123"));
        oldUnknown.LastWriteTimeUtc = DateTime.UtcNow.AddHours(-2);
        var freshUnknown = Directory.CreateDirectory(Path.Combine(temp, "mc-import-new123"));
        var other = Directory.CreateDirectory(Path.Combine(temp, "something-else"));
        other.LastWriteTimeUtc = DateTime.UtcNow.AddDays(-2);

        var deleted = ImportStaging.DeleteStale(temp);

        deleted.Should().Be(2);
        Directory.Exists(dead.FullName).Should().BeFalse();
        Directory.Exists(oldUnknown.FullName).Should().BeFalse();
        Directory.Exists(mine.FullName).Should().BeTrue();
        Directory.Exists(freshUnknown.FullName).Should().BeTrue();
        Directory.Exists(other.FullName).Should().BeTrue();
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
