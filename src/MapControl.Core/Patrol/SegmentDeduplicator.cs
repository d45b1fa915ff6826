using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>
/// Drops track segments that run within a tolerance of segments already kept (patrols drive the same roads day after
/// day; buffering those near-coincident repeats is what makes coverage slow). A segment is dropped when points
/// sampled along it every <c>tolerance</c> metres all lie within <c>tolerance</c> of kept segments, so every point of
/// it lies within 1.5·tolerance of the kept ones; the kept segments are returned as chains (LineStrings).
/// </summary>
internal sealed class SegmentDeduplicator
{
    private readonly double _tolerance;
    private readonly double _tol2;
    private readonly double _cellSize;
    private readonly Dictionary<(long, long), List<int>> _cells = [];
    private readonly List<(double X0, double Y0, double X1, double Y1)> _segments = [];
    private readonly GeometryFactory _factory;

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

    private bool IsCovered(double ax, double ay, double bx, double by)
    {
        if (_segments.Count == 0)
        {
            return false;
        }

        var length = Math.Sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
        var steps = Math.Max(1, (int)Math.Ceiling(length / _tolerance));
        for (var k = 0; k <= steps; k++)
        {
            var f = (double)k / steps;
            if (!IsNearKept(ax + f * (bx - ax), ay + f * (by - ay)))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsNearKept(double x, double y)
    {
        if (!_cells.TryGetValue(Key(x, y), out var list))
        {
            return false;
        }

        foreach (var s in list)
        {
            var (x0, y0, x1, y1) = _segments[s];
            double dx = x1 - x0, dy = y1 - y0, px = x - x0, py = y - y0;
            var len2 = dx * dx + dy * dy;
            var t = len2 == 0 ? 0 : Math.Clamp((px * dx + py * dy) / len2, 0.0, 1.0);
            double ex = px - t * dx, ey = py - t * dy;
            if (ex * ex + ey * ey <= _tol2)
            {
                return true;
            }
        }

        return false;
    }

    private void Insert(double x0, double y0, double x1, double y1)
    {
        var index = _segments.Count;
        _segments.Add((x0, y0, x1, y1));
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
