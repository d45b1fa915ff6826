using NetTopologySuite.Geometries;

namespace MapControl.Core.Redraw;

/// <summary>
/// The snapping rule of an edit (the one place of it, docs/DEFINITIONS.md "Redraw impact"): every vertex of a proposed geometry
/// that lies within <see cref="ToleranceM"/> of a stored vertex of the same item or of another item of the coverage moves onto
/// that vertex (the nearest one). A geometry that went through a browser and came back within centimetres of what is stored is
/// so exactly what is stored, while a vertex moved by half a metre stays where it was put (its sliver is found).
/// Lon/lat in and out; distances in metres on the WGS84 ellipsoid (local scale at the vertex, exact to &lt; 0.1% over 10 cm).
/// </summary>
public static class VertexSnap
{
    /// <summary>Distance (m) within which a proposed vertex snaps to a stored one: 10 cm.</summary>
    public const double ToleranceM = 0.10;

    /// <summary>The proposal with each vertex within <paramref name="toleranceM"/> of a stored vertex moved onto it; the same instance when nothing moved.</summary>
    public static Geometry Snap(Geometry proposed, IEnumerable<Geometry> stored, double toleranceM = ToleranceM)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(stored);
        if (proposed.IsEmpty) return proposed;
        var envelope = proposed.EnvelopeInternal.Copy();
        var cell = toleranceM / 110_000.0; // degrees of latitude per cell, a little more than the tolerance
        envelope.ExpandBy(cell * 4 / Math.Max(0.05, Math.Cos(envelope.Centre.Y * Math.PI / 180)));
        var index = new Dictionary<(long, long), List<Coordinate>>();
        var cosLat = Math.Cos(envelope.Centre.Y * Math.PI / 180);
        var lonCell = cell / Math.Max(0.05, cosLat);
        foreach (var g in stored)
        {
            if (g is null || !g.EnvelopeInternal.Intersects(envelope)) continue;
            foreach (var c in g.Coordinates)
            {
                if (!envelope.Contains(c)) continue;
                var key = ((long)Math.Floor(c.X / lonCell), (long)Math.Floor(c.Y / cell));
                if (!index.TryGetValue(key, out var list)) index[key] = list = [];
                list.Add(c);
            }
        }
        if (index.Count == 0) return proposed;

        var moved = false;
        var copy = proposed.Copy();
        copy.Apply(new SnapFilter(c =>
        {
            var (kx, ky) = ((long)Math.Floor(c.X / lonCell), (long)Math.Floor(c.Y / cell));
            Coordinate? best = null;
            var bestD = double.MaxValue;
            for (var dx = -1; dx <= 1; dx++)
            for (var dy = -1; dy <= 1; dy++)
            {
                if (!index.TryGetValue((kx + dx, ky + dy), out var list)) continue;
                foreach (var s in list)
                {
                    var d = DistanceM(c, s);
                    if (d < bestD || (d == bestD && best is not null && (s.X, s.Y).CompareTo((best.X, best.Y)) < 0)) { bestD = d; best = s; }
                }
            }
            if (best is null || bestD > toleranceM || (best.X == c.X && best.Y == c.Y)) return null;
            moved = true;
            return best;
        }));
        if (!moved) return proposed;
        copy.GeometryChanged();
        return RemoveRepeated(copy);
    }

    /// <summary>Distance in metres between two nearby lon/lat points (local scale of the WGS84 ellipsoid at their mean latitude).</summary>
    public static double DistanceM(Coordinate a, Coordinate b)
    {
        var phi = (a.Y + b.Y) / 2 * Math.PI / 180;
        var perLat = 111_132.954 - 559.822 * Math.Cos(2 * phi) + 1.175 * Math.Cos(4 * phi);
        var perLon = 111_412.84 * Math.Cos(phi) - 93.5 * Math.Cos(3 * phi);
        var dx = (a.X - b.X) * perLon;
        var dy = (a.Y - b.Y) * perLat;
        return Math.Sqrt(dx * dx + dy * dy);
    }

    private static Geometry RemoveRepeated(Geometry g)
    {
        var f = g.Factory;
        LinearRing Ring(LineString r)
        {
            var cs = new List<Coordinate>();
            foreach (var c in r.Coordinates) if (cs.Count == 0 || !cs[^1].Equals2D(c)) cs.Add(c);
            return cs.Count >= 4 ? f.CreateLinearRing(cs.ToArray()) : f.CreateLinearRing(r.Coordinates);
        }
        Polygon Poly(Polygon p) => f.CreatePolygon(Ring(p.ExteriorRing), p.InteriorRings.Select(Ring).ToArray());
        Geometry result = g switch
        {
            Polygon p => Poly(p),
            MultiPolygon m => f.CreateMultiPolygon(Enumerable.Range(0, m.NumGeometries).Select(i => Poly((Polygon)m.GetGeometryN(i))).ToArray()),
            _ => g,
        };
        result.SRID = g.SRID;
        return result;
    }

    private sealed class SnapFilter(Func<Coordinate, Coordinate?> snap) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var c = seq.GetCoordinateCopy(i);
            if (snap(c) is { } s)
            {
                seq.SetX(i, s.X);
                seq.SetY(i, s.Y);
            }
        }
    }
}
