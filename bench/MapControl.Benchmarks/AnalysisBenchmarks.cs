using BenchmarkDotNet.Attributes;
using MapControl.Core.Coverage;
using MapControl.Core.Hotspots;
using MapControl.Core.Patrol;
using MapControl.Core.Spatial;

namespace MapControl.Benchmarks;

/// <summary>BenchmarkDotNet form of the MapControl side (quick sizes; the peers run only in the harness).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class AnalysisBenchmarks
{
    private BenchData _data = null!;

    [GlobalSetup]
    public void Setup() => _data = BenchData.Create(BenchSizes.QuickRun);

    [Benchmark]
    public int CoverageCheckGapsOverlaps() => Analyses.Coverage(_data).Gaps.Count;

    [Benchmark]
    public int AssignIncidents() => Analyses.Assign(_data, PolygonIndex.Build(_data.Tiling)).Assigned;

    [Benchmark]
    public int HotSpots() => HotSpotAnalysis.Run(_data.Incidents, new HotSpotOptions()).Cells.Count;

    [Benchmark]
    public double PatrolCoverageFromFixes() => Analyses.Patrol(_data).CoverageAreaM2;
}

/// <summary>The MapControl calls measured (shared by the harness and BenchmarkDotNet).</summary>
public static class Analyses
{
    /// <summary>
    /// Gaps and overlaps, as the PostGIS peer computes them. Invalid edges (CoverageValidator), which the peer does not
    /// compute, are left out of the like-for-like comparison; <see cref="CoverageWithInvalidEdges"/> times them too.
    /// </summary>
    /// <param name="trace">Receives one line per phase of the check (profiling); null for none.</param>
    public static CoverageReport Coverage(BenchData data, Action<string>? trace = null) => Coverage(data, findInvalidEdges: false, trace);

    /// <summary>The full check with invalid edges, as the CLI and the commander view run it.</summary>
    public static CoverageReport CoverageWithInvalidEdges(BenchData data) => Coverage(data, findInvalidEdges: true);

    private static CoverageReport Coverage(BenchData data, bool findInvalidEdges, Action<string>? trace = null) =>
        CoverageCheck.Run(
            new CoverageInput(BenchData.LonLat.ToGeometry(BenchData.Frame), data.Defective.Select((p, i) => new CoverageItem(p, $"J{i:000}")).ToList()),
            new CoverageOptions { FindInvalidEdges = findInvalidEdges, Trace = trace });

    public static (int[] Counts, int Assigned) Assign(BenchData data, PolygonIndex index)
    {
        var counts = new int[index.Count];
        var assigned = 0;
        var located = new int[data.Lon.Length];
        index.LocateAll(data.Lon, data.Lat, located);
        foreach (var j in located)
        {
            if (j < 0) continue;
            counts[j]++;
            assigned++;
        }

        return (counts, assigned);
    }

    public static PatrolCoverageReport Patrol(BenchData data) =>
        PatrolCoverage.Compute(
            new PatrolCoverageInput(data.Departments, data.Fixes, data.Units, []),
            new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: Core.Crs.MetricProjection.Dongying));
}
