using System.Diagnostics;
using MapControl.Data.Files;
using MapControl.Tests.Corpus;

namespace MapControl.Data.Tests.Files;

/// <summary>
/// The bad-input corpus (tests/corpus) against every reader: never a crash, always a one-line <see cref="FeatureFileException"/>
/// naming the file (LimitExceeded for a bound of <see cref="ImportLimits"/>), bounded allocation and time.
/// </summary>
public sealed class BadInputCorpusTests : IDisposable
{
    private const long MaxAllocatedBytes = 100L * 1024 * 1024;
    private static readonly Lazy<IReadOnlyList<CorpusCase>> s_cases = new(BadInputCorpus.Cases);

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    public static TheoryData<string> CaseNames() => [.. s_cases.Value.Select(c => c.Name)];

    private static CorpusCase Case(string name) => s_cases.Value.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Read_badFile_givesItsClearErrorWithBoundedMemory(string name)
    {
        var corpusCase = Case(name);
        var main = corpusCase.WriteTo(_scratch.File(name));

        var (set, error, allocated, elapsed) = Measure(() => FeatureFiles.Read(main));

        allocated.Should().BeLessThan(MaxAllocatedBytes, "reading a bad file must allocate little");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
        switch (corpusCase.Outcome)
        {
            case CorpusOutcome.Repaired:
                error.Should().BeNull();
                set!.Notes.Should().Contain(n => n.Contains("repaired", StringComparison.Ordinal) && n.Contains(corpusCase.MessageContains, StringComparison.OrdinalIgnoreCase));
                break;
            default:
                error.Should().NotBeNull($"{name} must be refused");
                error!.Message.Should().NotContain("\n").And.ContainEquivalentOf(corpusCase.MessageContains);
                corpusCase.Files.Keys.Should().Contain(error.Message[..error.Message.IndexOf(':', StringComparison.Ordinal)], "the message names the file");
                error.LimitExceeded.Should().Be(corpusCase.Outcome == CorpusOutcome.LimitExceeded, error.Message);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Read_badFileUnderEveryOtherExtension_isOnlyEverAFeatureFileException(string name)
    {
        var corpusCase = Case(name);
        foreach (var extension in FeatureFiles.SupportedExtensions)
        {
            var folder = _scratch.File($"{name}{extension}");
            var main = corpusCase.WriteTo(folder);
            var renamed = Path.Combine(folder, "renamed" + extension);
            File.Copy(main, renamed);
            foreach (var sidecar in Directory.GetFiles(folder, Path.GetFileNameWithoutExtension(main) + ".*").Where(f => f != main))
            {
                File.Copy(sidecar, Path.Combine(folder, "renamed" + Path.GetExtension(sidecar)), overwrite: true);
            }

            var (_, _, allocated, _) = Measure(() => FeatureFiles.Read(renamed));

            allocated.Should().BeLessThan(MaxAllocatedBytes, $"{name} read as {extension}");
        }
    }

    /// <summary>The reproduction: the first 150 bytes of a valid .shp beside its .shx, .dbf and .prj.</summary>
    [Fact]
    public void Read_shapefileTruncatedTo150Bytes_isRefusedAfterAllocatingUnder16MB()
    {
        var main = Case("shp-truncated-150-bytes").WriteTo(_scratch.File("repro"));

        var (_, error, allocated, _) = Measure(() => FeatureFiles.Read(main));

        error.Should().NotBeNull();
        error!.Message.Should().Match("zones.shp: truncated: the header says * bytes, the file has 150");
        allocated.Should().BeLessThan(16L * 1024 * 1024);
    }

    [Theory]
    [InlineData("zones.shp")]
    [InlineData("zones.gpkg")]
    [InlineData("zones.geojson")]
    [InlineData("zones.kml")]
    [InlineData("points.csv")]
    public void Read_moreFeaturesThanTheLimit_isRefusedAsLimit(string file)
    {
        var main = WriteValid(file);
        var limits = new ImportLimits { MaxFeatures = 1 };

        var act = () => FeatureFiles.Read(main, new FeatureReadOptions { Limits = limits });

        act.Should().Throw<FeatureFileException>().Where(e => e.LimitExceeded && e.Message.Contains("more than 1 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zones.shp")]
    [InlineData("zones.gpkg")]
    [InlineData("zones.geojson")]
    [InlineData("zones.kml")]
    public void Read_moreVerticesPerFeatureThanTheLimit_isRefusedAsLimit(string file)
    {
        var main = WriteValid(file);
        var limits = new ImportLimits { MaxVerticesPerFeature = 4 };

        var act = () => FeatureFiles.Read(main, new FeatureReadOptions { Limits = limits });

        act.Should().Throw<FeatureFileException>().Where(e => e.LimitExceeded && e.Message.Contains("vertices per feature", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zones.shp")]
    [InlineData("zones.geojson")]
    public void Read_moreVerticesPerFileThanTheLimit_isRefusedAsLimit(string file)
    {
        var main = WriteValid(file);

        var act = () => FeatureFiles.Read(main, new FeatureReadOptions { Limits = new ImportLimits { MaxVertices = 12 } });

        act.Should().Throw<FeatureFileException>().Where(e => e.LimitExceeded && e.Message.Contains("vertices per file", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_fileLargerThanTheLimit_isRefusedBeforeReading()
    {
        var main = WriteValid("zones.geojson");

        var act = () => FeatureFiles.Read(main, new FeatureReadOptions { Limits = new ImportLimits { MaxFileBytes = 100 } });

        act.Should().Throw<FeatureFileException>().Where(e => e.LimitExceeded && e.Message.Contains("larger than 100", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zones.shp")]
    [InlineData("zones.gpkg")]
    [InlineData("zones.geojson")]
    [InlineData("zones.kml")]
    [InlineData("points.csv")]
    public void Read_validBaseFiles_stillRead(string file)
    {
        var set = FeatureFiles.Read(WriteValid(file));

        set.Features.Should().NotBeEmpty();
        set.Features.Should().OnlyContain(f => f.Geometry.SRID == 4326);
    }

    [Fact]
    public void Read_shapefileWithoutShx_isReadWithANote()
    {
        var main = WriteValid("zones.shp");
        File.Delete(Path.ChangeExtension(main, ".shx"));

        var set = FeatureFiles.Read(main);

        set.Features.Should().HaveCount(3);
        set.Notes.Should().Contain(n => n.Contains("no .shx", StringComparison.Ordinal));
    }

    private string WriteValid(string file)
    {
        var folder = _scratch.File("valid-" + file);
        Directory.CreateDirectory(folder);
        var valid = BadInputCorpus.ValidFiles(_scratch.File("base-" + file));
        var stem = Path.GetFileNameWithoutExtension(file);
        foreach (var (name, bytes) in valid.Where(v => Path.GetFileNameWithoutExtension(v.Key) == stem))
        {
            if (Path.GetExtension(file) == ".shp" || name == file)
            {
                File.WriteAllBytes(Path.Combine(folder, name), bytes);
            }
        }

        return Path.Combine(folder, file);
    }

    /// <summary>Runs a read on this thread: its result or FeatureFileException, the bytes it allocated and the time it took.</summary>
    internal static (FeatureSet? Set, FeatureFileException? Error, long Allocated, TimeSpan Elapsed) Measure(Func<FeatureSet> read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        FeatureSet? set = null;
        FeatureFileException? error = null;
        try
        {
            set = read();
        }
        catch (FeatureFileException e)
        {
            error = e;
        }

        return (set, error, GC.GetAllocatedBytesForCurrentThread() - before, watch.Elapsed);
    }
}
