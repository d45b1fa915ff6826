using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Precision;

namespace MapControl.Core.Coverage;

/// <summary>
/// Overlays in metric coordinates whose results are put on a grid (default 1 mm): the inputs are already on the grid,
/// the overlay runs in floating point (OverlayNGRobust, faster than snap-rounding noding), and rounding the result
/// (vertex by vertex when that stays valid, else snap-rounding) removes the sub-grid slivers that reprojection noise
/// leaves along shared edges (real slivers are kept). The coverage check itself overlays only unmatched edges
/// (<see cref="CoverageFaces"/>); the full overlays remain for redraw comparisons.
/// </summary>
internal sealed class MetricOverlay(double gridM)
{
    /// <summary>The precision model of the grid.</summary>
    public PrecisionModel Grid { get; } = new(1.0 / gridM);

    public Geometry Union(IEnumerable<Geometry> polygons, GeometryFactory factory) =>
        Round(OverlayNGRobust.Union((Geometry)factory.CreateGeometryCollection(polygons.ToArray())));

    public Geometry Difference(Geometry a, Geometry b) => Round(OverlayNGRobust.Overlay(a, b, SpatialFunction.Difference));

    public Geometry Intersection(Geometry a, Geometry b) => Round(OverlayNGRobust.Overlay(a, b, SpatialFunction.Intersection));

    /// <summary>
    /// The geometry on the grid: each vertex rounded (cheap) when that leaves it valid, else snap-rounded by
    /// GeometryPrecisionReducer (which also removes collapsed slivers).
    /// </summary>
    public Geometry Round(Geometry geometry)
    {
        var pointwise = GeometryPrecisionReducer.ReducePointwise(geometry, Grid);
        return !pointwise.IsEmpty && pointwise.IsValid ? pointwise : GeometryPrecisionReducer.Reduce(geometry, Grid);
    }
}
