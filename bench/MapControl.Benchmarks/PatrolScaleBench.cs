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

    public static async Task<string> RunAsync(string? pgConnection, string? cli, string workDir, int[] sizes)
    {
        var md = new StringBuilder();
        md.AppendLine("| workload | MapControl in process, cold / steady | MapControl CLI, whole process | PostGIS simplified SQL | PostGIS ÷ CLI | max \\|Δ ratio\\| |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        var notes = new List<string>();
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
            if (cli is not null)
            {
                var dir = Path.Combine(workDir, $"patrol-scale-{fixes}");
                PatrolScaleFiles.Write(dir, data);
                var cliRuns = new List<double>();
                for (var i = 0; i < 3; i++) cliRuns.Add(await RunCliAsync(cli, dir).ConfigureAwait(false));
                cliMs = Median(cliRuns);
                Log($"patrol scale {fixes:N0}: CLI whole process {string.Join(", ", cliRuns.Select(r => r.ToString("F0", Inv)))} ms");
                notes.Add($"{fixes:N0} fixes: CLI runs {string.Join(", ", cliRuns.Select(r => r.ToString("F0", Inv)))} ms (`mapcontrol patrol-coverage --tracks tracks.csv --jurisdictions jurisdictions.geojson --radius-m 300 --simplify-m 5 --quadrant-segments 8`, default tolerances as the analyses use).");
            }

            double? pgMs = null;
            double? maxDiff = null;
            if (pgConnection is not null)
            {
                await using var pg = new PostGisPeer(pgConnection);
                await pg.LoadPatrolScaleAsync(data).ConfigureAwait(false);
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
                $"| {fixes:N0} fixes ({data.Units.Count} tracks), {data.Jurisdictions.Count} jurisdictions × ~{data.Jurisdictions.Values.Average(g => g.NumPoints):F0} vertices, r = 300 m | {cold:F0} / {steady:F0} ms | {(cliMs is { } c ? c.ToString("F0", Inv) + " ms" : "not run")} | {(pgMs is { } p ? p.ToString("F0", Inv) + " ms" : "not run")} | {(cliMs is { } c2 && pgMs is { } p2 ? (p2 / c2).ToString("F2", Inv) + "×" : "–")} | {(maxDiff is { } m ? m.ToString("F5", Inv) : "–")} |"));
        }

        md.AppendLine();
        foreach (var n in notes) md.AppendLine("- " + n);
        return md.ToString();
    }

    private static async Task<double> RunCliAsync(string cli, string dir)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { cli, "patrol-coverage", "--tracks", Path.Combine(dir, "tracks.csv"), "--jurisdictions", Path.Combine(dir, "jurisdictions.geojson"),
            "--radius-m", "300", "--simplify-m", "5", "--quadrant-segments", "8", "--out", Path.Combine(dir, "uncovered.geojson") })
            psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("the CLI did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var ms = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0) throw new InvalidOperationException("patrol-coverage failed: " + await stderr.ConfigureAwait(false));
        await stdout.ConfigureAwait(false);
        return ms;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Log(string message) => Console.Error.WriteLine($"[bench {DateTime.UtcNow:HH:mm:ss}] {message}");
}
