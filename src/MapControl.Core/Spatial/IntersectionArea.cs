using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Spatial;

/// <summary>
/// The area of the intersection of two valid polygonal geometries without building it (Green's theorem): the boundary
/// of A ∩ B is the part of ∂A inside B plus the part of ∂B inside A, so the area is ½ Σ (x₁y₂ − x₂y₁) over those pieces,
/// with every ring oriented so that its polygon's interior lies on its left. Rings are cut where they cross, and each
/// piece is classified by its midpoint; a piece of ∂A lying on ∂B counts once, when both interiors lie on its left.
/// About ten times cheaper than an overlay when only the area is wanted (patrol coverage's own share).
/// </summary>
internal static class IntersectionArea
{
    /// <summary>Area of A ∩ B (A and B valid Polygon or MultiPolygon, same planar coordinates).</summary>
    public static double Of(Geometry a, Geometry b)
    {
        if (a.IsEmpty || b.IsEmpty || !a.EnvelopeInternal.Intersects(b.EnvelopeInternal))
        {
            return 0.0;
        }

        var clip = a.EnvelopeInternal.Intersection(b.EnvelopeInternal);
        var segmentsA = Segments(a, clip);
        var segmentsB = Segments(b, clip);
        var cutsA = new List<double>?[segmentsA.Count];
        var cutsB = new List<double>?[segmentsB.Count];
        var index = new STRtree<int>();
        for (var j = 0; j < segmentsB.Count; j++)
        {
            index.Insert(Envelope(segmentsB[j]), j);
        }

        index.Build();
        var intersector = new RobustLineIntersector();
        for (var i = 0; i < segmentsA.Count; i++)
        {
            var (p0, p1) = segmentsA[i];
            foreach (var j in index.Query(Envelope(segmentsA[i])))
            {
                var (q0, q1) = segmentsB[j];
                intersector.ComputeIntersection(p0, p1, q0, q1);
                for (var k = 0; k < intersector.IntersectionNum; k++)
                {
                    var point = intersector.GetIntersection(k);
                    Add(ref cutsA[i], Parameter(p0, p1, point));
                    Add(ref cutsB[j], Parameter(q0, q1, point));
                }
            }
        }

        var inA = new IndexedPointInAreaLocator(a);
        var inB = new IndexedPointInAreaLocator(b);
        // The pieces form closed rings, so the sum may be taken about any origin: the clip centre keeps the products small.
        var origin = clip.Centre;
        var twice = Sum(segmentsA, cutsA, inB, onBoundaryCounts: true, origin) + Sum(segmentsB, cutsB, inA, onBoundaryCounts: false, origin);
        return Math.Max(0.0, twice / 2.0);
    }

    /// <summary>Ring segments, interior on the left (shells counter-clockwise, holes clockwise), that reach the clip envelope.</summary>
    /// <remarks>Segments outside the other geometry's envelope lie outside it and add nothing to the sum.</remarks>
    private static List<(Coordinate P0, Coordinate P1)> Segments(Geometry polygonal, Envelope clip)
    {
        var result = new List<(Coordinate, Coordinate)>();
        for (var g = 0; g < polygonal.NumGeometries; g++)
        {
            if (polygonal.GetGeometryN(g) is not Polygon polygon || polygon.IsEmpty)
            {
                continue;
            }

            AddRing(result, polygon.ExteriorRing.Coordinates, counterClockwise: true, clip);
            foreach (var hole in polygon.InteriorRings)
            {
                AddRing(result, hole.Coordinates, counterClockwise: false, clip);
            }
        }

        return result;
    }

    private static void AddRing(List<(Coordinate, Coordinate)> result, Coordinate[] ring, bool counterClockwise, Envelope clip)
    {
        var reverse = Orientation.IsCCW(ring) != counterClockwise;
        for (var k = 0; k + 1 < ring.Length; k++)
        {
            var (p0, p1) = reverse ? (ring[k + 1], ring[k]) : (ring[k], ring[k + 1]);
            if (clip.Intersects(p0, p1))
            {
                result.Add((p0, p1));
            }
        }
    }

    private static double Sum(List<(Coordinate P0, Coordinate P1)> segments, List<double>?[] cuts, IndexedPointInAreaLocator other, bool onBoundaryCounts,
        Coordinate origin)
    {
        var sum = 0.0;
        for (var i = 0; i < segments.Count; i++)
        {
            var (p0, p1) = segments[i];
            var list = cuts[i];
            if (list is null)
            {
                sum += Contribution(p0.X, p0.Y, p1.X, p1.Y, other, onBoundaryCounts, origin);
                continue;
            }

            list.Add(0.0);
            list.Add(1.0);
            list.Sort();
            for (var k = 0; k + 1 < list.Count; k++)
            {
                double t0 = list[k], t1 = list[k + 1];
                if (t1 - t0 <= 1e-12)
                {
                    continue;
                }

                sum += Contribution(
                    p0.X + t0 * (p1.X - p0.X), p0.Y + t0 * (p1.Y - p0.Y),
                    p0.X + t1 * (p1.X - p0.X), p0.Y + t1 * (p1.Y - p0.Y), other, onBoundaryCounts, origin);
            }
        }

        return sum;
    }

    /// <summary>x₀y₁ − x₁y₀ (about the origin) of the piece when it bounds the intersection, else 0.</summary>
    private static double Contribution(double x0, double y0, double x1, double y1, IndexedPointInAreaLocator other, bool onBoundaryCounts,
        Coordinate origin)
    {
        var mid = new Coordinate((x0 + x1) / 2, (y0 + y1) / 2);
        var location = other.Locate(mid);
        if (location == Location.Boundary)
        {
            if (!onBoundaryCounts)
            {
                return 0.0;
            }

            // Shared boundary: it bounds A ∩ B when B's interior lies on the left too (the side of A's interior).
            var dx = x1 - x0;
            var dy = y1 - y0;
            var length = Math.Sqrt(dx * dx + dy * dy);
            var step = Math.Max(1e-9 * Math.Max(Math.Abs(mid.X), Math.Abs(mid.Y)), 1e-6 * length);
            var left = new Coordinate(mid.X - dy / length * step, mid.Y + dx / length * step);
            location = other.Locate(left) == Location.Interior ? Location.Interior : Location.Exterior;
        }

        return location == Location.Interior ? (x0 - origin.X) * (y1 - origin.Y) - (x1 - origin.X) * (y0 - origin.Y) : 0.0;
    }

    private static double Parameter(Coordinate p0, Coordinate p1, Coordinate point)
    {
        double dx = p1.X - p0.X, dy = p1.Y - p0.Y;
        var length2 = dx * dx + dy * dy;
        return length2 == 0 ? 0.0 : Math.Clamp(((point.X - p0.X) * dx + (point.Y - p0.Y) * dy) / length2, 0.0, 1.0);
    }

    private static void Add(ref List<double>? list, double t)
    {
        if (t <= 0.0 || t >= 1.0)
        {
            return;
        }

        (list ??= []).Add(t);
    }

    private static Envelope Envelope((Coordinate P0, Coordinate P1) segment) => new(segment.P0, segment.P1);
}
