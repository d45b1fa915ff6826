using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>
/// Drops track segments that run within a tolerance ρ of segments already kept (patrols drive the same roads day after day;
/// buffering those near-coincident repeats is what makes coverage slow). A segment AB is dropped when every point of it lies
/// within ρ of the kept segments: for each kept segment S near AB, the part of AB within ρ of S (AB against S's capsule, an
/// interval found in closed form) is computed, and AB is dropped when those intervals cover it. The cost is proportional to the
/// segments, not to the distance driven. The kept segments are returned as chains (LineStrings).
/// </summary>
internal sealed class SegmentDeduplicator
{
    private readonly double _tolerance;
    private readonly double _tol2;
    private readonly double _cellSize;
    private readonly Dictionary<(long, long), List<int>> _cells = [];
    private readonly List<(double X0, double Y0, double X1, double Y1)> _segments = [];
    private readonly List<int> _seen = [];
    private readonly List<(double Lo, double Hi)> _intervals = [];
    private readonly GeometryFactory _factory;
    private int _query;

    public SegmentDeduplicator(double tolerance, GeometryFactory factory)
    {
        _tolerance = tolerance;
        _tol2 = tolerance * tolerance;
        _cellSize = Math.Max(50.0, 8 * tolerance);
        _factory = factory;
    }

    /// <summary>Adds a simplified track; returns the chains of its segments that were not already covered.</summary>
    public List<LineString> Add(Coordinate[] line)
    {
        var result = new List<LineString>();
        var chain = new List<Coordinate>();
        for (var i = 0; i + 1 < line.Length; i++)
        {
            var a = line[i];
            var b = line[i + 1];
            if (IsCovered(a.X, a.Y, b.X, b.Y))
            {
                if (chain.Count > 1)
                {
                    result.Add(_factory.CreateLineString(chain.ToArray()));
                }

                chain.Clear();
                continue;
            }

            Insert(a.X, a.Y, b.X, b.Y);
            if (chain.Count == 0)
            {
                chain.Add(a);
            }

            chain.Add(b);
        }

        if (chain.Count > 1)
        {
            result.Add(_factory.CreateLineString(chain.ToArray()));
        }

        return result;
    }

    /// <summary>True when every point of AB lies within the tolerance of some kept segment.</summary>
    internal bool IsCovered(double ax, double ay, double bx, double by)
    {
        if (_segments.Count == 0)
        {
            return false;
        }

        // Every kept segment within ρ of a point X of AB is registered in X's cell; AB's cells are those it passes through.
        _query++;
        _intervals.Clear();
        double dx = bx - ax, dy = by - ay;
        foreach (var cell in CellsAlong(ax, ay, bx, by))
        {
            if (!_cells.TryGetValue(cell, out var list))
            {
                continue;
            }

            foreach (var s in list)
            {
                if (_seen[s] == _query)
                {
                    continue;
                }

                _seen[s] = _query;
                var (x0, y0, x1, y1) = _segments[s];
                if (CapsuleInterval(ax, ay, dx, dy, x0, y0, x1, y1) is { } interval)
                {
                    _intervals.Add(interval);
                }
            }
        }

        if (_intervals.Count == 0)
        {
            return false;
        }

        _intervals.Sort((p, q) => p.Lo.CompareTo(q.Lo));
        var reach = 0.0;
        foreach (var (lo, hi) in _intervals)
        {
            if (lo > reach + 1e-12)
            {
                return false;
            }

            reach = Math.Max(reach, hi);
            if (reach >= 1.0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The parameters t ∈ [0, 1] of A + t·D lying within ρ of segment PQ, i.e. inside PQ's capsule: the union of the discs at P
    /// and Q and the strip along PQ; the capsule is convex, so the union of the three parameter intervals is one interval.
    /// </summary>
    private (double Lo, double Hi)? CapsuleInterval(double ax, double ay, double dx, double dy, double px, double py, double qx, double qy)
    {
        var lo = double.PositiveInfinity;
        var hi = double.NegativeInfinity;
        Disc(px, py);
        Disc(qx, qy);
        double ux = qx - px, uy = qy - py;
        var length = Math.Sqrt(ux * ux + uy * uy);
        if (length > 0)
        {
            ux /= length;
            uy /= length;
            // Along PQ: s(t) = (A − P)·u + t·(D·u) ∈ [0, L]; across: h(t) = (A − P)·n + t·(D·n) ∈ [−ρ, ρ], n = (−uy, ux).
            double s0 = (ax - px) * ux + (ay - py) * uy, sd = dx * ux + dy * uy;
            double h0 = -(ax - px) * uy + (ay - py) * ux, hd = -dx * uy + dy * ux;
            double t0 = 0.0, t1 = 1.0;
            if (Slab(s0, sd, 0, length, ref t0, ref t1) && Slab(h0, hd, -_tolerance, _tolerance, ref t0, ref t1))
            {
                lo = Math.Min(lo, t0);
                hi = Math.Max(hi, t1);
            }
        }

        lo = Math.Max(lo, 0.0);
        hi = Math.Min(hi, 1.0);
        return lo <= hi ? (lo, hi) : null;

        void Disc(double cx, double cy)
        {
            double ex = ax - cx, ey = ay - cy;
            var a = dx * dx + dy * dy;
            var b = 2 * (dx * ex + dy * ey);
            var c = ex * ex + ey * ey - _tol2;
            if (a == 0)
            {
                if (c <= 0)
                {
                    lo = Math.Min(lo, 0.0);
                    hi = Math.Max(hi, 1.0);
                }

                return;
            }

            var discriminant = b * b - 4 * a * c;
            if (discriminant < 0)
            {
                return;
            }

            var root = Math.Sqrt(discriminant);
            lo = Math.Min(lo, (-b - root) / (2 * a));
            hi = Math.Max(hi, (-b + root) / (2 * a));
        }
    }

    // Narrows [t0, t1] to where v0 + t·vd lies in [min, max]; false when that is empty.
    private static bool Slab(double v0, double vd, double min, double max, ref double t0, ref double t1)
    {
        if (vd == 0)
        {
            return v0 >= min && v0 <= max;
        }

        var ta = (min - v0) / vd;
        var tb = (max - v0) / vd;
        if (ta > tb)
        {
            (ta, tb) = (tb, ta);
        }

        t0 = Math.Max(t0, ta);
        t1 = Math.Min(t1, tb);
        return t0 <= t1;
    }

    /// <summary>The grid cells segment AB passes through (a grid walk), each once.</summary>
    private IEnumerable<(long, long)> CellsAlong(double ax, double ay, double bx, double by)
    {
        var (cx, cy) = Key(ax, ay);
        var (ex, ey) = Key(bx, by);
        yield return (cx, cy);
        double dx = bx - ax, dy = by - ay;
        var stepX = Math.Sign(dx);
        var stepY = Math.Sign(dy);
        // Parameter t at which the walk crosses the next vertical / horizontal cell line, and the t between such lines.
        var tMaxX = stepX == 0 ? double.PositiveInfinity : ((stepX > 0 ? cx + 1 : cx) * _cellSize - ax) / dx;
        var tMaxY = stepY == 0 ? double.PositiveInfinity : ((stepY > 0 ? cy + 1 : cy) * _cellSize - ay) / dy;
        var tDeltaX = stepX == 0 ? double.PositiveInfinity : _cellSize / Math.Abs(dx);
        var tDeltaY = stepY == 0 ? double.PositiveInfinity : _cellSize / Math.Abs(dy);
        var guard = Math.Abs(ex - cx) + Math.Abs(ey - cy) + 2;
        while ((cx != ex || cy != ey) && guard-- > 0)
        {
            if (tMaxX < tMaxY)
            {
                cx += stepX;
                tMaxX += tDeltaX;
            }
            else if (tMaxY < tMaxX)
            {
                cy += stepY;
                tMaxY += tDeltaY;
            }
            else
            {
                // Through a cell corner: the two side cells are touched too.
                yield return (cx + stepX, cy);
                yield return (cx, cy + stepY);
                cx += stepX;
                cy += stepY;
                tMaxX += tDeltaX;
                tMaxY += tDeltaY;
            }

            yield return (cx, cy);
        }
    }

    private void Insert(double x0, double y0, double x1, double y1)
    {
        var index = _segments.Count;
        _segments.Add((x0, y0, x1, y1));
        _seen.Add(0);
        // Register in every cell the segment's tolerance neighbourhood may reach (its envelope widened by the tolerance).
        var (cx0, cy0) = Key(Math.Min(x0, x1) - _tolerance, Math.Min(y0, y1) - _tolerance);
        var (cx1, cy1) = Key(Math.Max(x0, x1) + _tolerance, Math.Max(y0, y1) + _tolerance);
        for (var cx = cx0; cx <= cx1; cx++)
        {
            for (var cy = cy0; cy <= cy1; cy++)
            {
                if (!CellNearSegment(cx, cy, x0, y0, x1, y1))
                {
                    continue;
                }

                if (!_cells.TryGetValue((cx, cy), out var list))
                {
                    list = [];
                    _cells.Add((cx, cy), list);
                }

                list.Add(index);
            }
        }
    }

    private bool CellNearSegment(long cx, long cy, double x0, double y0, double x1, double y1)
    {
        // Distance from the cell's centre to the segment ≤ half-diagonal + tolerance (cheap, conservative).
        var mx = (cx + 0.5) * _cellSize;
        var my = (cy + 0.5) * _cellSize;
        double dx = x1 - x0, dy = y1 - y0, px = mx - x0, py = my - y0;
        var len2 = dx * dx + dy * dy;
        var t = len2 == 0 ? 0 : Math.Clamp((px * dx + py * dy) / len2, 0.0, 1.0);
        double ex = px - t * dx, ey = py - t * dy;
        var reach = _cellSize * Math.Sqrt(0.5) + _tolerance;
        return ex * ex + ey * ey <= reach * reach;
    }

    private (long, long) Key(double x, double y) => ((long)Math.Floor(x / _cellSize), (long)Math.Floor(y / _cellSize));
}
