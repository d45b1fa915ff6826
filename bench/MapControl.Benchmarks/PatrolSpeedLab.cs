using System.Diagnostics;
using MapControl.Core.Crs;
using MapControl.Core.Patrol;

namespace MapControl.Benchmarks;

/// <summary>
/// Where the patrol-coverage CPU goes on the scale workload, in process (bench only: <c>patrol-speed-lab [fixes] [what]</c>):
/// <c>projection</c> — ProjNet per point against its span API over the fixes; <c>trace</c> — the phase trace of
/// <see cref="PatrolCoverage.Compute"/> after two warm-ups; <c>repeat</c> — coverage ratios and time for several repeat
/// tolerances ρ against ρ = 0.
/// </summary>
public static class PatrolSpeedLab
{
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    public static void Run(int fixes, string what)
    {
        var data = PatrolScaleData.Create(fixes);
        var input = new PatrolCoverageInput(data.Jurisdictions, data.Fixes, data.Units, []);
        var options = new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: MetricProjection.Dongying);
        if (what is "projection" or "all")
        {
            var lon = data.Fixes.Select(f => f.Lon).ToArray();
            var lat = data.Fixes.Select(f => f.Lat).ToArray();
            for (var round = 0; round < 3; round++)
            {
                var forward = MetricProjection.Dongying.CreateForwardTransform();
                var c = Cpu();
                var w = Stopwatch.StartNew();
                double sum = 0;
                for (var i = 0; i < lon.Length; i++)
                {
                    var (x, y) = forward.Transform(lon[i], lat[i]);
                    sum += x + y;
                }

                var perPoint = w.Elapsed.TotalMilliseconds;
                var xs = (double[])lon.Clone();
                var ys = (double[])lat.Clone();
                w.Restart();
                forward.Transform(xs.AsSpan(), ys.AsSpan(), 1, 1);
                var span = w.Elapsed.TotalMilliseconds;
                w.Restart();
                var ex = new double[lon.Length];
                var ey = new double[lon.Length];
                MetricProjection.Dongying.ForwardMany(lon, lat, ex, ey);
                var own = w.Elapsed.TotalMilliseconds;
                var maxDiff = 0.0;
                for (var i = 0; i < lon.Length; i++) maxDiff = Math.Max(maxDiff, Math.Max(Math.Abs(ex[i] - xs[i]), Math.Abs(ey[i] - ys[i])));
                Console.WriteLine($"projection of {lon.Length:N0} points: ProjNet per point {perPoint:F0} ms, ProjNet span {span:F0} ms, ForwardMany {own:F0} ms (max |Δ| {maxDiff:E2} m; cpu {Cpu() - c:F0} ms; {sum:E3} {xs[0]:F3} {ys[0]:F3})");
            }
        }

        if (what is "tracks" or "all")
        {
            var departments = data.Units.ToDictionary(u => u.Code, u => u.DepartmentCode, StringComparer.Ordinal);
            for (var round = 0; round < 3; round++)
            {
                var gc0 = GC.CollectionCount(0);
                var gc2 = GC.CollectionCount(2);
                var pause = GC.GetTotalPauseDuration();
                var c = Cpu();
                var w = Stopwatch.StartNew();
                var built = TrackBuilder.BuildDetailed(data.Fixes, departments, new TrackOptions(), MetricProjection.Dongying);
                Console.WriteLine($"tracks: {built.Count} in {w.Elapsed.TotalMilliseconds:F0} ms wall, {Cpu() - c:F0} ms cpu; GC gen0 {GC.CollectionCount(0) - gc0}, gen2 {GC.CollectionCount(2) - gc2}, pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms");
            }
        }

        if (what is "trace" or "all")
        {
            for (var w = 0; w < 2; w++) PatrolCoverage.Compute(input, options);
            GC.Collect();
            var c = Cpu();
            var clock = Stopwatch.StartNew();
            PatrolCoverage.Compute(input, options with { Trace = m => Console.WriteLine("  " + m) });
            Console.WriteLine($"compute: {clock.Elapsed.TotalMilliseconds:F0} ms wall, {Cpu() - c:F0} ms cpu");
        }

        if (what is "phases")
        {
            // The least CPU of each phase over 7 runs after 2 warm-ups (the least is the run least disturbed by other load).
            for (var w = 0; w < 2; w++) PatrolCoverage.Compute(input, options);
            var least = new Dictionary<string, double>();
            var order = new List<string>();
            var totals = new List<double>();
            for (var run = 0; run < 7; run++)
            {
                GC.Collect();
                var c = Cpu();
                var phase = 0;
                PatrolCoverage.Compute(input, options with
                {
                    Trace = m =>
                    {
                        var name = m[..m.IndexOf(':')];
                        name = $"{++phase}. " + (name.Contains('(') ? name[..name.IndexOf('(')].Trim() : name);
                        var cpu = double.Parse(m[(m.LastIndexOf(", ", StringComparison.Ordinal) + 2)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                        if (!least.TryGetValue(name, out var v)) order.Add(name);
                        least[name] = Math.Min(v == 0 && !least.ContainsKey(name) ? double.MaxValue : v, cpu);
                    },
                });
                totals.Add(Cpu() - c);
            }

            foreach (var name in order) Console.WriteLine($"  {name}: {least[name]:F3} s cpu (least of 7)");
            Console.WriteLine($"compute: least {totals.Min():F0} ms cpu, median {totals.Order().ElementAt(3):F0} ms cpu");
        }

        if (what is "repeat" or "all")
        {
            var baseline = PatrolCoverage.Compute(input, options with { RepeatToleranceM = 0 }).Departments;
            foreach (var rho in new[] { 0.0, 1.0, 2.0, 2.5, 3.0, 4.0, 5.0 })
            {
                PatrolCoverage.Compute(input, options with { RepeatToleranceM = rho });
                var c = Cpu();
                var clock = Stopwatch.StartNew();
                var departments = PatrolCoverage.Compute(input, options with { RepeatToleranceM = rho }).Departments;
                var wall = clock.Elapsed.TotalMilliseconds;
                var diffs = departments.Zip(baseline).Select(p => p.First.CoverageRatio - p.Second.CoverageRatio).ToList();
                Console.WriteLine($"ρ = {rho:F1} m: {wall:F0} ms wall, {Cpu() - c:F0} ms cpu; ratio − ratio(ρ=0): min {diffs.Min():F5}, max {diffs.Max():F5}, mean {diffs.Average():F6}");
            }
        }
    }
}
