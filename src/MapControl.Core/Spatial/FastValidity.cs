using System.Buffers;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Spatial;

/// <summary>
/// A quick, exact-when-it-says-yes validity test for polygons and multipolygons: true only when no two segments of any
/// rings meet (other than consecutive segments at their shared vertex), no ring doubles back on itself, every hole
/// lies in its shell and in no other hole, and no part lies inside another part. Such a geometry is OGC-valid.
/// False means "not shown valid here" (touching rings, repeated points, holes of holes, …): ask NTS IsValid.
/// Segments are bucketed in a uniform grid, so the work is near-linear in the vertices — typically several times
/// faster than the general IsValidOp, which is what a coverage check over hundreds of thousands of vertices needs.
/// </summary>
public static class FastValidity
{
    /// <summary>Largest number of holes (or parts) checked pairwise for nesting before handing over to NTS.</summary>
    private const int MaxNestingChecks = 32;

    /// <summary>True when the polygon or multipolygon is certainly valid (see the type's summary); false when not shown.</summary>
    public static bool IsCertainlyValid(Geometry geometry)
    {
        switch (geometry)
        {
            case Polygon polygon:
                return !polygon.IsEmpty && RingsAreDisjointAndSimple([polygon]) && HolesNestProperly(polygon);
            case MultiPolygon multi when !multi.IsEmpty && multi.NumGeometries <= MaxNestingChecks:
                var polygons = new Polygon[multi.NumGeometries];
                for (var i = 0; i < polygons.Length; i++)
                {
                    polygons[i] = (Polygon)multi.GetGeometryN(i);
                    if (polygons[i].IsEmpty || !HolesNestProperly(polygons[i])) return false;
                }
                return RingsAreDisjointAndSimple(polygons) && PartsAreApart(polygons);
            default:
                return false;
        }
    }

    private static bool HolesNestProperly(Polygon polygon)
    {
        var holes = polygon.NumInteriorRings;
        if (holes == 0) return true;
        if (holes > MaxNestingChecks) return false;
        var shell = polygon.ExteriorRing.CoordinateSequence;
        for (var h = 0; h < holes; h++)
        {
            // The rings do not meet, so one vertex tells on which side of another ring a whole ring lies.
            var probe = polygon.GetInteriorRingN(h).CoordinateSequence.GetCoordinate(0);
            if (PointLocation.LocateInRing(probe, shell) != Location.Interior) return false;
            for (var other = 0; other < holes; other++)
            {
                if (other != h && PointLocation.LocateInRing(probe, polygon.GetInteriorRingN(other).CoordinateSequence) != Location.Exterior) return false;
            }
        }
        return true;
    }

    private static bool PartsAreApart(Polygon[] polygons)
    {
        for (var i = 0; i < polygons.Length; i++)
        {
            var probe = polygons[i].ExteriorRing.CoordinateSequence.GetCoordinate(0);
            for (var j = 0; j < polygons.Length; j++)
            {
                // A part inside another part's shell may sit in one of its holes (valid) — not decided here.
                if (i != j && PointLocation.LocateInRing(probe, polygons[j].ExteriorRing.CoordinateSequence) != Location.Exterior) return false;
            }
        }
        return true;
    }

    /// <summary>True when the rings are closed, have no repeated points or spikes, and no two segments meet except consecutive ones at their shared vertex.</summary>
    internal static bool RingsAreDisjointAndSimple(Polygon[] polygons)
    {
        var count = 0;
        foreach (var polygon in polygons)
        {
            count += polygon.ExteriorRing.NumPoints - 1;
            for (var h = 0; h < polygon.NumInteriorRings; h++) count += polygon.GetInteriorRingN(h).NumPoints - 1;
        }
        // Segment s runs from (X[s], Y[s]) to (X[Next[s]], Y[Next[s]]); Next closes each ring.
        var xs = ArrayPool<double>.Shared.Rent(count);
        var ys = ArrayPool<double>.Shared.Rent(count);
        var next = ArrayPool<int>.Shared.Rent(count);
        try
        {
            var filled = 0;
            foreach (var polygon in polygons)
            {
                if (!AddRing(polygon.ExteriorRing.CoordinateSequence, xs, ys, next, ref filled)) return false;
                for (var h = 0; h < polygon.NumInteriorRings; h++)
                {
                    if (!AddRing(polygon.GetInteriorRingN(h).CoordinateSequence, xs, ys, next, ref filled)) return false;
                }
            }
            return NoSegmentsMeet(xs, ys, next, count);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(xs);
            ArrayPool<double>.Shared.Return(ys);
            ArrayPool<int>.Shared.Return(next);
        }
    }

    private static bool AddRing(CoordinateSequence ring, double[] xs, double[] ys, int[] next, ref int filled)
    {
        var n = ring.Count - 1;
        if (n < 3) return false;
        if (ring.GetX(0) != ring.GetX(n) || ring.GetY(0) != ring.GetY(n)) return false;
        var start = filled;
        for (var i = 0; i < n; i++)
        {
            var x = ring.GetX(i);
            var y = ring.GetY(i);
            if (!double.IsFinite(x) || !double.IsFinite(y)) return false;
            xs[start + i] = x;
            ys[start + i] = y;
            next[start + i] = i + 1 < n ? start + i + 1 : start;
        }
        filled += n;
        // Consecutive segments a→b→c: no repeated point, and c not back along b→a (a spike or a collapsed ring).
        for (var i = 0; i < n; i++)
        {
            int a = start + i, b = next[a], c = next[b];
            if (xs[a] == xs[b] && ys[a] == ys[b]) return false;
            if (CGAlgorithmsDD.OrientationIndex(xs[a], ys[a], xs[b], ys[b], xs[c], ys[c]) == 0
                && (xs[a] - xs[b]) * (xs[c] - xs[b]) + (ys[a] - ys[b]) * (ys[c] - ys[b]) > 0) return false;
        }
        return true;
    }

    /// <summary>Bucket the segments in a uniform grid and test the pairs sharing a cell; each pair is tested once, in the cell holding the low corner of the overlap of their envelopes.</summary>
    private static bool NoSegmentsMeet(double[] xs, double[] ys, int[] next, int n)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue, length = 0;
        for (var s = 0; s < n; s++)
        {
            minX = Math.Min(minX, xs[s]);
            minY = Math.Min(minY, ys[s]);
            maxX = Math.Max(maxX, xs[s]);
            maxY = Math.Max(maxY, ys[s]);
            length += Math.Abs(xs[next[s]] - xs[s]) + Math.Abs(ys[next[s]] - ys[s]);
        }
        var width = Math.Max(maxX - minX, 1e-12);
        var height = Math.Max(maxY - minY, 1e-12);
        var cell = Math.Max(Math.Sqrt(width * height / n), 0.5 * length / n);
        var columns = (int)Math.Min(4096, Math.Floor(width / cell) + 1);
        var rows = (int)Math.Min(4096, Math.Floor(height / cell) + 1);
        var cellX = width / columns * (1 + 1e-12);
        var cellY = height / rows * (1 + 1e-12);
        int Column(double x) => Math.Min(columns - 1, (int)((x - minX) / cellX));
        int Row(double y) => Math.Min(rows - 1, (int)((y - minY) / cellY));

        // Counting sort of (cell, segment) entries.
        var cells = columns * rows;
        var starts = ArrayPool<int>.Shared.Rent(cells + 1);
        var fill = ArrayPool<int>.Shared.Rent(cells + 1);
        int[]? bucket = null;
        try
        {
            Array.Clear(starts, 0, cells + 1);
            long entries = 0;
            for (var s = 0; s < n; s++)
            {
                var t = next[s];
                int c0 = Column(Math.Min(xs[s], xs[t])), c1 = Column(Math.Max(xs[s], xs[t]));
                int r0 = Row(Math.Min(ys[s], ys[t])), r1 = Row(Math.Max(ys[s], ys[t]));
                entries += (long)(c1 - c0 + 1) * (r1 - r0 + 1);
                if (entries > 16L * n + 1024) return false; // long segments crossing many cells: leave it to NTS
                for (var r = r0; r <= r1; r++)
                for (var c = c0; c <= c1; c++) starts[r * columns + c + 1]++;
            }
            for (var k = 1; k <= cells; k++) starts[k] += starts[k - 1];
            Array.Copy(starts, fill, cells + 1);
            bucket = ArrayPool<int>.Shared.Rent((int)entries);
            for (var s = 0; s < n; s++)
            {
                var t = next[s];
                int c0 = Column(Math.Min(xs[s], xs[t])), c1 = Column(Math.Max(xs[s], xs[t]));
                int r0 = Row(Math.Min(ys[s], ys[t])), r1 = Row(Math.Max(ys[s], ys[t]));
                for (var r = r0; r <= r1; r++)
                for (var c = c0; c <= c1; c++) bucket[fill[r * columns + c]++] = s;
            }

            for (var k = 0; k < cells; k++)
            {
                for (var i = starts[k]; i < starts[k + 1]; i++)
                {
                    var p = bucket[i];
                    var p2 = next[p];
                    for (var j = i + 1; j < starts[k + 1]; j++)
                    {
                        var q = bucket[j];
                        var q2 = next[q];
                        if (p2 == q || q2 == p) continue; // consecutive: checked for spikes when the ring was added
                        var lowX = Math.Max(Math.Min(xs[p], xs[p2]), Math.Min(xs[q], xs[q2]));
                        var lowY = Math.Max(Math.Min(ys[p], ys[p2]), Math.Min(ys[q], ys[q2]));
                        if (lowX > Math.Min(Math.Max(xs[p], xs[p2]), Math.Max(xs[q], xs[q2]))
                            || lowY > Math.Min(Math.Max(ys[p], ys[p2]), Math.Max(ys[q], ys[q2]))) continue;
                        if (Row(lowY) * columns + Column(lowX) != k) continue;
                        if (Meet(xs[p], ys[p], xs[p2], ys[p2], xs[q], ys[q], xs[q2], ys[q2])) return false;
                    }
                }
            }
            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
            ArrayPool<int>.Shared.Return(fill);
            if (bucket is not null) ArrayPool<int>.Shared.Return(bucket);
        }
    }

    /// <summary>Whether two segments with overlapping envelopes share a point (crossing, touching or collinear overlap), by robust orientation tests.</summary>
    internal static bool Meet(double px, double py, double p2x, double p2y, double qx, double qy, double q2x, double q2y)
    {
        var o1 = CGAlgorithmsDD.OrientationIndex(px, py, p2x, p2y, qx, qy);
        var o2 = CGAlgorithmsDD.OrientationIndex(px, py, p2x, p2y, q2x, q2y);
        if (o1 * o2 > 0) return false;
        var o3 = CGAlgorithmsDD.OrientationIndex(qx, qy, q2x, q2y, px, py);
        var o4 = CGAlgorithmsDD.OrientationIndex(qx, qy, q2x, q2y, p2x, p2y);
        if (o3 * o4 > 0) return false;
        // Not strictly apart on either line; collinear segments meet since their envelopes overlap.
        return true;
    }
}
