using MapControl.Core.Spatial;
using System.Diagnostics;
using MapControl.Core.Coverage;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Precision;
using NtsCoverageValidator = NetTopologySuite.Coverage.CoverageValidator;

namespace MapControl.Benchmarks;

/// <summary>Stage timings of the coverage check (dotnet MapControl.Benchmarks.dll profile-coverage [--quick]).</summary>
public static class Profiling
{
    /// <summary>Times only the whole coverage check: 1 warm-up + <paramref name="runs"/> runs, median (coverage-only mode).</summary>
    public static void CoverageOnly(BenchSizes sizes, int runs)
    {
        var data = BenchData.Create(sizes);
        Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var overall = Stopwatch.StartNew();
        Action<string> trace = m => Console.WriteLine($"  [{overall.ElapsedMilliseconds} ms] gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} {GC.GetTotalAllocatedBytes() / 1048576} MB {m}");
        var report = Analyses.Coverage(data, trace);
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            overall.Restart();
            report = Analyses.Coverage(data, trace);
            times.Add(clock.Elapsed.TotalMilliseconds);
            Console.WriteLine($"run {i + 1}: {times[^1]:F0} ms");
        }

        times.Sort();
        Console.WriteLine($"median {times[times.Count / 2]:F0} ms; {report.Gaps.Count} gaps {report.Gaps.Sum(g => g.AreaM2) / 1e6:F4} km², {report.Overlaps.Count} overlaps {report.Overlaps.Sum(o => o.AreaM2) / 1e6:F4} km²; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    /// <summary>Point assignment alone (b): index build and locating the 10⁶ incidents, steady state.</summary>
    public static void IndexOnly(BenchSizes sizes, int runs)
    {
        var data = BenchData.Create(sizes);
        for (var w = 0; w < 3; w++) Analyses.Assign(data, PolygonIndex.Build(data.Tiling));
        var build = new List<double>();
        var total = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            var index = PolygonIndex.Build(data.Tiling);
            build.Add(clock.Elapsed.TotalMilliseconds);
            Analyses.Assign(data, index);
            total.Add(clock.Elapsed.TotalMilliseconds);
        }
        build.Sort();
        total.Sort();
        Console.WriteLine($"build median {build[runs / 2]:F1} ms, build + locate median {total[runs / 2]:F1} ms (runs {string.Join(", ", total.Select(t => t.ToString("F0")))}); load {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    public static void Coverage(BenchSizes sizes)
    {
        var data = BenchData.Create(sizes);
        var frame = BenchData.LonLat.ToGeometry(BenchData.Frame);
        var items = data.Defective.Select((p, i) => new CoverageItem(p, $"J{i:000}")).ToList();
        var options = new CoverageOptions();
        var grid = new PrecisionModel(1.0 / options.GridM);
        for (var round = 0; round < 8; round++)
        {
            var clock = Stopwatch.StartNew();
            void Stage(string name) { Console.WriteLine($"  {name}: {clock.Elapsed.TotalMilliseconds:F0} ms"); clock.Restart(); }
            Console.WriteLine($"round {round}");
            var projection = MetricProjection.CentredOn(frame.EnvelopeInternal);
            var projector = new MetricProjector(projection, options.DensifyStepDegrees);
            var gridded = items.Select(i => projector.Project(i.Geometry, grid)).ToArray();
            Stage("MetricProjector.Project (densify, project, round)");
            var fast = gridded.Count(FastValidity.IsCertainlyValid);
            Stage($"FastValidity ({fast} certainly valid)");
            if (Environment.GetEnvironmentVariable("FAST_ONLY") == "1") continue;
            var densified = items.Select(i => LonLatDensifier.Densify(i.Geometry, options.DensifyStepDegrees)).ToArray();
            Stage("densify");
            var projected = densified.Select(projection.Forward).ToArray();
            Stage("project");
            var valid = projected.Count(g => g.IsValid);
            Stage($"IsValid ({valid} valid)");
            var reduced = projected.Select(g => GeometryPrecisionReducer.ReducePointwise(g, grid)).ToArray();
            Stage("ReducePointwise");
            valid = reduced.Count(g => g.IsValid);
            Stage($"IsValid after rounding ({valid} valid)");
            var simple = reduced.Count(g => g.IsSimple);
            Stage($"IsSimple ({simple})");
            var areas = reduced.Sum(g => g.Area);
            Stage("Area");
        }
    }
}

/// <summary>Phase trace of patrol coverage on the scale workload (dotnet MapControl.Benchmarks.dll patrol-scale [fixes] [runs]).</summary>
public static class PatrolScaleProfiling
{
    public static void Run(int fixes, int runs, bool blankStrips, double simplify, int quadrantSegments)
    {
        var clock = Stopwatch.StartNew();
        var data = PatrolScaleData.Create(fixes);
        Console.WriteLine($"data: {data.Jurisdictions.Count} jurisdictions × ~{data.Jurisdictions.Values.Average(g => g.NumPoints):F0} vertices, {data.Fixes.Count:N0} fixes of {data.Units.Count} units in {clock.Elapsed.TotalSeconds:F1} s; load {File.ReadAllText("/proc/loadavg").Trim()}");
        var overall = Stopwatch.StartNew();
        Action<string> trace = m => Console.WriteLine($"  [{overall.ElapsedMilliseconds} ms] gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} {GC.GetTotalAllocatedBytes() / 1048576} MB {m}");
        var options = new Core.Patrol.PatrolCoverageOptions(BlankStripWidthM: blankStrips ? 500 : 0, SimplifyToleranceM: simplify, RepeatToleranceM: simplify,
            QuadrantSegments: quadrantSegments, Trace: trace);
        Core.Patrol.PatrolCoverageReport? report = null;
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            overall.Restart();
            clock.Restart();
            report = Core.Patrol.PatrolCoverage.Compute(new Core.Patrol.PatrolCoverageInput(data.Jurisdictions, data.Fixes, data.Units, []), options);
            Console.WriteLine($"run {i + 1}: {clock.Elapsed.TotalMilliseconds:F0} ms");
        }

        var d = report!.Departments;
        Console.WriteLine($"{report.Tracks.Count} tracks; covered {d.Sum(x => x.CoveredAreaM2) / 1e6:F3} km² of {d.Sum(x => x.JurisdictionAreaM2) / 1e6:F3} km²; mean ratio {d.Average(x => x.CoverageRatio):F4}; load {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
