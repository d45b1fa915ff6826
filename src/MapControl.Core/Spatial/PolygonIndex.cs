using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Spatial;

/// <summary>
/// Locates points in a fixed list of polygons (e.g. which jurisdiction an incident falls in). A bucket grid over the
/// polygons' envelopes finds the candidates; each polygon keeps its edges in horizontal bands, so a robust
/// crossing-number test (the JTS ray-crossing rules) reads only the few edges near the point's latitude.
/// Boundary points belong to a polygon (covers semantics); where polygons overlap the lowest index wins.
/// Built once, it is read-only and safe to query from several threads.
/// </summary>
public sealed class PolygonIndex
{
    private readonly BandedPolygon?[] _polygons;
    private readonly double _minX;
    private readonly double _minY;
    private readonly double _invCellW;
    private readonly double _invCellH;
    private readonly int _cols;
    private readonly int _rows;
    private readonly int[] _bucketStart;
    private readonly int[] _bucketItems;
    private readonly int[] _bucketAnswer; // polygon index (or -1) for a bucket no edge passes through; -2: test the candidates

    private PolygonIndex(BandedPolygon?[] polygons, Envelope extent, int cols, int rows, int[] bucketStart, int[] bucketItems)
    {
        _bucketAnswer = new int[cols * rows];
        _polygons = polygons;
        _minX = extent.MinX;
        _minY = extent.MinY;
        _cols = cols;
        _rows = rows;
        _invCellW = extent.Width > 0 ? cols / extent.Width : 0;
        _invCellH = extent.Height > 0 ? rows / extent.Height : 0;
        _bucketStart = bucketStart;
        _bucketItems = bucketItems;
        _bucketAnswer.AsSpan().Fill(-2);
    }

    /// <summary>Number of polygons indexed (including empty or non-polygonal ones, which never match).</summary>
    public int Count => _polygons.Length;

    /// <summary>Builds the index over Polygon or MultiPolygon geometries; any other or empty geometry is kept as a never-matching entry.</summary>
    public static PolygonIndex Build(IReadOnlyList<Geometry> polygons)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        var banded = new BandedPolygon?[polygons.Count];
        // Polygons are banded independently: in parallel when there are many.
        Parallel.For(0, polygons.Count, new ParallelOptions { MaxDegreeOfParallelism = polygons.Count < 16 ? 1 : -1 }, i =>
        {
            var g = polygons[i];
            if (g is null || g.IsEmpty || g is not (Polygon or MultiPolygon)) return;
            banded[i] = BandedPolygon.Create(g);
        });
        var extent = new Envelope();
        foreach (var g in polygons)
        {
            if (g is { IsEmpty: false } and (Polygon or MultiPolygon)) extent.ExpandToInclude(g.EnvelopeInternal);
        }

        if (extent.IsNull)
        {
            return new PolygonIndex(banded, new Envelope(0, 0, 0, 0), 1, 1, [0, 0], []);
        }

        var side = Math.Clamp((int)Math.Ceiling(Math.Sqrt(polygons.Count) * 16), 1, 1024);
        int cols = side, rows = side;
        var lists = new List<int>[cols * rows];
        var cellW = extent.Width / cols;
        var cellH = extent.Height / rows;
        for (var i = 0; i < banded.Length; i++)
        {
            if (banded[i] is not { } p) continue;
            var c0 = Clamp(cellW > 0 ? (int)((p.MinX - extent.MinX) / cellW) : 0, cols);
            var c1 = Clamp(cellW > 0 ? (int)((p.MaxX - extent.MinX) / cellW) : 0, cols);
            var r0 = Clamp(cellH > 0 ? (int)((p.MinY - extent.MinY) / cellH) : 0, rows);
            var r1 = Clamp(cellH > 0 ? (int)((p.MaxY - extent.MinY) / cellH) : 0, rows);
            for (var r = r0; r <= r1; r++)
                for (var c = c0; c <= c1; c++)
                    (lists[r * cols + c] ??= []).Add(i);
        }

        var start = new int[lists.Length + 1];
        for (var b = 0; b < lists.Length; b++) start[b + 1] = start[b] + (lists[b]?.Count ?? 0);
        var items = new int[start[^1]];
        for (var b = 0; b < lists.Length; b++) lists[b]?.CopyTo(items, start[b]);
        var index = new PolygonIndex(banded, extent, cols, rows, start, items);

        // Buckets that no edge passes through lie wholly inside one polygon (or outside all): answer them once, from the centre.
        var crossed = new bool[cols * rows];
        foreach (var p in banded)
        {
            p?.MarkEdgeBuckets(extent, cellW, cellH, cols, rows, crossed);
        }

        Parallel.For(0, rows, r =>
        {
            for (var c = 0; c < cols; c++)
            {
                var b = r * cols + c;
                if (crossed[b]) continue;
                index._bucketAnswer[b] = index.LocateInBucket(b, extent.MinX + (c + 0.5) * cellW, extent.MinY + (r + 0.5) * cellH);
            }
        });

        return index;
    }

    /// <summary>Index of the first polygon covering (x, y) — inside or on its boundary — or −1 when none does.</summary>
    public int Locate(double x, double y)
    {
        if (!(x >= _minX && y >= _minY)) return -1;
        var c = (int)((x - _minX) * _invCellW);
        var r = (int)((y - _minY) * _invCellH);
        if (c >= _cols) c = x <= _minX + _cols / _invCellW ? _cols - 1 : _cols;
        if (r >= _rows) r = y <= _minY + _rows / _invCellH ? _rows - 1 : _rows;
        if (c >= _cols || r >= _rows) return -1;
        var b = r * _cols + c;
        var answer = _bucketAnswer[b];
        return answer != -2 ? answer : LocateInBucket(b, x, y);
    }

    private int LocateInBucket(int b, double x, double y)
    {
        for (var k = _bucketStart[b]; k < _bucketStart[b + 1]; k++)
        {
            var i = _bucketItems[k];
            if (_polygons[i]!.Covers(x, y)) return i;
        }

        return -1;
    }

    /// <summary>
    /// <see cref="Locate(double, double)"/> for many points at once: result[i] is the index of the first polygon covering
    /// (xs[i], ys[i]) or −1. The index is read-only once built, so large batches are split over the processors.
    /// </summary>
    public void LocateAll(double[] xs, double[] ys, int[] result)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        ArgumentNullException.ThrowIfNull(result);
        if (ys.Length != xs.Length || result.Length < xs.Length) throw new ArgumentException("xs, ys and result must have the same length.");
        const int chunk = 1 << 16;
        var chunks = (xs.Length + chunk - 1) / chunk;
        if (chunks <= 1)
        {
            for (var i = 0; i < xs.Length; i++) result[i] = Locate(xs[i], ys[i]);
            return;
        }
        Parallel.For(0, chunks, c =>
        {
            var end = Math.Min(xs.Length, (c + 1) * chunk);
            for (var i = c * chunk; i < end; i++) result[i] = Locate(xs[i], ys[i]);
        });
    }

    /// <summary>Index of the first polygon covering the coordinate, or −1.</summary>
    public int Locate(Coordinate c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return Locate(c.X, c.Y);
    }

    private static int Clamp(int v, int n) => v < 0 ? 0 : v >= n ? n - 1 : v;

    /// <summary>One polygon's edges (all rings) grouped into horizontal bands.</summary>
    private sealed class BandedPolygon
    {
        public double MinX, MinY, MaxX, MaxY;
        private double _invBandH;
        private int _bands;
        private int[] _bandStart = [];
        private double[] _segments = []; // x1, y1, x2, y2 per edge, in band order

        public static BandedPolygon Create(Geometry g)
        {
            var env = g.EnvelopeInternal;
            var edges = new List<(double X1, double Y1, double X2, double Y2)>(g.NumPoints);
            for (var p = 0; p < g.NumGeometries; p++)
            {
                var polygon = (Polygon)g.GetGeometryN(p);
                AddRing(polygon.ExteriorRing, edges);
                foreach (var hole in polygon.InteriorRings) AddRing(hole, edges);
            }

            var bp = new BandedPolygon { MinX = env.MinX, MinY = env.MinY, MaxX = env.MaxX, MaxY = env.MaxY };
            bp._bands = Math.Max(1, edges.Count / 4);
            bp._invBandH = env.Height > 0 ? bp._bands / env.Height : 0;
            var counts = new int[bp._bands + 1];
            foreach (var e in edges)
                for (var b = bp.Band(Math.Min(e.Y1, e.Y2)); b <= bp.Band(Math.Max(e.Y1, e.Y2)); b++)
                    counts[b + 1]++;
            for (var b = 0; b < bp._bands; b++) counts[b + 1] += counts[b];
            bp._bandStart = (int[])counts.Clone();
            var fill = (int[])counts.Clone();
            bp._segments = new double[counts[^1] * 4];
            foreach (var e in edges)
            {
                for (var b = bp.Band(Math.Min(e.Y1, e.Y2)); b <= bp.Band(Math.Max(e.Y1, e.Y2)); b++)
                {
                    var o = fill[b]++ * 4;
                    bp._segments[o] = e.X1;
                    bp._segments[o + 1] = e.Y1;
                    bp._segments[o + 2] = e.X2;
                    bp._segments[o + 3] = e.Y2;
                }
            }

            return bp;
        }

        /// <summary>Marks every bucket that an edge's envelope touches (edges are kept in band order, some twice: harmless).</summary>
        public void MarkEdgeBuckets(Envelope extent, double cellW, double cellH, int cols, int rows, bool[] crossed)
        {
            var s = _segments;
            for (var k = 0; k < s.Length; k += 4)
            {
                var (c0, c1) = Span(Math.Min(s[k], s[k + 2]), Math.Max(s[k], s[k + 2]), extent.MinX, cellW, cols);
                var (r0, r1) = Span(Math.Min(s[k + 1], s[k + 3]), Math.Max(s[k + 1], s[k + 3]), extent.MinY, cellH, rows);
                for (var r = r0; r <= r1; r++)
                    for (var c = c0; c <= c1; c++)
                        crossed[r * cols + c] = true;
            }
        }

        /// <summary>
        /// The buckets [first, last] that the interval [min, max] touches, plus the neighbour when an end lies within a
        /// hair (1e-9 of a bucket) of a bucket border: rounding in the bucket arithmetic never lets an edge escape.
        /// </summary>
        private static (int First, int Last) Span(double min, double max, double origin, double cell, int count)
        {
            if (cell <= 0) return (0, count - 1);
            var from = (min - origin) / cell;
            var to = (max - origin) / cell;
            var first = (int)Math.Floor(from);
            var last = (int)Math.Floor(to);
            if (from - first < 1e-9) first--;
            if (last + 1 - to < 1e-9) last++;
            return (Math.Max(0, first), Math.Min(count - 1, last));
        }

        private static void AddRing(LineString ring, List<(double, double, double, double)> edges)
        {
            var seq = ring.CoordinateSequence;
            for (var i = 0; i + 1 < seq.Count; i++)
            {
                edges.Add((seq.GetX(i), seq.GetY(i), seq.GetX(i + 1), seq.GetY(i + 1)));
            }
        }

        private int Band(double y)
        {
            var b = (int)((y - MinY) * _invBandH);
            return b < 0 ? 0 : b >= _bands ? _bands - 1 : b;
        }

        /// <summary>Crossing-number test with the JTS RayCrossingCounter rules: true inside or on the boundary.</summary>
        public bool Covers(double x, double y)
        {
            if (x < MinX || x > MaxX || y < MinY || y > MaxY) return false;
            var band = Band(y);
            var crossings = 0;
            var s = _segments;
            for (var k = _bandStart[band] * 4; k < _bandStart[band + 1] * 4; k += 4)
            {
                double x1 = s[k], y1 = s[k + 1], x2 = s[k + 2], y2 = s[k + 3];
                if (x1 < x && x2 < x) continue;
                if (x == x2 && y == y2) return true;
                if (y1 == y && y2 == y)
                {
                    if (x >= Math.Min(x1, x2) && x <= Math.Max(x1, x2)) return true;
                    continue;
                }

                if ((y1 > y && y2 <= y) || (y2 > y && y1 <= y))
                {
                    var orient = OrientationIndex(x1, y1, x2, y2, x, y);
                    if (orient == 0) return true;
                    if (y2 < y1) orient = -orient;
                    if (orient > 0) crossings++;
                }
            }

            return (crossings & 1) == 1;
        }

        private static int OrientationIndex(double p1x, double p1y, double p2x, double p2y, double qx, double qy)
        {
            // Fast floating-point filter (Shewchuk/JTS bound); exact arithmetic when the sign is uncertain.
            var detLeft = (p1x - qx) * (p2y - qy);
            var detRight = (p1y - qy) * (p2x - qx);
            var det = detLeft - detRight;
            var detSum = Math.Abs(detLeft + detRight);
            if (Math.Abs(det) >= 1e-15 * detSum && det != 0) return Math.Sign(det);
            return (int)Orientation.Index(new Coordinate(p1x, p1y), new Coordinate(p2x, p2y), new Coordinate(qx, qy));
        }
    }
}
