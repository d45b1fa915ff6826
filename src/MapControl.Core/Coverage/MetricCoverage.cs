using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace MapControl.Core.Coverage;

/// <summary>One coverage item projected to metres and made valid; Index points back into the input list.</summary>
internal sealed record MetricItem(int Index, string Owner, Geometry Geometry);

/// <summary>The frame and items of a coverage input densified, projected to metres, repaired where invalid and snapped to the grid; problems as data.</summary>
internal sealed class MetricCoverage
{
    private MetricCoverage(MetricProjection projection, Geometry frame, IReadOnlyList<MetricItem> items, IReadOnlyList<CoverageProblem> problems,
        MetricOverlay overlay)
    {
        Overlay = overlay;
        Projection = projection;
        Frame = frame;
        Items = items;
        Problems = problems;
    }

    public MetricProjection Projection { get; }
    public MetricOverlay Overlay { get; }
    public Geometry Frame { get; }
    public IReadOnlyList<MetricItem> Items { get; }
    public IReadOnlyList<CoverageProblem> Problems { get; }

    public static MetricCoverage Create(Geometry frame, IReadOnlyList<CoverageItem> items, CoverageOptions options)
    {
        var projection = options.Projection ?? MetricProjection.CentredOn(frame.EnvelopeInternal);
        var step = options.DensifyStepDegrees;
        var overlay = new MetricOverlay(options.GridM);
        var problems = new List<CoverageProblem>();
        var metricFrame = Polygonal(projection.Forward(LonLatDensifier.Densify(frame, step)), -1, "frame", problems, overlay)
            ?? projection.Forward(frame).Factory.CreatePolygon();
        var metricItems = new List<MetricItem>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var geometry = Polygonal(projection.Forward(LonLatDensifier.Densify(items[i].Geometry, step)), i, items[i].Owner, problems, overlay);
            if (geometry is not null) metricItems.Add(new MetricItem(i, items[i].Owner, geometry));
        }
        return new MetricCoverage(projection, metricFrame, metricItems, problems, overlay);
    }

    /// <summary>The valid polygonal part of a metric geometry, repaired with GeometryFixer when needed; null when nothing areal is left.</summary>
    private static Geometry? Polygonal(Geometry geometry, int index, string owner, List<CoverageProblem> problems, MetricOverlay overlay)
    {
        if (geometry.IsEmpty)
        {
            problems.Add(new CoverageProblem(index, owner, "empty geometry, skipped", false));
            return null;
        }
        var fixedGeometry = geometry;
        if (!geometry.IsValid)
        {
            fixedGeometry = GeometryFixer.Fix(geometry);
            problems.Add(new CoverageProblem(index, owner, "invalid polygon (e.g. self-intersection) repaired with GeometryFixer", true));
        }
        // On the grid of every overlay, so that frame area − gap areas = covered area and sub-mm noise matches.
        fixedGeometry = overlay.Round(fixedGeometry);
        var polygons = PolygonMeasures.Polygons(fixedGeometry);
        if (polygons.Count == 0)
        {
            problems.Add(new CoverageProblem(index, owner, $"no area in {geometry.GeometryType}, skipped", false));
            return null;
        }
        if (polygons.Count == 1 && fixedGeometry is Polygon) return fixedGeometry;
        if (polygons.Count < fixedGeometry.NumGeometries || fixedGeometry is not (Polygon or MultiPolygon))
        {
            problems.Add(new CoverageProblem(index, owner, "non-areal parts dropped", true));
        }
        return fixedGeometry.Factory.CreateMultiPolygon(polygons.ToArray());
    }
}
