using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>
/// The union of interior-disjoint convex cells of a square grid, traced as rings instead of overlaid (docs/DEFINITIONS.md "Patrol
/// coverage measured by the field (long windows)", uncovered geometry): every side lying on a grid line is cancelled against the
/// cells on the line's other side (what is left is boundary), every other side (a cell's cut) is boundary as it is, and the
/// boundary edges are linked into rings, the union's interior on their left. Where the union touches itself at one point (cells
/// meeting at a corner only, a hole touching a shell or another hole) the rings are split there: every ring is simple, shells
/// touching at a point are separate polygons, holes touching at a point are separate holes — the same point set as the
/// NetTopologySuite union of the cells, a valid (Multi)Polygon. Linear in the cells' edges (apart from sorting each grid line's
/// breakpoints and placing holes in shells). Pure computation, no I/O.
/// </summary>
internal static class CellOutline
{
    /// <summary>
    /// The union of <paramref name="cells"/> (flat convex rings x0, y0, x1, y1, … of either orientation, interior-disjoint, whose sides
    /// that are parallel to an axis lie on the grid lines origin + k · <paramref name="unit"/> — up to rounding, snapped within 10⁻⁶
    /// of a unit); cells of area at most <paramref name="minCellArea"/> are left out. Null when the edges do not close into rings
    /// (input outside the contract): the caller then unions the cells another way.
    /// </summary>
    public static Geometry? Trace(IReadOnlyList<double[]> cells, double originX, double originY, double unit, GeometryFactory factory, double minCellArea = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(factory);
        if (!(unit > 0)) throw new ArgumentOutOfRangeException(nameof(unit), unit, "The grid unit must be positive.");
        var tolerance = 1e-6 * unit;
        var edges = new Edges();
        // Grid-line edges by line: vertical lines (x = const) and horizontal ones (y = const); each interval with the side of the
        // line that its cell lies on (+1: west of a vertical line / north of a horizontal one; −1: east / south).
        var vertical = new Dictionary<long, Line>();
        var horizontal = new Dictionary<long, Line>();
        var xs = new List<double>(8);
        var ys = new List<double>(8);
        var kx = new List<long>(8);
        var ky = new List<long>(8);
        foreach (var cell in cells)
        {
            xs.Clear(); ys.Clear(); kx.Clear(); ky.Clear();
            var n = cell.Length / 2;
            for (var i = 0; i < n; i++)
            {
                var (x, gx) = Snap(cell[2 * i], originX, unit, tolerance);
                var (y, gy) = Snap(cell[2 * i + 1], originY, unit, tolerance);
                if (xs.Count > 0 && xs[^1] == x && ys[^1] == y) continue;
                xs.Add(x); ys.Add(y); kx.Add(gx); ky.Add(gy);
            }

            while (xs.Count > 1 && xs[^1] == xs[0] && ys[^1] == ys[0])
            {
                xs.RemoveAt(xs.Count - 1); ys.RemoveAt(ys.Count - 1); kx.RemoveAt(kx.Count - 1); ky.RemoveAt(ky.Count - 1);
            }

            n = xs.Count;
            if (n < 3) continue;
            var area = 0.0;
            for (var i = 0; i < n; i++)
            {
                var j = (i + 1) % n;
                area += (xs[i] - xs[0]) * (ys[j] - ys[0]) - (xs[j] - xs[0]) * (ys[i] - ys[0]);
            }

            area /= 2;
            if (Math.Abs(area) <= minCellArea) continue;
            var reverse = area < 0;
            for (var m = 0; m < n; m++)
            {
                int i = reverse ? n - 1 - m : m, j = reverse ? (i - 1 + n) % n : (i + 1) % n;
                // Every vertex on a grid line is a breakpoint of that line (a cut ending where another cell's side runs on).
                if (kx[i] != long.MinValue) Of(vertical, kx[i]).Breaks.Add(ys[i]);
                if (ky[i] != long.MinValue) Of(horizontal, ky[i]).Breaks.Add(xs[i]);
                if (kx[i] != long.MinValue && kx[i] == kx[j])
                {
                    // Counter-clockwise: going up, the cell is west of the line.
                    var line = Of(vertical, kx[i]);
                    line.Add(Math.Min(ys[i], ys[j]), Math.Max(ys[i], ys[j]), ys[j] > ys[i] ? 1 : -1);
                }
                else if (ky[i] != long.MinValue && ky[i] == ky[j])
                {
                    // Counter-clockwise: going east, the cell is north of the line.
                    var line = Of(horizontal, ky[i]);
                    line.Add(Math.Min(xs[i], xs[j]), Math.Max(xs[i], xs[j]), xs[j] > xs[i] ? 1 : -1);
                }
                else edges.Add(xs[i], ys[i], xs[j], ys[j]);
            }
        }

        foreach (var (k, line) in vertical) line.Emit(originX + k * unit, true, edges);
        foreach (var (k, line) in horizontal) line.Emit(originY + k * unit, false, edges);
        var rings = edges.Rings();
        return rings is null ? null : Assemble(rings, factory);
    }

    // A coordinate snapped to its grid line when within the tolerance (the line's index), else as it is (long.MinValue).
    private static (double Value, long Line) Snap(double v, double origin, double unit, double tolerance)
    {
        var k = (long)Math.Round((v - origin) / unit);
        var g = origin + k * unit;
        return Math.Abs(v - g) <= tolerance ? (g, k) : (v, long.MinValue);
    }

    private static Line Of(Dictionary<long, Line> lines, long k)
    {
        if (!lines.TryGetValue(k, out var line)) lines[k] = line = new Line();
        return line;
    }

    private sealed class Line
    {
        public readonly List<double> Breaks = [];
        private readonly List<(double Lo, double Hi, int Side)> _intervals = [];

        public void Add(double lo, double hi, int side)
        {
            _intervals.Add((lo, hi, side));
            Breaks.Add(lo);
            Breaks.Add(hi);
        }

        // The boundary along the line: the elementary intervals between breakpoints with a cell on one side only, directed with
        // that cell on their left.
        public void Emit(double at, bool isVertical, Edges edges)
        {
            if (_intervals.Count == 0) return;
            Breaks.Sort();
            var unique = 0;
            for (var i = 0; i < Breaks.Count; i++)
            {
                if (unique == 0 || Breaks[i] != Breaks[unique - 1]) Breaks[unique++] = Breaks[i];
            }

            var plus = new sbyte[unique];
            var minus = new sbyte[unique];
            foreach (var (lo, hi, side) in _intervals)
            {
                var from = Breaks.BinarySearch(0, unique, lo, null);
                var to = Breaks.BinarySearch(0, unique, hi, null);
                var marks = side > 0 ? plus : minus;
                for (var e = from; e < to; e++) marks[e]++;
            }

            for (var e = 0; e + 1 < unique; e++)
            {
                if (plus[e] == minus[e]) continue;
                double lo = Breaks[e], hi = Breaks[e + 1];
                if (isVertical)
                {
                    if (plus[e] > minus[e]) edges.Add(at, lo, at, hi);
                    else edges.Add(at, hi, at, lo);
                }
                else
                {
                    // A cell north of a horizontal line: the edge goes east (its interior on the left).
                    if (plus[e] > minus[e]) edges.Add(lo, at, hi, at);
                    else edges.Add(hi, at, lo, at);
                }
            }
        }
    }

    private sealed class Edges
    {
        private readonly List<double> _fx = [], _fy = [], _tx = [], _ty = [];

        public void Add(double fx, double fy, double tx, double ty)
        {
            _fx.Add(fx); _fy.Add(fy); _tx.Add(tx); _ty.Add(ty);
        }

        // The rings: each edge followed by the outgoing edge at its end that keeps the same piece of the union on the left (the
        // first one clockwise from the way back), then every ring cut where it passes a point twice. Null when a point's incoming
        // and outgoing edges do not pair up.
        public List<List<(double X, double Y)>>? Rings()
        {
            var count = _fx.Count;
            var outgoing = new Dictionary<(double, double), int>(count);
            var nextOut = new int[count];
            for (var e = 0; e < count; e++)
            {
                var key = (_fx[e], _fy[e]);
                nextOut[e] = outgoing.TryGetValue(key, out var head) ? head : -1;
                outgoing[key] = e;
            }

            var next = new int[count];
            var taken = new bool[count];
            for (var e = 0; e < count; e++)
            {
                if (!outgoing.TryGetValue((_tx[e], _ty[e]), out var o)) return null;
                if (nextOut[o] < 0)
                {
                    next[e] = o;
                    continue;
                }

                // Several ways on: the smallest clockwise turn from the way back.
                double vx = _tx[e], vy = _ty[e];
                var back = Math.Atan2(_fy[e] - vy, _fx[e] - vx);
                var best = -1;
                var bestTurn = double.PositiveInfinity;
                for (var c = o; c >= 0; c = nextOut[c])
                {
                    var turn = back - Math.Atan2(_ty[c] - vy, _tx[c] - vx);
                    while (turn <= 0) turn += 2 * Math.PI;
                    while (turn > 2 * Math.PI) turn -= 2 * Math.PI;
                    if (turn < bestTurn) { bestTurn = turn; best = c; }
                }

                next[e] = best;
            }

            foreach (var e in next)
            {
                if (taken[e]) return null;
                taken[e] = true;
            }

            var rings = new List<List<(double X, double Y)>>();
            var visited = new bool[count];
            var path = new List<(double X, double Y)>();
            var at = new Dictionary<(double, double), int>();
            for (var start = 0; start < count; start++)
            {
                if (visited[start]) continue;
                path.Clear();
                at.Clear();
                for (var e = start; !visited[e]; e = next[e])
                {
                    visited[e] = true;
                    var p = (_fx[e], _fy[e]);
                    if (at.TryGetValue(p, out var i))
                    {
                        // The path came back to p: what lies between is a ring of its own.
                        var ring = path.GetRange(i, path.Count - i);
                        foreach (var q in ring) at.Remove(q);
                        path.RemoveRange(i, path.Count - i);
                        rings.Add(ring);
                    }

                    at[p] = path.Count;
                    path.Add(p);
                }

                if (path.Count > 0) rings.Add([.. path]);
            }

            return rings;
        }
    }

    // Rings (open, the interior on the left) into polygons: collinear points along grid lines dropped, counter-clockwise rings are
    // shells, clockwise ones holes of the smallest shell around them.
    private static Geometry? Assemble(List<List<(double X, double Y)>> rings, GeometryFactory factory)
    {
        var shells = new List<(LinearRing Ring, double Area, Envelope Envelope, List<LinearRing> Holes)>();
        var holes = new List<(LinearRing Ring, Coordinate[] Points)>();
        foreach (var ring in rings)
        {
            var points = Simplify(ring);
            if (points.Count < 3) continue;
            var coordinates = new Coordinate[points.Count + 1];
            for (var i = 0; i < points.Count; i++) coordinates[i] = new Coordinate(points[i].X, points[i].Y);
            coordinates[^1] = coordinates[0].Copy();
            var area = Area.OfRingSigned(coordinates);
            // NTS: signed area is positive for clockwise rings.
            if (area == 0) continue;
            var linear = factory.CreateLinearRing(coordinates);
            if (area < 0) shells.Add((linear, -area, linear.EnvelopeInternal, []));
            else holes.Add((linear, coordinates));
        }

        foreach (var (ring, points) in holes)
        {
            var envelope = ring.EnvelopeInternal;
            var owner = -1;
            var ownerArea = double.PositiveInfinity;
            for (var s = 0; s < shells.Count; s++)
            {
                var shell = shells[s];
                if (shell.Area >= ownerArea || !shell.Envelope.Contains(envelope) || !Inside(points, shell.Ring.CoordinateSequence)) continue;
                owner = s;
                ownerArea = shell.Area;
            }

            // A hole outside every shell: the edges were not what the contract says.
            if (owner < 0) return null;
            shells[owner].Holes.Add(ring);
        }

        var polygons = shells.Select(s => factory.CreatePolygon(s.Ring, [.. s.Holes])).ToArray();
        return polygons.Length switch { 0 => factory.CreatePolygon(), 1 => polygons[0], _ => factory.CreateMultiPolygon(polygons) };
    }

    // Whether a hole lies inside a shell: the first midpoint of the hole's edges that is not on the shell's boundary decides (the
    // hole touches its shell at points only).
    private static bool Inside(Coordinate[] hole, CoordinateSequence shell)
    {
        for (var i = 0; i + 1 < hole.Length; i++)
        {
            var mid = new Coordinate((hole[i].X + hole[i + 1].X) / 2, (hole[i].Y + hole[i + 1].Y) / 2);
            var location = RayCrossingCounter.LocatePointInRing(mid, shell);
            if (location != Location.Boundary) return location == Location.Interior;
        }

        return false;
    }

    // Drops a point where the ring runs straight on along a grid line (both neighbours on the same axis-parallel line, same way).
    private static List<(double X, double Y)> Simplify(List<(double X, double Y)> ring)
    {
        var result = new List<(double X, double Y)>(ring.Count);
        var n = ring.Count;
        for (var i = 0; i < n; i++)
        {
            var p = ring[(i - 1 + n) % n];
            var v = ring[i];
            var q = ring[(i + 1) % n];
            var straight = (p.X == v.X && v.X == q.X && (v.Y - p.Y) * (q.Y - v.Y) > 0) || (p.Y == v.Y && v.Y == q.Y && (v.X - p.X) * (q.X - v.X) > 0);
            if (!straight) result.Add(v);
        }

        return result;
    }
}
