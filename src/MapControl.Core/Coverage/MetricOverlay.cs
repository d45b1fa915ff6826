using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Coverage;

/// <summary>
/// OverlayNG with snap-rounding on a 1 mm grid in metric coordinates: robust, and free of the sub-millimetre slivers that
/// reprojection noise leaves along shared edges (real slivers of centimetres and more are kept).
/// </summary>
internal static class MetricOverlay
{
    /// <summary>The 1 mm precision model.</summary>
    public static readonly PrecisionModel Millimetre = new(1000.0);

    public static Geometry Union(IEnumerable<Geometry> polygons, GeometryFactory factory) =>
        UnaryUnionNG.Union((Geometry)factory.CreateGeometryCollection(polygons.ToArray()), Millimetre);

    public static Geometry Difference(Geometry a, Geometry b) => OverlayNG.Overlay(a, b, SpatialFunction.Difference, Millimetre);

    public static Geometry Intersection(Geometry a, Geometry b) => OverlayNG.Overlay(a, b, SpatialFunction.Intersection, Millimetre);
}
