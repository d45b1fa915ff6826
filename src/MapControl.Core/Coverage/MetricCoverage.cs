using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using MapControl.Core.Spatial;
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
        var overlay = new MetricOverlay(options.GridM);
        var frameProblems = new List<CoverageProblem>();
        var metricFrame = Prepare(frame, -1, "frame", new MetricProjector(projection, options.DensifyStepDegrees), overlay, frameProblems)
            ?? projection.Forward(frame).Factory.CreatePolygon();

        // Items are independent until they meet in the edge matching: project, validate and round them in parallel,
        // each worker with a projector (and ProjNet transform) of its own; results keep the input order.
        var prepared = new Geometry?[items.Count];
        var itemProblems = new List<CoverageProblem>?[items.Count];
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, items.Count / 8));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var projector = new MetricProjector(projection, options.DensifyStepDegrees);
            for (var i = w; i < items.Count; i += workers)
            {
                var problems = new List<CoverageProblem>(0);
                prepared[i] = Prepare(items[i].Geometry, i, items[i].Owner, projector, overlay, problems);
                if (problems.Count > 0) itemProblems[i] = problems;
            }
        });

        var allProblems = new List<CoverageProblem>(frameProblems);
        var metricItems = new List<MetricItem>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (itemProblems[i] is { } problems) allProblems.AddRange(problems);
            if (prepared[i] is { } geometry) metricItems.Add(new MetricItem(i, items[i].Owner, geometry));
        }
        return new MetricCoverage(projection, metricFrame, metricItems, allProblems, overlay);
    }

    /// <summary>
    /// A lon/lat geometry densified, projected and on the grid. The common case — the rounded geometry is shown valid by
    /// <see cref="FastValidity"/> — costs one pass; anything else takes the general path (NTS IsValid, GeometryFixer,
    /// snap-rounding) on the unrounded projection.
    /// </summary>
    private static Geometry? Prepare(Geometry lonLat, int index, string owner, MetricProjector projector, MetricOverlay overlay,
        List<CoverageProblem> problems)
    {
        if (!lonLat.IsEmpty && lonLat is Polygon or MultiPolygon)
        {
            var onGrid = projector.Project(lonLat, overlay.Grid);
            if (FastValidity.IsCertainlyValid(onGrid)) return onGrid;
        }
        return Polygonal(projector.Project(lonLat, grid: null), index, owner, problems, overlay);
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
