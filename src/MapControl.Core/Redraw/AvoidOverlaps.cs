using NetTopologySuite.Geometries;

namespace MapControl.Core.Redraw;

/// <summary>"Avoid overlaps" (as in QGIS): the edited polygon minus its neighbours, so an edit never creates an overlap.</summary>
public static class AvoidOverlaps
{
    /// <summary>The polygonal part of <paramref name="proposed"/> outside every neighbour (lon/lat); the proposal itself when it overlaps none.</summary>
    public static Geometry Clip(Geometry proposed, IEnumerable<Geometry> neighbours)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        var result = proposed;
        foreach (var n in neighbours)
        {
            if (n is null || n.IsEmpty || !n.EnvelopeInternal.Intersects(result.EnvelopeInternal)) continue;
            if (!result.Intersects(n)) continue;
            var cut = result.Difference(n);
            if (cut.Area >= result.Area) continue;
            result = cut;
        }
        if (ReferenceEquals(result, proposed)) return proposed;
        var polygons = Enumerable.Range(0, result.NumGeometries).Select(result.GetGeometryN).OfType<Polygon>().Where(p => !p.IsEmpty).ToArray();
        Geometry shaped = polygons.Length == 1 ? polygons[0] : proposed.Factory.CreateMultiPolygon(polygons);
        shaped.SRID = proposed.SRID;
        return shaped;
    }
}
