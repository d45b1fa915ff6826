using System.Diagnostics;
using MapControl.Core.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Triangulate;
using Xunit.Abstractions;

namespace MapControl.Core.Tests.Coverage;

/// <summary>
/// Timing harness (issue 3), not a check: prints times only and asserts nothing about speed. It is skipped unless
/// MAPCONTROL_PERF=1; run with <c>MAPCONTROL_PERF=1 dotnet test --filter "Category=Perf" --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Perf")]
public sealed class CoveragePerfTests(ITestOutputHelper output)
{
    private static readonly GeometryFactory Metric = new();

    [PerfFact]
    public void Run_200CellsOf2000Vertices_PrintsTimes()
    {
        var verts = int.TryParse(Environment.GetEnvironmentVariable("MAPCONTROL_PERF_VERTICES"), out var v) ? v : 2000;
        foreach (var (name, shrink, grow) in new[] { ("clean", Array.Empty<int>(), Array.Empty<int>()), ("planted", new[] { 17, 83, 141 }, new[] { 42, 120 }) })
        {
            var input = Voronoi(200, 100_000, verts, shrink, grow, seed: 7);
            output.WriteLine($"{name}: {input.Items.Count} items, {input.Items.Sum(i => i.Geometry.NumPoints)} vertices");
            var options = new CoverageOptions();
            CoverageCheck.Analyse(input, options); // warm-up (JIT)
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var analysis = CoverageCheck.Analyse(input, options);
            var newMs = sw.ElapsedMilliseconds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            var fast = options with { FindInvalidEdges = false };
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            sw.Restart();
            var noEdges = CoverageCheck.Analyse(input, fast);
            output.WriteLine($"  CoverageCheck without invalid edges: {sw.ElapsedMilliseconds} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU");
            Compare("gap (without invalid edges)", noEdges.Report.Gaps.Select(g => g.AreaM2), analysis.Report.Gaps.Select(g => g.AreaM2));
            Compare("overlap (without invalid edges)", noEdges.Report.Overlaps.Select(g => g.AreaM2), analysis.Report.Overlaps.Select(g => g.AreaM2));
            output.WriteLine($"  CoverageCheck: {newMs} ms wall, {cpuMs:F0} ms CPU; gaps {analysis.Report.Gaps.Count} ({analysis.Report.Gaps.Sum(g => g.AreaM2):F3} m²), " +
                $"overlaps {analysis.Report.Overlaps.Count} ({analysis.Report.Overlaps.Sum(o => o.AreaM2):F3} m²), invalid edges {analysis.Report.InvalidEdges.Count}, covered {analysis.Report.CoveredAreaM2:F3}");
            sw.Restart();
            var coverage = MetricCoverage.Create(input.Frame, input.Items, options);
            var createMs = sw.ElapsedMilliseconds;
            sw.Restart();
            NetTopologySuite.Coverage.CoverageValidator.Validate(coverage.Items.Select(i => i.Geometry).ToArray(), options.InvalidEdgeToleranceM);
            var validateMs = sw.ElapsedMilliseconds;
            sw.Restart();
            CoverageFaces.Find(coverage.Frame, coverage.Items, coverage.Overlay, output.WriteLine);
            output.WriteLine($"  phases: project+repair {createMs} ms, CoverageValidator {validateMs} ms, edge-matched faces {sw.ElapsedMilliseconds} ms");
            if (Environment.GetEnvironmentVariable("MAPCONTROL_PERF_ORACLE") == "1")
            {
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
                sw.Restart();
                var old = LegacyCoverageWorker.Analyse(input, options);
                output.WriteLine($"  legacy: {sw.ElapsedMilliseconds} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU; gaps {old.Report.Gaps.Count} ({old.Report.Gaps.Sum(g => g.AreaM2):F3} m²), " +
                    $"overlaps {old.Report.Overlaps.Count} ({old.Report.Overlaps.Sum(o => o.AreaM2):F3} m²), invalid edges {old.Report.InvalidEdges.Count}, covered {old.Report.CoveredAreaM2:F3}");
                Compare("gap", analysis.Report.Gaps.Select(g => g.AreaM2), old.Report.Gaps.Select(g => g.AreaM2));
                Compare("overlap", analysis.Report.Overlaps.Select(g => g.AreaM2), old.Report.Overlaps.Select(g => g.AreaM2));
            }
        }
    }

    private void Compare(string what, IEnumerable<double> a, IEnumerable<double> b)
    {
        var x = a.OrderBy(d => d).ToList();
        var y = b.OrderBy(d => d).ToList();
        var worst = x.Count == y.Count ? x.Zip(y, (p, q) => Math.Abs(p - q) / Math.Max(1e-9, Math.Abs(q))).DefaultIfEmpty(0).Max() : double.NaN;
        output.WriteLine($"  {what} areas: new {x.Count}, legacy {y.Count}, worst relative difference {worst:E2}");
    }

    /// <summary>Voronoi cells of random seeds clipped to a square frame (m, about sizeM wide), coordinates on a 1 mm grid, densified consistently, some shrunk (gaps) or grown (overlaps) about their centroid.</summary>
    internal static CoverageInput Voronoi(int cells, double sizeM, int verticesPerCell, int[] shrink, int[] grow, int seed)
    {
        var random = new Random(seed);
        var sites = Enumerable.Range(0, cells).Select(_ => new Coordinate(random.NextDouble() * sizeM, random.NextDouble() * sizeM)).ToList();
        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(sites);
        builder.ClipEnvelope = new Envelope(0, sizeM, 0, sizeM);
        var polygons = new List<Polygon>();
        var diagram = builder.GetDiagram(Metric);
        for (var i = 0; i < diagram.NumGeometries; i++)
        {
            var cell = diagram.GetGeometryN(i).Copy();
            cell.Apply(new Round());
            cell.GeometryChanged();
            polygons.Add((Polygon)cell);
        }
        var step = polygons.Average(p => p.Length) / verticesPerCell;
        var densified = polygons.Select(p => LonLatDensifier.Densify(p, step)).ToArray();
        // The frame is the union of the densified cells (as oil zones would be), so the clean coverage has no gap.
        var frame = (Polygon)NetTopologySuite.Coverage.CoverageUnion.Union(densified);
        var items = new List<Geometry>();
        for (var i = 0; i < polygons.Count; i++)
        {
            var cell = densified[i];
            var factor = shrink.Contains(i) ? 0.995 : grow.Contains(i) ? 1.004 : 1.0;
            if (factor != 1.0)
            {
                var c = cell.Centroid.Coordinate;
                cell = NetTopologySuite.Geometries.Utilities.AffineTransformation.ScaleInstance(factor, factor, c.X, c.Y).Transform(cell);
            }
            items.Add(cell);
        }
        return SyntheticCoverage.Input(frame, items);
    }

    private sealed class Round : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, Math.Round(seq.GetX(i) * 1000) / 1000);
                seq.SetY(i, Math.Round(seq.GetY(i) * 1000) / 1000);
            }
        }
    }
}

/// <summary>A fact that runs only with MAPCONTROL_PERF=1 and is reported as skipped otherwise (never as a vacuous pass).</summary>
internal sealed class PerfFactAttribute : FactAttribute
{
    public PerfFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("MAPCONTROL_PERF") != "1")
            Skip = "timing harness: set MAPCONTROL_PERF=1 to run";
    }
}
