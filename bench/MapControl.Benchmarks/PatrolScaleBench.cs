using System.Diagnostics;
using System.Globalization;
using System.Text;
using MapControl.Core.Crs;
using MapControl.Core.Patrol;

namespace MapControl.Benchmarks;

/// <summary>
/// Patrol coverage on the scale workload (<see cref="PatrolScaleData"/>: 200 jurisdictions × ~2,000 vertices, 10⁵ and 10⁶
/// fixes of 1,000-fix tracks, r = 300 m) side by side with the simplified PostGIS SQL: MapControl in process (cold first run
/// and steady state), the CLI as a whole process on the same data written as files, PostGIS client-side, and the largest
/// difference of the per-department coverage ratios.
/// </summary>
public static class PatrolScaleBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<string> RunAsync(string? pgConnection, string? cli, string workDir, int[] sizes, string? cliBefore = null)
    {
        var md = new StringBuilder();
        md.AppendLine("| workload | MapControl in process, cold / steady | MapControl CLI, whole process (wall / CPU / max RSS) | PostGIS simplified SQL | PostGIS ÷ CLI (wall) | max \\|Δ ratio\\| |" + (cliBefore is null ? "" : " previous CLI, same runs interleaved (wall / CPU / max RSS) |"));
        md.AppendLine("|---|---:|---:|---:|---:|---:|" + (cliBefore is null ? "" : "---:|"));
        var notes = new List<string>();
        var loadAtStart = LoadAverage();
        var started = DateTime.UtcNow;
        foreach (var fixes in sizes)
        {
            var data = PatrolScaleData.Create(fixes);
            var input = new PatrolCoverageInput(data.Jurisdictions, data.Fixes, data.Units, []);
            var options = new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: MetricProjection.Dongying);
            GC.Collect();
            var clock = Stopwatch.StartNew();
            var report = PatrolCoverage.Compute(input, options);
            var cold = clock.Elapsed.TotalMilliseconds;
            for (var w = 0; w < 2; w++) report = PatrolCoverage.Compute(input, options);
            var runs = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                clock.Restart();
                report = PatrolCoverage.Compute(input, options);
                runs.Add(clock.Elapsed.TotalMilliseconds);
            }

            var steady = Median(runs);
            Log($"patrol scale {fixes:N0}: in process cold {cold:F0} ms, steady {steady:F0} ms ({string.Join(", ", runs.Select(r => r.ToString("F0", Inv)))})");

            double? cliMs = null;
            string cliCell = "not run";
            var beforeRuns = new List<CliRun>();
            var beforeCell = "not run";
            if (cli is not null)
            {
                var dir = Path.Combine(workDir, $"patrol-scale-{fixes}");
                PatrolScaleFiles.Write(dir, data);
                Sync();
                // One untimed run first, as the SQL below has: both are then timed with their inputs and code in memory (the
                // files just written, the CLI's image; PostgreSQL's tables in its buffers).
                if (cliBefore is not null) await RunCliAsync(cliBefore, dir, timings: false).ConfigureAwait(false);
                var first = await RunCliAsync(cli, dir, timings: false).ConfigureAwait(false);
                notes.Add($"{fixes:N0} fixes: the CLI's untimed first run (its files just written): {first}.");
                var cliRuns = new List<CliRun>();
                for (var i = 0; i < 3; i++)
                {
                    // The previous CLI (when given) runs just before each run of this one, so both see the same load.
                    if (cliBefore is not null) beforeRuns.Add(await RunCliAsync(cliBefore, dir, timings: false).ConfigureAwait(false));
                    cliRuns.Add(await RunCliAsync(cli, dir, timings: i == 2).ConfigureAwait(false));
                }

                if (cliBefore is not null)
                {
                    beforeCell = string.Create(Inv, $"{Median(beforeRuns.Select(r => r.WallMs).ToList()):F0} ms / {Median(beforeRuns.Select(r => r.CpuMs).ToList()):F0} ms / {beforeRuns.Max(r => r.MaxRssMb):F0} MB");
                    notes.Add($"{fixes:N0} fixes: previous CLI runs (wall / CPU / max RSS) {string.Join("; ", beforeRuns.Select(r => r.ToString()))} (`{cliBefore}`, each run just before one of the new CLI's).");
                }
                cliMs = Median(cliRuns.Select(r => r.WallMs).ToList());
                var cpu = Median(cliRuns.Select(r => r.CpuMs).ToList());
                var rss = cliRuns.Max(r => r.MaxRssMb);
                cliCell = string.Create(Inv, $"{cliMs:F0} ms / {cpu:F0} ms / {rss:F0} MB");
                Log($"patrol scale {fixes:N0}: CLI whole process {string.Join(", ", cliRuns.Select(r => r.ToString()))}");
                notes.Add($"{fixes:N0} fixes: CLI runs (wall / CPU / max RSS) {string.Join("; ", cliRuns.Select(r => r.ToString()))} (`/usr/bin/time` of the published CLI after one untimed run, as the SQL has one: `mapcontrol patrol-coverage --tracks tracks.csv --jurisdictions jurisdictions.geojson --radius-m 300 --out …` — the defaults, simplify 5 m, 8 segments per quarter circle, as the analyses use).");
                notes.Add($"{fixes:N0} fixes: CLI phases of the last run (`--timings`): {string.Join("; ", cliRuns[^1].Timings)}.");
            }

            double? pgMs = null;
            double? maxDiff = null;
            if (pgConnection is not null)
            {
                await using var pg = new PostGisPeer(pgConnection);
                await pg.LoadPatrolScaleAsync(data).ConfigureAwait(false);
                Sync();
                var sql = PostGisPeer.PatrolScaleSql;
                await pg.TimeAsync(sql).ConfigureAwait(false);
                var pgRuns = new List<double>();
                for (var i = 0; i < 3; i++) pgRuns.Add((await pg.TimeAsync(sql).ConfigureAwait(false)).Ms);
                pgMs = Median(pgRuns);
                Log($"patrol scale {fixes:N0}: PostGIS {string.Join(", ", pgRuns.Select(r => r.ToString("F0", Inv)))} ms");
                var rows = await pg.RatiosAsync(PostGisPeer.PatrolScaleRatiosSql).ConfigureAwait(false);
                var mine = report.Departments.ToDictionary(d => d.DepartmentCode, d => d.CoverageRatio, StringComparer.Ordinal);
                maxDiff = rows.Max(r => Math.Abs((r.Area - r.Uncovered) / r.Area - mine[r.Code]));
                notes.Add($"{fixes:N0} fixes: PostGIS runs {string.Join(", ", pgRuns.Select(r => r.ToString("F0", Inv)))} ms; coverage ratios of {rows.Count} departments differ by at most {maxDiff:F5} (MapControl also drops repeat passes and computes own/neighbour coverage; mean ratio {report.Departments.Average(d => d.CoverageRatio):F4}).");
            }

            md.AppendLine(string.Create(Inv,
                $"| {fixes:N0} fixes ({data.Units.Count} tracks), {data.Jurisdictions.Count} jurisdictions × ~{data.Jurisdictions.Values.Average(g => g.NumPoints):F0} vertices, r = 300 m | {cold:F0} / {steady:F0} ms | {cliCell} | {(pgMs is { } p ? p.ToString("F0", Inv) + " ms" : "not run")} | {(cliMs is { } c2 && pgMs is { } p2 ? (p2 / c2).ToString("F2", Inv) + "×" : "–")} | {(maxDiff is { } m ? m.ToString("F5", Inv) : "–")} |{(cliBefore is null ? "" : $" {beforeCell} |")}"));
        }

        md.AppendLine();
        foreach (var n in notes) md.AppendLine("- " + n);
        md.AppendLine();
        md.AppendLine(string.Create(Inv, $"Run {started:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average at start {loadAtStart}, at end {LoadAverage()} (other builds share the machine: read the CPU column)."));
        return md.ToString();
    }

    private sealed record CliRun(double WallMs, double CpuMs, double MaxRssMb, IReadOnlyList<string> Timings)
    {
        public override string ToString() => string.Create(Inv, $"{WallMs:F0} ms / {CpuMs:F0} ms / {MaxRssMb:F0} MB");
    }

    // One whole process under /usr/bin/time (wall, user + system CPU, max RSS); with --timings the CLI's phase lines.
    private static async Task<CliRun> RunCliAsync(string cli, string dir, bool timings)
    {
        var timeFile = Path.Combine(dir, "time.txt");
        var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        // The published CLI is its own executable (self-contained, build.sh publish-cli); a .dll (an older build) runs under dotnet.
        string[] command = cli.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", cli] : [cli];
        foreach (var a in new[] { "-f", "%e %U %S %M", "-o", timeFile }.Concat(command).Concat(new[] { "patrol-coverage", "--tracks", Path.Combine(dir, "tracks.csv"),
            "--jurisdictions", Path.Combine(dir, "jurisdictions.geojson"), "--radius-m", "300", "--out", Path.Combine(dir, "uncovered.geojson") }))
            psi.ArgumentList.Add(a);
        if (timings) psi.ArgumentList.Add("--timings");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("the CLI did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var err = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException("patrol-coverage failed: " + err);
        await stdout.ConfigureAwait(false);
        var f = (await File.ReadAllTextAsync(timeFile).ConfigureAwait(false)).Trim().Split('\n')[^1].Split(' ');
        var lines = err.Split('\n').Where(l => l.StartsWith("timing: ", StringComparison.Ordinal)).Select(l => l["timing: ".Length..].Trim()).ToList();
        return new CliRun(double.Parse(f[0], Inv) * 1000, (double.Parse(f[1], Inv) + double.Parse(f[2], Inv)) * 1000, double.Parse(f[3], Inv) / 1024, lines);
    }

    /// <summary>
    /// Flushes the files just written (the CLI's inputs; PostgreSQL's loaded tables) to disk before either side is timed, so that
    /// neither side's runs pay for the kernel writing back the other's or its own fresh data (it does so up to 30 s later).
    /// </summary>
    private static void Sync()
    {
        using var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
        sync?.WaitForExit();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Log(string message) => Console.Error.WriteLine($"[bench {DateTime.UtcNow:HH:mm:ss}] {message}");
}
