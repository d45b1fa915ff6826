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
        CoverageFaces.Trace = m => Console.WriteLine($"  [{overall.ElapsedMilliseconds} ms] {m}");
        var report = Analyses.Coverage(data);
        CoverageFaces.Trace = null;
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            report = Analyses.Coverage(data);
            times.Add(clock.Elapsed.TotalMilliseconds);
            Console.WriteLine($"run {i + 1}: {times[^1]:F0} ms");
        }

        times.Sort();
        Console.WriteLine($"median {times[times.Count / 2]:F0} ms; {report.Gaps.Count} gaps {report.Gaps.Sum(g => g.AreaM2) / 1e6:F4} km², {report.Overlaps.Count} overlaps {report.Overlaps.Sum(o => o.AreaM2) / 1e6:F4} km²; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    public static void Coverage(BenchSizes sizes)
    {
        var data = BenchData.Create(sizes);
        var frame = BenchData.LonLat.ToGeometry(BenchData.Frame);
        var items = data.Defective.Select((p, i) => new CoverageItem(p, $"J{i:000}")).ToList();
        var options = new CoverageOptions();
        for (var round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            void Stage(string name) { Console.WriteLine($"  {name}: {clock.Elapsed.TotalMilliseconds:F0} ms"); clock.Restart(); }
            Console.WriteLine($"round {round}");
            var projection = MetricProjection.CentredOn(frame.EnvelopeInternal);
            var projected = items.Select(i => projection.Forward(LonLatDensifier.Densify(i.Geometry, options.DensifyStepDegrees))).ToArray();
            Stage("densify + project");
            var valid = projected.Count(g => g.IsValid);
            Stage($"IsValid ({valid} valid)");
            var grid = new PrecisionModel(1.0 / options.GridM);
            var reduced = projected.Select(g => GeometryPrecisionReducer.Reduce(g, grid)).ToArray();
            Stage("GeometryPrecisionReducer.Reduce");
            var invalid = NtsCoverageValidator.Validate(reduced, 1.0);
            Stage($"CoverageValidator.Validate ({invalid.Count(e => e is { IsEmpty: false })} items with invalid edges)");
            var union = UnaryUnionNG.Union((Geometry)reduced[0].Factory.CreateGeometryCollection(reduced), grid);
            Stage("UnaryUnionNG snap-rounded union");
            var floating = OverlayNGRobust.Union((Geometry)reduced[0].Factory.CreateGeometryCollection(reduced));
            Stage("OverlayNGRobust (floating) union, for comparison");
            var coverageUnion = NetTopologySuite.Coverage.CoverageUnion.Union(reduced);
            Stage("NTS CoverageUnion, for comparison (not valid on this input)");
            var metricFrame = projection.Forward(LonLatDensifier.Densify(frame, options.DensifyStepDegrees));
            var gaps = OverlayNG.Overlay(GeometryPrecisionReducer.Reduce(metricFrame, grid), union, SpatialFunction.Difference, grid);
            Stage($"frame − union ({gaps.NumGeometries} gaps)");
            var report = CoverageCheck.Run(new CoverageInput(frame, items), options);
            Stage($"whole CoverageCheck.Run: {report.Gaps.Count} gaps {report.Gaps.Sum(g => g.AreaM2):F1} m², {report.Overlaps.Count} overlaps {report.Overlaps.Sum(o => o.AreaM2):F1} m², covered {report.CoveredAreaM2:F1} m²");
            GC.KeepAlive(floating);
            GC.KeepAlive(coverageUnion);
        }
    }
}
