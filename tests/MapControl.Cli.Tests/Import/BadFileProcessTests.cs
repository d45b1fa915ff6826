using System.Diagnostics;
using MapControl.Tests.Corpus;

namespace MapControl.Cli.Tests.Import;

/// <summary>
/// The reproduction in a real process: <c>mapcontrol import --dry-run</c> on a Shapefile whose .shp is cut to 150 bytes, run as
/// a child process with a 512 MB GC heap cap. It used to die with OutOfMemoryException (the web server reached 23 GB); it must end with
/// a one-line error naming the truncation, well under 1 GB.
/// </summary>
public sealed class BadFileProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-cli-badfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("shp-truncated-150-bytes", "truncated")]
    [InlineData("shp-point-count-huge", "points need")]
    [InlineData("gpkg-generated-column-bomb", "too big")]
    [InlineData("kml-billion-laughs", "DTD")]
    public async Task Import_badFile_inAChildProcessWithAHeapCap_endsWithItsErrorNotOutOfMemory(string caseName, string expected)
    {
        var corpusCase = BadInputCorpus.Cases().Single(c => c.Name == caseName);
        var file = corpusCase.WriteTo(Path.Combine(_dir, caseName));
        var cli = Path.Combine(AppContext.BaseDirectory, "mapcontrol.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "import", "--layer", "oil-zones", "--file", file, "--dry-run", "--db", "Host=127.0.0.1;Port=9;Database=none;Username=none;Timeout=1" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_GCHeapHardLimit"] = "0x20000000" },
        };

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!process.HasExited && !timeout.IsCancellationRequested)
        {
            try
            {
                process.Refresh();
                peak = Math.Max(peak, process.PeakWorkingSet64);
            }
            catch (InvalidOperationException)
            {
                break;
            }

            await Task.Delay(10);
        }

        await process.WaitForExitAsync(timeout.Token);
        var error = await stderr;

        process.ExitCode.Should().NotBe(0);
        error.Should().NotContain("OutOfMemory").And.Contain(expected).And.Contain(Path.GetFileName(file).Split('.')[0]);
        (await stdout).Should().NotContain("OutOfMemory");
        peak.Should().BeLessThan(512L * 1024 * 1024, "the process stays well under 1 GB");
    }
}
