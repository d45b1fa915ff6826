using System.Diagnostics;
using System.Globalization;
using System.Text;
using MapControl.Core.Coverage;
using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Patrol;
using MapControl.Core.Spatial;
using MapControl.Data.Files;

namespace MapControl.Benchmarks;

/// <summary>
/// Growth curves (issue 16): each core operation at 10⁵, 10⁶ and 10⁷ inputs, in one process — wall time, CPU time, the
/// peak growth of the managed heap while it ran (sampled every 2 ms) and the bytes it allocated — written as a Markdown
/// table and two log–log SVG plots (time and memory against size) drawn here, with the local growth exponent
/// (slope of log time against log size between neighbouring sizes). Sizes run smallest first, so the JIT is warm at the
/// large ones; 10⁵ and 10⁶ take the median of 3 runs after a warm-up, 10⁷ one run.
/// </summary>
public static class Growth
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One measured point.</summary>
    public sealed record Point(string Operation, long Size, double WallMs, double CpuMs, double PeakHeapMb, double AllocatedMb);

    private sealed record Operation(string Name, string Input, Func<long, Func<object>> Prepare, long MaxSize = long.MaxValue);

    public static async Task<int> RunAsync(long[] sizes, string[] only, string outDir, string workDir)
    {
        Directory.CreateDirectory(outDir);
        Directory.CreateDirectory(workDir);
        var load0 = LoadAverage();
        var started = DateTime.UtcNow;
        var operations = Operations(workDir).Where(o => only.Length == 0 || only.Contains(o.Name)).ToList();
        var points = new List<Point>();
        foreach (var op in operations)
        {
            foreach (var size in sizes.Where(s => s <= op.MaxSize))
            {
                Log($"{op.Name} {size:N0}: preparing");
                Func<object> run;
                try
                {
                    run = op.Prepare(size);
                }
                catch (OutOfMemoryException)
                {
                    Log($"{op.Name} {size:N0}: out of memory preparing; stopped");
                    break;
                }
                var big = size >= 5_000_000;
                if (!big) Measure(run);
                var runs = Enumerable.Range(0, big ? 1 : 3).Select(_ => Measure(run)).ToList();
                var median = runs.OrderBy(r => r.WallMs).ElementAt(runs.Count / 2);
                var point = new Point(op.Name, size, median.WallMs, median.CpuMs, runs.Max(r => r.PeakHeapMb), median.AllocatedMb);
                points.Add(point);
                Log(string.Create(Inv, $"{op.Name} {size:N0}: {point.WallMs:F0} ms wall, {point.CpuMs:F0} ms CPU, peak heap +{point.PeakHeapMb:F0} MB, allocated {point.AllocatedMb:F0} MB"));
                run = null!;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }
        }

        var md = new StringBuilder();
        md.AppendLine("| operation | input | size | wall | CPU | peak heap growth | allocated | exponent (time, from the previous size) |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var op in operations)
        {
            Point? previous = null;
            foreach (var p in points.Where(p => p.Operation == op.Name))
            {
                var exponent = previous is null ? "–" : (Math.Log(p.CpuMs / previous.CpuMs) / Math.Log((double)p.Size / previous.Size)).ToString("F2", Inv);
                md.AppendLine(string.Create(Inv, $"| {op.Name} | {op.Input} | {p.Size:N0} | {p.WallMs:F0} ms | {p.CpuMs:F0} ms | {p.PeakHeapMb:F0} MB | {p.AllocatedMb:F0} MB | {exponent} |"));
                previous = p;
            }
        }
        md.AppendLine();
        md.AppendLine(string.Create(Inv, $"Run {started:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average at start {load0}, at end {LoadAverage()} (other builds share the machine: wall times are noisy, the exponent is computed from CPU time). Exponent 1 = linear."));
        await File.WriteAllTextAsync(Path.Combine(outDir, "growth.md"), md.ToString()).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir, "growth-time.svg"), Plot(points, operations.Select(o => o.Name).ToList(), p => p.CpuMs / 1000, "CPU time (s)", "Growth: CPU time against input size")).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir, "growth-memory.svg"), Plot(points, operations.Select(o => o.Name).ToList(), p => Math.Max(p.PeakHeapMb, 0.1), "peak managed heap growth (MB)", "Growth: memory against input size")).ConfigureAwait(false);
        Console.WriteLine(md);
        return 0;
    }

    /// <summary>
    /// The table (with the growth exponent of CPU time between neighbouring sizes) and the time and memory plots of points measured
    /// elsewhere: a TSV with a header and columns operation, size, wall_ms, cpu_ms, peak_mb.
    /// </summary>
    public static async Task<int> PlotFileAsync(string tsv, string outPrefix, string title, string notes)
    {
        var points = (await File.ReadAllLinesAsync(tsv).ConfigureAwait(false)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Select(f => new Point(f[0], long.Parse(f[1], Inv), double.Parse(f[2], Inv), double.Parse(f[3], Inv), double.Parse(f[4], Inv), 0)).ToList();
        var operations = points.Select(p => p.Operation).Distinct().ToList();
        var md = new StringBuilder();
        md.AppendLine("| operation | size | wall | CPU (server + its PostgreSQL backends) | peak RSS | exponent (CPU, from the previous size) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var op in operations)
        {
            Point? previous = null;
            foreach (var p in points.Where(p => p.Operation == op).OrderBy(p => p.Size))
            {
                var exponent = previous is null || previous.CpuMs <= 0 || p.CpuMs <= 0 ? "–" : (Math.Log(p.CpuMs / previous.CpuMs) / Math.Log((double)p.Size / previous.Size)).ToString("F2", Inv);
                md.AppendLine(string.Create(Inv, $"| {op} | {p.Size:N0} | {p.WallMs:F0} ms | {p.CpuMs:F0} ms | {p.PeakHeapMb:F0} MB | {exponent} |"));
                previous = p;
            }
        }
        md.AppendLine();
        foreach (var line in notes.Split('\n', StringSplitOptions.RemoveEmptyEntries)) md.AppendLine("- " + line);
        await File.WriteAllTextAsync(outPrefix + ".md", md.ToString()).ConfigureAwait(false);
        await File.WriteAllTextAsync(outPrefix + "-time.svg", Plot(points, operations, p => Math.Max(p.CpuMs, 1) / 1000, "CPU time (s)", title + ": CPU time against store size")).ConfigureAwait(false);
        await File.WriteAllTextAsync(outPrefix + "-memory.svg", Plot(points, operations, p => Math.Max(p.PeakHeapMb, 0.1), "peak RSS of the server (MB)", title + ": memory against store size")).ConfigureAwait(false);
        Console.WriteLine(md);
        return 0;
    }

    private static IEnumerable<Operation> Operations(string workDir)
    {
        // (b) incidents → 200 jurisdictions of ~2,000 vertices: index build + locate.
        yield return new Operation("assign", "incidents → 200 × 2,000-vertex polygons", size =>
        {
            var tiling = BenchData.JitteredTiling(BenchData.Frame, 20, 10, 500, BenchData.Seed);
            var (lon, lat, _) = BenchData.MakeIncidents(checked((int)size), BenchData.Seed + 2);
            var located = new int[lon.Length];
            return () =>
            {
                PolygonIndex.Build(tiling).LocateAll(lon, lat, located);
                return located;
            };
        });
        // (c) hot spots: hexagon counts, Gi*, Benjamini–Hochberg.
        yield return new Operation("hotspots", "incidents", size =>
        {
            var (_, _, points) = BenchData.MakeIncidents(checked((int)size), BenchData.Seed + 2);
            return () => HotSpotAnalysis.Run(points, new HotSpotOptions());
        });
        // (d) patrol coverage: 200 × 2,000-vertex jurisdictions, 1,000-fix tracks, r = 300 m, analyses' defaults.
        yield return new Operation("patrol-coverage", "GPS fixes (1,000 per unit) → 200 × 2,000-vertex jurisdictions", size =>
        {
            var data = PatrolScaleData.Create(checked((int)size));
            var input = new PatrolCoverageInput(data.Jurisdictions, data.Fixes, data.Units, []);
            var options = new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: MetricProjection.Dongying);
            return () => PatrolCoverage.Compute(input, options);
        });
        // GPS table reading (the CLI's --tracks CSV): a file of N rows.
        yield return new Operation("gps-read", "rows of a GPS CSV", size =>
        {
            var path = Path.Combine(workDir, $"growth-gps-{size}.csv");
            if (!File.Exists(path)) WriteGpsCsv(path, size);
            return () => GpsFiles.Read(path);
        });
        // (a) gaps and overlaps of 200 jurisdictions, the size being their total vertex count.
        yield return new Operation("gaps", "vertices of 200 jurisdictions", size =>
        {
            var perEdge = Math.Max(2, (int)(size / 800));
            var tiling = BenchData.JitteredTiling(BenchData.Frame, 20, 10, perEdge, BenchData.Seed);
            var input = new CoverageInput(BenchData.LonLat.ToGeometry(BenchData.Frame), tiling.Select((p, i) => new CoverageItem(p, $"J{i:000}")).ToList());
            return () => CoverageCheck.Run(input, new CoverageOptions { FindInvalidEdges = false });
        }, MaxSize: 1_000_000); // 10⁷ vertices in 200 jurisdictions (50,000 each) is not a workload a centre has
    }

    private static void WriteGpsCsv(string path, long rows)
    {
        var random = new Random(16);
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        w.WriteLine("unit,time,lon,lat,department");
        var units = (int)Math.Max(1, rows / 1000);
        for (long i = 0; i < rows; i++)
        {
            var u = (int)(i / 1000 % units);
            w.Write('U');
            w.Write(u.ToString("0000", Inv));
            w.Write(',');
            w.Write(start.AddSeconds(i % 1000 + i / 1000 * 1000).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv));
            w.Write(',');
            w.Write((118.3 + random.NextDouble() * 0.7).ToString("F7", Inv));
            w.Write(',');
            w.Write((37.2 + random.NextDouble() * 0.6).ToString("F7", Inv));
            w.Write(",J");
            w.WriteLine((u % 200).ToString("000", Inv));
        }
    }

    private sealed record Sample(double WallMs, double CpuMs, double PeakHeapMb, double AllocatedMb);

    private static Sample Measure(Func<object> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(false);
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = GC.GetTotalMemory(false);
                if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                Thread.Sleep(2);
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        var allocated = GC.GetTotalAllocatedBytes(true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        sampler.Start();
        var clock = Stopwatch.StartNew();
        var result = run();
        var wall = clock.Elapsed.TotalMilliseconds;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var end = GC.GetTotalMemory(false);
        if (end > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, end);
        stop.Cancel();
        sampler.Join();
        GC.KeepAlive(result);
        return new Sample(wall, cpuMs, (Interlocked.Read(ref peak) - baseline) / 1048576.0, (GC.GetTotalAllocatedBytes(true) - allocated) / 1048576.0);
    }

    /// <summary>A log–log line plot of one value per operation against size, with a dashed linear reference through the first point of each line.</summary>
    public static string Plot(IReadOnlyList<Point> points, IReadOnlyList<string> operations, Func<Point, double> value, string yLabel, string title)
    {
        const double W = 760, H = 480, L = 80, R = 200, T = 40, B = 60;
        string[] colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"];
        var xs = points.Select(p => Math.Log10(p.Size)).ToList();
        var ys = points.Select(p => Math.Log10(Math.Max(value(p), 1e-3))).ToList();
        if (xs.Count == 0) return "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        double x0 = Math.Floor(xs.Min()), x1 = Math.Ceiling(xs.Max()), y0 = Math.Floor(ys.Min()), y1 = Math.Ceiling(ys.Max());
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= y0) y1 = y0 + 1;
        double X(double lx) => L + (lx - x0) / (x1 - x0) * (W - L - R);
        double Y(double ly) => H - B - (ly - y0) / (y1 - y0) * (H - T - B);
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(Inv, $"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n<text x=\"{W / 2 - R / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n");
        for (var d = x0; d <= x1 + 1e-9; d++)
            svg.Append(Inv, $"<line x1=\"{X(d):F1}\" y1=\"{T}\" x2=\"{X(d):F1}\" y2=\"{H - B}\" stroke=\"#ddd\"/><text x=\"{X(d):F1}\" y=\"{H - B + 18}\" text-anchor=\"middle\">10^{d:F0}</text>\n");
        for (var d = y0; d <= y1 + 1e-9; d++)
            svg.Append(Inv, $"<line x1=\"{L}\" y1=\"{Y(d):F1}\" x2=\"{W - R}\" y2=\"{Y(d):F1}\" stroke=\"#ddd\"/><text x=\"{L - 6}\" y=\"{Y(d) + 4:F1}\" text-anchor=\"end\">{Label(d)}</text>\n");
        svg.Append(Inv, $"<rect x=\"{L}\" y=\"{T}\" width=\"{W - L - R}\" height=\"{H - T - B}\" fill=\"none\" stroke=\"#333\"/>\n");
        svg.Append(Inv, $"<text x=\"{(L + W - R) / 2}\" y=\"{H - 16}\" text-anchor=\"middle\">input size (log scale)</text>\n");
        svg.Append(Inv, $"<text transform=\"translate(18 {(T + H - B) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)} (log scale)</text>\n");
        for (var i = 0; i < operations.Count; i++)
        {
            var line = points.Where(p => p.Operation == operations[i]).OrderBy(p => p.Size).ToList();
            if (line.Count == 0) continue;
            var colour = colours[i % colours.Length];
            var coords = line.Select(p => (X(Math.Log10(p.Size)), Y(Math.Log10(Math.Max(value(p), 1e-3))))).ToList();
            // Linear reference: value ∝ size from the first point.
            var first = line[0];
            var last = line[^1];
            var refEnd = Math.Log10(Math.Max(value(first), 1e-3)) + Math.Log10((double)last.Size / first.Size);
            if (line.Count > 1)
                svg.Append(Inv, $"<line x1=\"{coords[0].Item1:F1}\" y1=\"{coords[0].Item2:F1}\" x2=\"{X(Math.Log10(last.Size)):F1}\" y2=\"{Math.Max(T, Y(refEnd)):F1}\" stroke=\"{colour}\" stroke-dasharray=\"4 4\" stroke-opacity=\"0.5\"/>\n");
            svg.Append(Inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', coords.Select(c => string.Create(Inv, $"{c.Item1:F1},{c.Item2:F1}")))}\"/>\n");
            foreach (var (cx, cy) in coords) svg.Append(Inv, $"<circle cx=\"{cx:F1}\" cy=\"{cy:F1}\" r=\"3.5\" fill=\"{colour}\"/>\n");
            var ly = T + 16 + i * 20;
            svg.Append(Inv, $"<line x1=\"{W - R + 14}\" y1=\"{ly - 4}\" x2=\"{W - R + 38}\" y2=\"{ly - 4}\" stroke=\"{colour}\" stroke-width=\"2\"/><text x=\"{W - R + 44}\" y=\"{ly}\">{Escape(operations[i])}</text>\n");
        }
        var ny = T + 16 + operations.Count * 20 + 10;
        svg.Append(Inv, $"<line x1=\"{W - R + 14}\" y1=\"{ny - 4}\" x2=\"{W - R + 38}\" y2=\"{ny - 4}\" stroke=\"#666\" stroke-dasharray=\"4 4\"/><text x=\"{W - R + 44}\" y=\"{ny}\">linear from 1st point</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Label(double log10)
    {
        var v = Math.Pow(10, log10);
        return v >= 1 ? v.ToString("#,0", Inv) : v.ToString("0.###", Inv);
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static void Log(string message) => Console.Error.WriteLine($"[growth {DateTime.UtcNow:HH:mm:ss}] {message}");
}
