using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace MapControl.Core.Spatial;

/// <summary>
/// The one check a geometry passes before it is stored by any write path (planner save, planning API, import): not empty, at most
/// <see cref="MaxVertices"/> vertices, inside the plausibility extent (lon/lat), and valid (OGC) — a shape is refused, never silently
/// repaired, so that what is stored is what the editor saw.
/// </summary>
public static class EditGeometry
{
    /// <summary>Most vertices a stored geometry may have (a detailed jurisdiction boundary has a few thousand).</summary>
    public const int MaxVertices = 100_000;

    /// <summary>The default plausibility extent: China with margin (west, south, east, north).</summary>
    public static readonly (double MinLon, double MinLat, double MaxLon, double MaxLat) China = (73, 3, 136, 54);

    /// <summary>Why the geometry may not be stored, or null when it may.</summary>
    public static string? Problem(Geometry? geometry, (double MinLon, double MinLat, double MaxLon, double MaxLat)? extent = null,
        int maxVertices = MaxVertices)
    {
        if (geometry is null || geometry.IsEmpty) return "no geometry";
        if (geometry is Point point && maxVertices >= 1 && double.IsFinite(point.X) && double.IsFinite(point.Y))
        {
            // A point (10⁶ of them in an incident import) without an envelope and a validity operation per call: its envelope is
            // itself, and a point with finite coordinates is valid (the general path below gives the same answers).
            var p = extent ?? China;
            return point.X >= p.MinLon && point.X <= p.MaxLon && point.Y >= p.MinLat && point.Y <= p.MaxLat
                ? null
                : $"coordinates out of range ({point.X:0.######}..{point.X:0.######}E, {point.Y:0.######}..{point.Y:0.######}N)";
        }
        if (geometry.NumPoints > maxVertices) return $"too many vertices ({geometry.NumPoints:N0}; at most {maxVertices:N0})";
        var e = extent ?? China;
        var env = geometry.EnvelopeInternal;
        if (!(env.MinX >= e.MinLon && env.MaxX <= e.MaxLon && env.MinY >= e.MinLat && env.MaxY <= e.MaxLat))
            return $"coordinates out of range ({env.MinX:0.######}..{env.MaxX:0.######}E, {env.MinY:0.######}..{env.MaxY:0.######}N)";
        if (!geometry.IsValid) return "invalid geometry: " + (new IsValidOp(geometry).ValidationError?.Message ?? "invalid");
        return null;
    }
}
