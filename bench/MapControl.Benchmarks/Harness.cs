using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MapControl.Core.Hotspots;
using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;

namespace MapControl.Benchmarks;

/// <summary>Command-line options of the harness.</summary>
public sealed record HarnessOptions(BenchSizes Sizes, string? PgConnection, string OutFile, string? TurfDir, string WorkDir)
{
    public static HarnessOptions Parse(string[] args)
    {
        var sizes = BenchSizes.Full;
        string? pg = null, turf = null;
        var outFile = "bench/results/latest.md";
        var work = Path.Combine(Path.GetTempPath(), "mapcontrol-bench");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": sizes = BenchSizes.QuickRun; break;
                case "--pg": pg = args[++i]; break;
                case "--out": outFile = args[++i]; break;
                case "--turf": turf = args[++i]; break;
                case "--work": work = args[++i]; break;
                default: throw new ArgumentException($"Unknown argument {args[i]}");
            }
        }

        return new HarnessOptions(sizes, pg, outFile, turf, work);
    }
}

/// <summary>
/// Stopwatch harness: one warm-up run, then N timed runs of each MapControl analysis (medians reported), the same data
/// loaded into PostGIS and the peer queries timed client-side, and turf.js in node — all in one process run.
/// </summary>
public static class Harness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record Row(string Analysis, double MapControlMs, string Peer, double? PeerMs, string Target, Func<double, double?, string> Verdict);

    public static async Task<int> RunAsync(HarnessOptions options)
    {
        var sizes = options.Sizes;
        var notes = new List<string>();
        var rows = new List<Row>();
        var load0 = LoadAverage();
        Log($"load average at start: {load0}");

        var clock = Stopwatch.StartNew();
        var data = BenchData.Create(sizes);
        Log($"data generated in {clock.Elapsed.TotalSeconds:F1} s: {data.Tiling.Count} jurisdictions × {data.Tiling.Average(p => p.NumPoints):F0} vertices, {data.Lon.Length:N0} incidents, {data.Fixes.Count:N0} GPS fixes");

        // ---------- MapControl side ----------
        // The coverage check runs its big methods once per check: tiered JIT promotes them after ~30 calls, so it gets
        // more warm-up runs (BenchmarkDotNet likewise warms up until the timings settle); the cold run is logged.
        var coverage = Measure("a MapControl CoverageCheck", () => Analyses.Coverage(data), sizes.CoverageIterations, CoverageWarmUps);
        var report = coverage.Last;
        var withEdges = Measure("a MapControl CoverageCheck with invalid edges", () => Analyses.CoverageWithInvalidEdges(data), sizes.CoverageIterations);
        notes.Add($"a) With invalid edges (CoverageValidator, which the peer does not compute) the check takes {withEdges.Median:F0} ms; {withEdges.Last.InvalidEdges.Count} invalid edges.");
        notes.Add($"a) MapControl: {report.Gaps.Count} gaps ({report.Gaps.Sum(g => g.AreaM2) / 1e6:F4} km²), {report.Overlaps.Count} overlaps ({report.Overlaps.Sum(o => o.AreaM2) / 1e6:F4} km²), {report.InvalidEdges.Count} invalid edges; planted {data.PlantedGaps} gaps and {data.PlantedOverlaps} overlaps.");

        var build = Measure("b MapControl PolygonIndex.Build", () => PolygonIndex.Build(data.Tiling), sizes.Iterations);
        var index = build.Last;
        var assign = Measure("b MapControl assign (Build + Locate)", () => Analyses.Assign(data, PolygonIndex.Build(data.Tiling)), sizes.Iterations);
        var locateOnly = Measure("b MapControl Locate only", () => Analyses.Assign(data, index), sizes.Iterations);
        notes.Add($"b) MapControl: {assign.Last.Assigned:N0} of {data.Lon.Length:N0} incidents assigned; index build {build.Median:F1} ms, locating {locateOnly.Median:F1} ms ({locateOnly.Median * 1e6 / data.Lon.Length:F0} ns/point).");

        var hot = Measure("c MapControl HotSpotAnalysis", () => HotSpotAnalysis.Run(data.Incidents, new HotSpotOptions()), sizes.Iterations);
        notes.Add($"c) MapControl: {hot.Last.Cells.Count:N0} cells in the study area, {hot.Last.Cells.Count(c => c.Count > 0):N0} non-empty, {hot.Last.HotCells.Count():N0} hot after Benjamini–Hochberg ({hot.Last.Cells.Count(c => c.GiZ > 1.96):N0} with z > 1.96); the time includes the lon/lat hexagon polygons of every cell.");

        var patrol = Measure("d MapControl PatrolCoverage", () => Analyses.Patrol(data), Math.Min(sizes.Iterations, 5));
        var uncovered = patrol.Last.Departments.Sum(d => d.UncoveredAreaM2);
        notes.Add($"d) MapControl: {patrol.Last.Tracks.Count} tracks, uncovered {uncovered / 1e6:F3} km² of {patrol.Last.Departments.Sum(d => d.JurisdictionAreaM2) / 1e6:F3} km² ({patrol.Last.Departments.Count} jurisdictions; blank strips off, own/neighbour coverage and repeat-pass removal on).");

        // ---------- PostGIS ----------
        (double Median, double[] Runs)? pgGaps = null, pgOverlaps = null, pgAssign = null, pgHot = null, pgPatrol = null;
        string pgVersion = "not run";
        if (options.PgConnection is { } cs)
        {
            await using var pg = new PostGisPeer(cs);
            pgVersion = await pg.VersionAsync().ConfigureAwait(false);
            clock.Restart();
            await pg.LoadAsync(data).ConfigureAwait(false);
            Log($"PostGIS loaded in {clock.Elapsed.TotalSeconds:F1} s ({pgVersion})");

            var gaps = await MeasurePg(pg, "a PostGIS gaps", PostGisPeer.GapsSql, sizes.PeerIterations).ConfigureAwait(false);
            var overlaps = await MeasurePg(pg, "a PostGIS overlaps", PostGisPeer.OverlapsSql, sizes.PeerIterations).ConfigureAwait(false);
            pgGaps = (gaps.Median, gaps.Runs);
            pgOverlaps = (overlaps.Median, overlaps.Runs);
            notes.Add($"a) PostGIS: {gaps.Count} gap polygons ({gaps.Value / 1e6:F4} km², geography area), {overlaps.Count} overlapping pairs ({overlaps.Value / 1e6:F4} km²); gaps {gaps.Median:F0} ms + overlaps {overlaps.Median:F0} ms.");

            var joined = await MeasurePg(pg, "b PostGIS GiST join", PostGisPeer.AssignSql, sizes.PeerIterations).ConfigureAwait(false);
            pgAssign = (joined.Median, joined.Runs);
            notes.Add($"b) PostGIS: {joined.Value:N0} point–polygon matches over {joined.Count} polygons.");

            var hotSql = await MeasurePg(pg, "c PostGIS hex GROUP BY + Gi*", PostGisPeer.HotSpotSql, sizes.PeerIterations).ConfigureAwait(false);
            pgHot = (hotSql.Median, hotSql.Runs);
            notes.Add($"c) PostGIS: {hotSql.Count:N0} cells in the study area, {hotSql.Value:N0} with z > 1.96 (z-scores only: no p-values or FDR in SQL, no cell polygons).");

            var patrolSql = await MeasurePg(pg, "d PostGIS MakeLine/Buffer/Union/Difference", PostGisPeer.PatrolSql, Math.Min(sizes.PeerIterations, 3)).ConfigureAwait(false);
            pgPatrol = (patrolSql.Median, patrolSql.Runs);
            notes.Add($"d) PostGIS: uncovered {patrolSql.Value / 1e6:F3} km² over {patrolSql.Count} jurisdictions (no repeat-pass removal, no per-department own coverage).");
            notes.Add("EXPLAIN of the point join (b):\n```\n" + await pg.ExplainAsync(PostGisPeer.AssignSql).ConfigureAwait(false) + "\n```");
        }

        // ---------- turf.js ----------
        double? turfMedian = null;
        if (options.TurfDir is { } turfDir)
        {
            Directory.CreateDirectory(options.WorkDir);
            var polygonsPath = Path.Combine(options.WorkDir, "polygons.geojson");
            var pointsPath = Path.Combine(options.WorkDir, "points.f64");
            await File.WriteAllTextAsync(polygonsPath, GeoJson(data.Tiling)).ConfigureAwait(false);
            var interleaved = new double[data.Lon.Length * 2];
            for (var i = 0; i < data.Lon.Length; i++) { interleaved[2 * i] = data.Lon[i]; interleaved[2 * i + 1] = data.Lat[i]; }
            await File.WriteAllBytesAsync(pointsPath, MemoryMarshal.AsBytes(interleaved.AsSpan()).ToArray()).ConfigureAwait(false);
            var output = await RunNode(turfDir, polygonsPath, pointsPath, sizes.TurfIterations).ConfigureAwait(false);
            using var json = JsonDocument.Parse(output);
            var runs = json.RootElement.GetProperty("runs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            turfMedian = Median(runs);
            Log($"turf.js: runs {string.Join(", ", runs.Select(r => r.ToString("F0", Inv)))} ms, median {turfMedian:F0} ms");
            notes.Add($"b) turf.js ({json.RootElement.GetProperty("node").GetString()}, @turf/boolean-point-in-polygon 7.4.0, bbox pre-check): {json.RootElement.GetProperty("assigned").GetInt32():N0} assigned; runs {string.Join(", ", runs.Select(r => r.ToString("F0", Inv)))} ms.");
        }

        // ---------- table ----------
        static string Ratio(double mc, double? peer) => peer is { } p ? (p / mc).ToString("F1", Inv) + "×" : "–";
        rows.Add(new Row($"a) gaps + overlaps, {sizes.Jurisdictions} × ~{data.Defective.Average(p => p.NumPoints):F0} vertices", coverage.Median,
            "PostGIS ST_Difference(frame, ST_Union) + && self-join ST_Intersection", pgGaps is { } g && pgOverlaps is { } o ? g.Median + o.Median : null,
            "≤ 200 ms and ≥ 5× faster", (mc, p) => mc <= 200 && p is { } pp && pp / mc >= 5 ? "yes" : "no"));
        rows.Add(new Row($"b) assign {data.Lon.Length:N0} incidents to {sizes.Jurisdictions} polygons (build + locate)", assign.Median,
            "PostGIS GiST join ST_Intersects + GROUP BY", pgAssign?.Median, "≥ 5× PostGIS", (mc, p) => p is { } pp && pp / mc >= 5 ? "yes" : "no"));
        rows.Add(new Row($"b) same", assign.Median, "turf.js booleanPointInPolygon", turfMedian, "≥ 100× turf", (mc, p) => p is { } pp && pp / mc >= 100 ? "yes" : "no"));
        rows.Add(new Row($"c) hot spots (counts + Gi*), {data.Lon.Length:N0} incidents, 500 m hexagons", hot.Median,
            "PostGIS hex formula GROUP BY + Gi* in SQL", pgHot?.Median, "≤ 0.5× PostGIS time", (mc, p) => p is { } pp && mc <= 0.5 * pp ? "yes" : "no"));
        rows.Add(new Row($"d) patrol coverage, {data.Fixes.Count:N0} GPS fixes, {data.Departments.Count} jurisdictions, r = 300 m", patrol.Median,
            "PostGIS ST_MakeLine, ST_Simplify 5 m, ST_Buffer 300 m, ST_Union, ST_Difference", pgPatrol?.Median, "no slower than PostGIS",
            (mc, p) => p is { } pp && mc <= pp ? "yes" : "no"));

        var load1 = LoadAverage();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {(sizes.Quick ? "**--quick sizes**" : "full sizes")}; {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; {pgVersion}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Load average (1/5/15 min) at start {load0}, at end {load1} — the machine was shared.");
        md.AppendLine(CultureInfo.InvariantCulture, $"MapControl: Stopwatch harness, {WarmUps} warm-up runs + {sizes.Iterations} runs (coverage check: {CoverageWarmUps} + {sizes.CoverageIterations}), medians (cold first runs in the log); PostGIS: client-side wall time, 1 warm-up + {sizes.PeerIterations} runs (patrol: {Math.Min(sizes.PeerIterations, 3)}), medians; turf.js: {sizes.TurfIterations} runs, median.");
        md.AppendLine();
        md.AppendLine("| Analysis | MapControl median | Peer | Peer median | Peer ÷ MapControl | Target | Met |");
        md.AppendLine("|---|---:|---|---:|---:|---|---|");
        foreach (var r in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Analysis} | {Ms(r.MapControlMs)} | {r.Peer} | {(r.PeerMs is { } p ? Ms(p) : "not run")} | {Ratio(r.MapControlMs, r.PeerMs)} | {r.Target} | {r.Verdict(r.MapControlMs, r.PeerMs)} |");
        }

        md.AppendLine();
        md.AppendLine("Runs (ms):");
        md.AppendLine();
        foreach (var (name, runs) in AllRuns) md.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {string.Join(", ", runs.Select(x => x.ToString("F0", Inv)))}");
        md.AppendLine();
        md.AppendLine("Checks that both sides did the same work:");
        md.AppendLine();
        foreach (var n in notes) md.AppendLine("- " + n);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.OutFile))!);
        await File.WriteAllTextAsync(options.OutFile, md.ToString()).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine(md.ToString());
        return 0;
    }

    private static readonly List<(string Name, double[] Runs)> AllRuns = [];

    private sealed record Timing<T>(double Median, double[] Runs, T Last);

    private const int WarmUps = 3;
    private const int CoverageWarmUps = 30;

    private static Timing<T> Measure<T>(string name, Func<T> action, int iterations, int warmUps = WarmUps)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Warm-up: three runs, so that methods called once per run have left tier-0 JIT code (as BenchmarkDotNet's
        // warm-up does); the first, cold run of a fresh process is logged but not part of the median.
        var cold = Stopwatch.StartNew();
        var last = action();
        Log($"{name}: cold first run {cold.Elapsed.TotalMilliseconds:F0} ms");
        for (var w = 1; w < warmUps; w++) last = action();
        var runs = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var clock = Stopwatch.StartNew();
            last = action();
            runs[i] = clock.Elapsed.TotalMilliseconds;
            if (runs[i] > 5000) Log($"{name}: run {i + 1} took {runs[i]:F0} ms");
        }

        AllRuns.Add((name, runs));
        var median = Median(runs);
        Log($"{name}: median {median:F1} ms (runs {string.Join(", ", runs.Select(r => r.ToString("F0", Inv)))})");
        return new Timing<T>(median, runs, last);
    }

    private static async Task<(double Median, double[] Runs, long Count, double Value)> MeasurePg(PostGisPeer pg, string name, string sql, int iterations)
    {
        var last = await pg.TimeAsync(sql).ConfigureAwait(false); // warm-up
        var runs = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            last = await pg.TimeAsync(sql).ConfigureAwait(false);
            runs[i] = last.Ms;
        }

        AllRuns.Add((name, runs));
        var median = Median(runs);
        Log($"{name}: median {median:F1} ms (runs {string.Join(", ", runs.Select(r => r.ToString("F0", Inv)))})");
        return (median, runs, last.Count, last.Value);
    }

    private static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static string Ms(double ms) => ms >= 10_000 ? (ms / 1000).ToString("F1", Inv) + " s" : ms.ToString("F0", Inv) + " ms";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"[bench {DateTime.UtcNow:HH:mm:ss}] {message}");

    private static string GeoJson(IReadOnlyList<Polygon> polygons)
    {
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var i = 0; i < polygons.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append("{\"type\":\"Feature\",\"properties\":{\"id\":").Append(i).Append("},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[");
            var rings = new List<LineString> { polygons[i].ExteriorRing };
            rings.AddRange(polygons[i].InteriorRings);
            for (var r = 0; r < rings.Count; r++)
            {
                if (r > 0) sb.Append(',');
                sb.Append('[');
                var coords = rings[r].Coordinates;
                for (var k = 0; k < coords.Length; k++)
                {
                    if (k > 0) sb.Append(',');
                    sb.Append('[').Append(coords[k].X.ToString("R", Inv)).Append(',').Append(coords[k].Y.ToString("R", Inv)).Append(']');
                }

                sb.Append(']');
            }

            sb.Append("]}}");
        }

        return sb.Append("]}").ToString();
    }

    private static async Task<string> RunNode(string turfDir, string polygons, string points, int iterations)
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = turfDir };
        foreach (var a in new[] { Path.Combine(turfDir, "pip.js"), polygons, points, iterations.ToString(Inv) }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException("turf run failed: " + await stderr.ConfigureAwait(false));
        return (await stdout.ConfigureAwait(false)).Trim().Split('\n')[^1];
    }
}
