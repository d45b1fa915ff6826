using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>
/// Coverage check (覆盖检查): gaps, overlaps and invalid edges of a polygon coverage within a frame, measured in metres
/// (DESIGN.md §4). Overlaps are reported only inside the frame; parts of items outside the frame are neither gap nor overlap.
/// </summary>
public static class CoverageCheck
{
    /// <summary>Runs the coverage check; geometries in and out are lon/lat (SRID 4326), areas m², widths and lengths m.</summary>
    public static CoverageReport Run(CoverageInput input, CoverageOptions? options = null) =>
        Analyse(input, options ?? new CoverageOptions()).Report;

    /// <summary>The check with its metric geometries kept (for redraw comparisons).</summary>
    /// <param name="points">The input's wells and incidents already projected in <paramref name="options"/>' projection (a redraw's), or null.</param>
    internal static CoverageAnalysis Analyse(CoverageInput input, CoverageOptions options, MetricPoints? points = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var coverage = MetricCoverage.Create(input.Frame, input.Items, options);
        options.Trace?.Invoke("check: metric coverage created");
        return new CoverageWorker(input, coverage, options, points).Run();
    }
}

/// <summary>A coverage report with the metric polygons of its gaps and overlaps (same order as in the report).</summary>
internal sealed record CoverageAnalysis(CoverageReport Report, IReadOnlyList<Polygon> GapsMetric,
    IReadOnlyList<Polygon> OverlapsMetric, MetricCoverage Coverage)
{
    /// <summary>Area of every gap, reported or not, m².</summary>
    public double GapAreaM2 { get; init; }

    /// <summary>Area of every overlap inside the frame, reported or not, m².</summary>
    public double OverlapAreaM2 { get; init; }
}
