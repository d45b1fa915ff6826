using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Coverage;

/// <summary>
/// OverlayNG with snap-rounding on a grid in metric coordinates (default 1 mm): robust, and free of the sub-grid slivers
/// that reprojection noise leaves along shared edges (real slivers of centimetres and more are kept).
/// </summary>
internal sealed class MetricOverlay(double gridM)
{
    /// <summary>The precision model of the grid.</summary>
    public PrecisionModel Grid { get; } = new(1.0 / gridM);

    public Geometry Union(IEnumerable<Geometry> polygons, GeometryFactory factory) =>
        UnaryUnionNG.Union((Geometry)factory.CreateGeometryCollection(polygons.ToArray()), Grid);

    public Geometry Difference(Geometry a, Geometry b) => OverlayNG.Overlay(a, b, SpatialFunction.Difference, Grid);

    public Geometry Intersection(Geometry a, Geometry b) => OverlayNG.Overlay(a, b, SpatialFunction.Intersection, Grid);
}
