using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>
/// Patrol coverage areas of long windows without buffers or overlays (docs/DEFINITIONS.md "Patrol coverage of long windows"):
/// the coverage C = the points within r of some segment, measured inside a jurisdiction J by adaptive subdivision with distance
/// bounds. J's envelope is cut as a quadtree; for a square cell with centre c and half-diagonal h and the distance d from c to the
/// nearest segment, the cell is wholly covered when d + h ≤ r and wholly uncovered when d − h ≥ r, otherwise it is cut in four,
/// down to leaves of <see cref="LeafM"/>. J's rings are clipped to each cell on the way down (Sutherland–Hodgman: exact areas,
/// holes and several shells included), so J's share of a cell is exact; in an undecided leaf C's edge is taken as the straight line
/// at distance r from the nearest segment, normal to it (second-order accurate: the error comes from C's curvature, 1/r, and from
/// the few corners where two capsules' edges cross). A cell of <see cref="StraightMaxM"/> or less in which every capsule that can
/// reach it is a half-plane (its strip, not its round end) is measured exactly instead: J's share clipped by each half-plane's
/// complement. Repeated passes cost one more distance per cell that still needs them, no
/// union; a cell carries down only the segments that can still reach it. The own share is the same classification over the
/// department's own segments. Pure computation, no I/O.
/// </summary>
public sealed class CoverageField
{
    /// <summary>Side of the smallest cell, metres: a leaf still undecided is measured with C's edge as a straight line.</summary>
    public const double LeafM = 32.0;

    /// <summary>
    /// Side of the largest cell measured exactly where C's edge is straight in it, metres: a cell that lies, for every segment that can
    /// still reach it, within the segment's perpendicular strip (or wholly beyond an end where the line continues into a segment that
    /// has the cell in its strip) has C ∩ cell = a union of half-planes (a capsule's strip |f| ≤ r is one half-plane in a cell over
    /// which f varies by at most 2r: a diagonal of 2r or less), so its uncovered part is the cell clipped by each complement — exact,
    /// no subdivision.
    /// </summary>
    public const double StraightMaxM = 256.0;

    private readonly double[] _ax, _ay, _dx, _dy, _inv;
    private readonly int[] _owner;
    // Whether segment s + 1 continues segment s (the same line: it starts where s ends).
    private readonly bool[] _continues;
    private readonly double _radius;
    private readonly double _leaf;

    // Uniform grid over the segments' envelopes: a J's first candidates.
    private readonly double _minX, _minY, _cell;
    private readonly int _cols, _rows;
    private readonly int[] _cellStart, _cellItems;

    /// <summary>Segments of lines (metric), each with its owner (a department's index; −1 = counts for no one's own share).</summary>
    public CoverageField(IReadOnlyList<(Coordinate[] Line, int Owner)> lines, double radiusM, double leafM = LeafM)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (!(radiusM > 0)) throw new ArgumentOutOfRangeException(nameof(radiusM), radiusM, "The radius must be positive.");
        if (!(leafM > 0)) throw new ArgumentOutOfRangeException(nameof(leafM), leafM, "The leaf size must be positive.");
        _radius = radiusM;
        _leaf = leafM;
        var count = 0;
        foreach (var (line, _) in lines) count += line.Length <= 1 ? line.Length : line.Length - 1;
        _ax = new double[count]; _ay = new double[count]; _dx = new double[count]; _dy = new double[count]; _inv = new double[count];
        _owner = new int[count];
        _continues = new bool[count];
        var k = 0;
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        foreach (var (line, owner) in lines)
        {
            // A lone point is a segment of length 0.
            var segments = line.Length <= 1 ? line.Length : line.Length - 1;
            for (var i = 0; i < segments; i++)
            {
                var a = line[i];
                var b = line.Length == 1 ? a : line[i + 1];
                _ax[k] = a.X; _ay[k] = a.Y; _dx[k] = b.X - a.X; _dy[k] = b.Y - a.Y;
                var len2 = _dx[k] * _dx[k] + _dy[k] * _dy[k];
                _inv[k] = len2 > 0 ? 1.0 / len2 : 0.0;
                _owner[k] = owner;
                _continues[k] = i + 1 < segments;
                minX = Math.Min(minX, Math.Min(a.X, b.X)); maxX = Math.Max(maxX, Math.Max(a.X, b.X));
                minY = Math.Min(minY, Math.Min(a.Y, b.Y)); maxY = Math.Max(maxY, Math.Max(a.Y, b.Y));
                k++;
            }
        }

        Count = count;
        if (count == 0)
        {
            _cellStart = [0, 0];
            _cellItems = [];
            _cols = _rows = 1;
            _cell = 1;
            return;
        }

        _cell = Math.Max(radiusM, Math.Sqrt((maxX - minX + 1) * (maxY - minY + 1) / Math.Max(1, count / 4.0)));
        _minX = minX; _minY = minY;
        _cols = Math.Max(1, (int)Math.Min(4096, Math.Ceiling((maxX - minX) / _cell) + 1));
        _rows = Math.Max(1, (int)Math.Min(4096, Math.Ceiling((maxY - minY) / _cell) + 1));
        _cell = Math.Max(_cell, Math.Max((maxX - minX) / (_cols - 0.5), (maxY - minY) / (_rows - 0.5)));
        var counts = new int[_cols * _rows + 1];
        for (var s = 0; s < count; s++)
        {
            var (x0, y0, x1, y1) = SegmentCells(s);
            for (var y = y0; y <= y1; y++)
                for (var x = x0; x <= x1; x++) counts[y * _cols + x]++;
        }

        _cellStart = new int[counts.Length];
        for (var c = 1; c < counts.Length; c++) _cellStart[c] = _cellStart[c - 1] + counts[c - 1];
        _cellItems = new int[_cellStart[^1] + counts[^1]];
        var fill = (int[])_cellStart.Clone();
        for (var s = 0; s < count; s++)
        {
            var (x0, y0, x1, y1) = SegmentCells(s);
            for (var y = y0; y <= y1; y++)
                for (var x = x0; x <= x1; x++) _cellItems[fill[y * _cols + x]++] = s;
        }
    }

    /// <summary>Segments held.</summary>
    public int Count { get; }

    private (int X0, int Y0, int X1, int Y1) CellRange(double minX, double minY, double maxX, double maxY) => (
        Math.Clamp((int)Math.Floor((minX - _minX) / _cell), 0, _cols - 1), Math.Clamp((int)Math.Floor((minY - _minY) / _cell), 0, _rows - 1),
        Math.Clamp((int)Math.Floor((maxX - _minX) / _cell), 0, _cols - 1), Math.Clamp((int)Math.Floor((maxY - _minY) / _cell), 0, _rows - 1));

    private (int X0, int Y0, int X1, int Y1) SegmentCells(int s) =>
        CellRange(Math.Min(_ax[s], _ax[s] + _dx[s]), Math.Min(_ay[s], _ay[s] + _dy[s]), Math.Max(_ax[s], _ax[s] + _dx[s]), Math.Max(_ay[s], _ay[s] + _dy[s]));

    /// <summary>The areas of a jurisdiction: its area, the covered area and the area covered by the own department's segments.</summary>
    public readonly record struct Areas(double Jurisdiction, double Covered, double Own);

    /// <summary>
    /// Covered and own areas of <paramref name="jurisdiction"/> (metric Polygon or MultiPolygon). When <paramref name="uncovered"/>
    /// is given, the uncovered parts are added to it for display as convex polygons that are not clipped to J (whole uncovered cells
    /// meeting J; cells of <paramref name="displayCellM"/> or less still undecided cut by their straight edge): J ∩ their union is
    /// J − C to within the display cell.
    /// </summary>
    public Areas Measure(Geometry jurisdiction, int own, List<double[]>? uncovered = null, double displayCellM = 0)
    {
        ArgumentNullException.ThrowIfNull(jurisdiction);
        var rings = Rings(jurisdiction);
        var env = jurisdiction.EnvelopeInternal;
        if (env.IsNull || rings.Count == 0) return new Areas(0, 0, 0);
        var (cx, cy, half) = Root(env);
        var total = 0.0;
        foreach (var ring in rings) total += SignedArea(ring);

        // First candidates: the segments whose envelope meets J's envelope widened by r.
        var candidates = new List<int>();
        if (Count > 0)
        {
            double qx0 = env.MinX - _radius, qy0 = env.MinY - _radius, qx1 = env.MaxX + _radius, qy1 = env.MaxY + _radius;
            var (x0, y0, x1, y1) = CellRange(qx0, qy0, qx1, qy1);
            for (var y = y0; y <= y1; y++)
            {
                for (var x = x0; x <= x1; x++)
                {
                    var c = y * _cols + x;
                    for (var i = _cellStart[c]; i < _cellStart[c + 1]; i++)
                    {
                        var s = _cellItems[i];
                        double sx0 = Math.Min(_ax[s], _ax[s] + _dx[s]), sy0 = Math.Min(_ay[s], _ay[s] + _dy[s]);
                        double sx1 = Math.Max(_ax[s], _ax[s] + _dx[s]), sy1 = Math.Max(_ay[s], _ay[s] + _dy[s]);
                        if (sx1 < qx0 || sx0 > qx1 || sy1 < qy0 || sy0 > qy1) continue;
                        // Counted once: in the first grid cell of the overlap of its envelope and the query.
                        var (fx, fy, _, _) = CellRange(Math.Max(sx0, qx0), Math.Max(sy0, qy0), sx1, sy1);
                        if (fx == x && fy == y) candidates.Add(s);
                    }
                }
            }
        }

        // Own segments first: a cell they cover is decided by the first of them within r − h.
        candidates.Sort((a, b) => (_owner[a] == own ? 0 : 1).CompareTo(_owner[b] == own ? 0 : 1));
        var walk = new Walk(this, own, uncovered, displayCellM);
        walk.Push(candidates);
        walk.Node(cx, cy, half, rings, total, 0, candidates.Count, uncovered is not null);
        return new Areas(total, walk.Covered, walk.OwnCovered);
    }

    // The root cell of J's subdivision: J's envelope made square.
    private static (double X, double Y, double Half) Root(Envelope env) =>
        (env.Centre.X, env.Centre.Y, Math.Max(env.Width, env.Height) / 2 * (1 + 1e-9) + 1e-6);

    /// <summary>
    /// The grid every cell of <paramref name="jurisdiction"/>'s subdivision lies on: the root cell's lower-left corner and the side of
    /// the smallest cells (the sides of the uncovered cells given by <see cref="Measure"/> lie on its lines, up to rounding).
    /// </summary>
    public (double X, double Y, double Unit) Grid(Geometry jurisdiction)
    {
        ArgumentNullException.ThrowIfNull(jurisdiction);
        var (cx, cy, half) = Root(jurisdiction.EnvelopeInternal);
        var side = 2 * half;
        while (side > _leaf) side /= 2;
        return (cx - half, cy - half, side);
    }

    // J's rings as flat x,y arrays, shells with positive signed area and holes negative (so clipped areas add up).
    private static List<double[]> Rings(Geometry jurisdiction)
    {
        var rings = new List<double[]>();
        for (var g = 0; g < jurisdiction.NumGeometries; g++)
        {
            if (jurisdiction.GetGeometryN(g) is not Polygon polygon || polygon.IsEmpty) continue;
            Add(polygon.Shell, true);
            foreach (var hole in polygon.Holes) Add(hole, false);
        }

        return rings;

        void Add(LinearRing ring, bool shell)
        {
            var seq = ring.CoordinateSequence;
            var n = seq.Count - 1;
            if (n < 3) return;
            var flat = new double[2 * n];
            for (var i = 0; i < n; i++) { flat[2 * i] = seq.GetX(i); flat[2 * i + 1] = seq.GetY(i); }
            var area = SignedArea(flat);
            if (area > 0 != shell) Array.Reverse(flat);
            if (area > 0 != shell)
            {
                // Reversing the flat array swapped x and y within each pair: swap them back.
                for (var i = 0; i < n; i++) (flat[2 * i], flat[2 * i + 1]) = (flat[2 * i + 1], flat[2 * i]);
            }

            rings.Add(flat);
        }
    }

    /// <summary>Shoelace area of a flat ring (x0, y0, x1, y1, …), positive when counter-clockwise.</summary>
    internal static double SignedArea(double[] ring) => SignedArea(ring, ring.Length / 2);

    private static double SignedArea(double[] ring, int n)
    {
        if (n < 3) return 0;
        double sum = 0, x0 = ring[0], y0 = ring[1];
        for (var i = 1; i < n - 1; i++)
        {
            double x1 = ring[2 * i] - x0, y1 = ring[2 * i + 1] - y0, x2 = ring[2 * i + 2] - x0, y2 = ring[2 * i + 3] - y0;
            sum += x1 * y2 - x2 * y1;
        }

        return sum / 2;
    }

    /// <summary>The part of a flat ring on the side a·x + b·y ≤ c (Sutherland–Hodgman; a non-convex ring keeps its area).</summary>
    internal static double[] Clip(double[] ring, double a, double b, double c)
    {
        var n = ring.Length / 2;
        var output = new List<double>(ring.Length + 8);
        double px = ring[2 * n - 2], py = ring[2 * n - 1];
        var pin = a * px + b * py <= c;
        for (var i = 0; i < n; i++)
        {
            double x = ring[2 * i], y = ring[2 * i + 1];
            var inside = a * x + b * y <= c;
            if (inside != pin)
            {
                double fp = a * px + b * py - c, fx = a * x + b * y - c;
                var t = fp / (fp - fx);
                output.Add(px + t * (x - px));
                output.Add(py + t * (y - py));
            }

            if (inside)
            {
                output.Add(x);
                output.Add(y);
            }

            (px, py, pin) = (x, y, inside);
        }

        return output.Count >= 6 ? [.. output] : [];
    }

    private static List<double[]> ClipToBox(List<double[]> rings, double x0, double y0, double x1, double y1)
    {
        var result = new List<double[]>(rings.Count);
        foreach (var ring in rings)
        {
            var r = ring;
            // Skip a clip when the ring lies wholly on the inner side of that edge.
            double rx0 = double.PositiveInfinity, ry0 = double.PositiveInfinity, rx1 = double.NegativeInfinity, ry1 = double.NegativeInfinity;
            for (var i = 0; i < r.Length; i += 2)
            {
                rx0 = Math.Min(rx0, r[i]); rx1 = Math.Max(rx1, r[i]); ry0 = Math.Min(ry0, r[i + 1]); ry1 = Math.Max(ry1, r[i + 1]);
            }

            if (rx1 <= x0 || rx0 >= x1 || ry1 <= y0 || ry0 >= y1) continue;
            if (rx0 < x0) r = Clip(r, -1, 0, -x0);
            if (r.Length > 0 && rx1 > x1) r = Clip(r, 1, 0, x1);
            if (r.Length > 0 && ry0 < y0) r = Clip(r, 0, -1, -y0);
            if (r.Length > 0 && ry1 > y1) r = Clip(r, 0, 1, y1);
            if (r.Length > 0) result.Add(r);
        }

        return result;
    }

    private sealed class Walk(CoverageField field, int own, List<double[]>? uncovered, double displayCellM)
    {
        private int[] _stack = new int[1024];
        private double[] _distance = new double[1024];
        private int _top;
        public double Covered;
        public double OwnCovered;

        public void Push(List<int> items)
        {
            Ensure(items.Count);
            items.CopyTo(_stack, _top);
            _top += items.Count;
        }

        private void Ensure(int more)
        {
            if (_top + more <= _stack.Length) return;
            Array.Resize(ref _stack, Math.Max(_stack.Length * 2, _top + more));
            Array.Resize(ref _distance, _stack.Length);
        }

        // A cell: its centre, half side, J's rings clipped to it (null = the whole cell is in J) and their area, and its candidate
        // segments _stack[from..to).
        public void Node(double cx, double cy, double half, List<double[]>? rings, double jArea, int from, int to, bool collect)
        {
            var h = half * Math.Sqrt(2);
            var r = field._radius;
            double near = r + h, fully = r - h;
            var leaf = 2 * half <= field._leaf;
            // The candidates that can still reach this cell go on the stack above the parent's; the nearest of all and of own. An own
            // segment within r − h of the centre decides the cell at once (own segments come first in the root's list).
            Ensure(to - from);
            var start = _top;
            double best = double.PositiveInfinity, bestOwn = double.PositiveInfinity;
            int bestAt = -1, bestOwnAt = -1;
            var covered = false;
            var ownCovered = false;
            var near2 = near * near;
            double[] ax = field._ax, ay = field._ay, dxs = field._dx, dys = field._dy, invs = field._inv;
            for (var i = from; i < to; i++)
            {
                var s = _stack[i];
                // The distance to segment s inline, squared first: most candidates beyond r + h go without a square root.
                double sax = ax[s], say = ay[s], sdx = dxs[s], sdy = dys[s];
                var t = Math.Clamp(((cx - sax) * sdx + (cy - say) * sdy) * invs[s], 0.0, 1.0);
                double qx = cx - (sax + t * sdx), qy = cy - (say + t * sdy);
                var d2 = qx * qx + qy * qy;
                if (d2 > near2) continue;
                var d = Math.Sqrt(d2);
                if (d > near) continue;
                if (d <= fully && own >= 0 && field._owner[s] == own)
                {
                    _top = start;
                    Covered += jArea;
                    OwnCovered += jArea;
                    return;
                }

                _distance[_top] = d;
                _stack[_top++] = s;
                if (d < best) { best = d; bestAt = s; }
                if (field._owner[s] == own && own >= 0 && d < bestOwn) { bestOwn = d; bestOwnAt = s; }
            }

            // A segment farther than the nearest by more than 2h is farther from every point of the cell: it decides nothing here.
            var reach = Math.Min(near, best + 2 * h);
            var kept = start;
            for (var i = start; i < _top; i++)
            {
                if (_distance[i] <= reach || (field._owner[_stack[i]] == own && _distance[i] <= Math.Min(near, bestOwn + 2 * h)))
                {
                    _distance[kept] = _distance[i];
                    _stack[kept++] = _stack[i];
                }
            }

            _top = kept;
            covered = best <= fully;
            ownCovered = bestOwn <= fully;
            var noneOwn = bestOwnAt < 0;
            var none = bestAt < 0;
            try
            {
                if (none)
                {
                    if (collect) AddUncovered(rings, cx, cy, half);
                    return;
                }

                if (covered && (ownCovered || noneOwn))
                {
                    Covered += jArea;
                    if (ownCovered) OwnCovered += jArea;
                    return;
                }

                // Where C's edge is straight in the cell: exact, with its uncovered part for display.
                if (2 * half <= StraightMaxM && Straight(start, cx, cy, half, rings, jArea, collect)) return;
                // For display, an undecided cell of the display size adds its part beyond the straight edge, and its
                // descendants add nothing.
                if (collect && !covered && 2 * half <= displayCellM)
                {
                    Beyond([Square(cx, cy, half)], bestAt, cx, cy, best, out var rest, true);
                    uncovered!.AddRange(rest);
                    collect = false;
                }

                if (2 * half <= 4 * field._leaf && _top - start > 4) Prune(start, cx, cy, half);

                if (leaf)
                {
                    var square = rings ?? [Square(cx, cy, half)];
                    if (covered) Covered += jArea;
                    else
                    {
                        Covered += Leaf(square, start, cx, cy, h, false);
                        if (collect)
                        {
                            Beyond([Square(cx, cy, half)], bestAt, cx, cy, best, out var rest, true);
                            uncovered!.AddRange(rest);
                        }
                    }

                    OwnCovered += ownCovered ? jArea : noneOwn ? 0 : Leaf(square, start, cx, cy, h, true);
                    return;
                }

                var q = half / 2;
                var end = _top;
                for (var k = 0; k < 4; k++)
                {
                    var x = k % 2 == 0 ? cx - q : cx + q;
                    var y = k < 2 ? cy - q : cy + q;
                    List<double[]>? childRings = null;
                    var childArea = 4 * q * q;
                    if (rings is not null)
                    {
                        childRings = ClipToBox(rings, x - q, y - q, x + q, y + q);
                        childArea = 0;
                        foreach (var ring in childRings) childArea += SignedArea(ring);
                        if (childArea <= 4 * q * q * 1e-12) continue;
                        if (childArea >= 4 * q * q * (1 - 1e-12)) { childRings = null; childArea = 4 * q * q; }
                    }

                    Node(x, y, q, childRings, childArea, start, end, collect);
                }
            }
            finally
            {
                _top = start;
            }
        }

        private double[] _planes = new double[64];

        // The cell measured exactly when every candidate's capsule is a half-plane in it (see StraightMaxM): the uncovered part is J's
        // rings (or the square) clipped by each complement n·p ≥ n·a + r; own segments first, so the own uncovered part is read on the
        // way. False (nothing added) when a candidate's capsule is round in the cell (an end not continued by a segment that has the
        // cell in its strip, or a lone point) or is not one half-plane there.
        private bool Straight(int start, double cx, double cy, double half, List<double[]>? rings, double jArea, bool collect)
        {
            var r = field._radius;
            double[] ax = field._ax, ay = field._ay, dxs = field._dx, dys = field._dy, invs = field._inv;
            var n = _top - start;
            if (_planes.Length < 4 * n) _planes = new double[Math.Max(4 * n, 2 * _planes.Length)];
            var planes = 0;
            var ownPlanes = 0;
            double x0 = cx - half, y0 = cy - half, x1 = cx + half, y1 = cy + half;
            // Own planes go first in _planes, the others after them (filled from the top of the reserved range).
            var otherAt = 4 * n;
            for (var i = start; i < _top; i++)
            {
                var s = _stack[i];
                var side = Side(s, x0, y0, x1, y1);
                if (side == 1 && field._continues[s] && Side(s + 1, x0, y0, x1, y1) == 0) continue;
                if (side == -1 && s > 0 && field._continues[s - 1] && Side(s - 1, x0, y0, x1, y1) == 0) continue;
                if (side != 0) return false;
                // In the strip the capsule is |f| ≤ r, f the signed distance to the line. Where f ≥ −r all over the cell it is the
                // half-plane f ≤ r there, where f ≤ r all over it the half-plane f ≥ −r (turned: −f ≤ r); one of the two holds
                // whenever f varies by at most 2r over the cell (a diagonal of 2r or less).
                var len = Math.Sqrt(dxs[s] * dxs[s] + dys[s] * dys[s]);
                double nx = dys[s] / len, ny = -dxs[s] / len, c = nx * ax[s] + ny * ay[s];
                double f0 = nx * x0 + ny * y0 - c, f1 = nx * x1 + ny * y0 - c, f2 = nx * x1 + ny * y1 - c, f3 = nx * x0 + ny * y1 - c;
                double fMin = Math.Min(Math.Min(f0, f1), Math.Min(f2, f3)), fMax = Math.Max(Math.Max(f0, f1), Math.Max(f2, f3));
                if (fMin >= -r) { }
                else if (fMax <= r) { nx = -nx; ny = -ny; c = -c; }
                else return false;
                // Uncovered: n·p ≥ c + r, i.e. −n·p ≤ −(c + r).
                var isOwn = own >= 0 && field._owner[s] == own;
                var at = isOwn ? 3 * ownPlanes++ : (otherAt -= 3);
                _planes[at] = -nx; _planes[at + 1] = -ny; _planes[at + 2] = -(c + r);
                planes++;
            }

            // The own uncovered area after the own planes, the uncovered one after all.
            var parts = rings ?? [Square(cx, cy, half)];
            var ownUncovered = 0.0;
            for (var p = 0; p < planes; p++)
            {
                if (p == ownPlanes) ownUncovered = Sum(parts);
                var at = p < ownPlanes ? 3 * p : otherAt + 3 * (p - ownPlanes);
                parts = ClipAll(parts, _planes[at], _planes[at + 1], _planes[at + 2]);
                if (parts.Count == 0) break;
            }

            if (planes == ownPlanes) ownUncovered = Sum(parts);
            var uncoveredArea = Sum(parts);
            Covered += Math.Max(0, jArea - uncoveredArea);
            if (ownPlanes > 0) OwnCovered += Math.Max(0, jArea - ownUncovered);
            if (collect)
            {
                // For display the square's uncovered part (the caller intersects with J once).
                List<double[]> square = [Square(cx, cy, half)];
                for (var p = 0; p < planes && square.Count > 0; p++)
                {
                    var at = p < ownPlanes ? 3 * p : otherAt + 3 * (p - ownPlanes);
                    square = ClipAll(square, _planes[at], _planes[at + 1], _planes[at + 2]);
                }

                uncovered!.AddRange(square);
            }

            return true;
        }

        private static double Sum(List<double[]> parts)
        {
            var area = 0.0;
            foreach (var part in parts) area += SignedArea(part);
            return area;
        }

        // Each ring's part on the side a·x + b·y ≤ c; a ring wholly on that side is kept as it is, one wholly beyond goes.
        private static List<double[]> ClipAll(List<double[]> rings, double a, double b, double c)
        {
            List<double[]>? result = null;
            for (var k = 0; k < rings.Count; k++)
            {
                var ring = rings[k];
                bool anyIn = false, anyOut = false;
                for (var i = 0; i < ring.Length; i += 2)
                {
                    if (a * ring[i] + b * ring[i + 1] <= c) anyIn = true;
                    else anyOut = true;
                }

                if (!anyOut)
                {
                    result?.Add(ring);
                    continue;
                }

                result ??= [.. rings.Take(k)];
                if (!anyIn) continue;
                var part = Clip(ring, a, b, c);
                if (part.Length > 0) result.Add(part);
            }

            return result ?? rings;
        }

        // Where the cell lies along segment s: 0 when its projection parameter is within [0, 1] at every corner (the perpendicular
        // strip), 1 when beyond the end at every corner, −1 before the start at every corner, 2 otherwise (or s a point).
        private int Side(int s, double x0, double y0, double x1, double y1)
        {
            var inv = field._inv[s];
            if (inv == 0) return 2;
            double ax = field._ax[s], ay = field._ay[s], dx = field._dx[s], dy = field._dy[s];
            double t0 = ((x0 - ax) * dx + (y0 - ay) * dy) * inv, t1 = ((x1 - ax) * dx + (y0 - ay) * dy) * inv;
            double t2 = ((x1 - ax) * dx + (y1 - ay) * dy) * inv, t3 = ((x0 - ax) * dx + (y1 - ay) * dy) * inv;
            double lo = Math.Min(Math.Min(t0, t1), Math.Min(t2, t3)), hi = Math.Max(Math.Max(t0, t1), Math.Max(t2, t3));
            if (lo >= 0 && hi <= 1) return 0;
            if (lo >= 1) return 1;
            if (hi <= 0) return -1;
            return 2;
        }

        private void AddUncovered(List<double[]>? rings, double cx, double cy, double half)
        {
            // Whole cells (convex, valid): the caller intersects their union with J once.
            uncovered?.Add(Square(cx, cy, half));
        }

        private static double[] Square(double cx, double cy, double half) =>
            [cx - half, cy - half, cx + half, cy - half, cx + half, cy + half, cx - half, cy + half];

        // The part of the rings within the straight edge at distance r from segment s (normal to the direction from its nearest
        // point to the cell's centre); the rest (beyond the edge) in rest.
        private double Beyond(List<double[]> rings, int s, double cx, double cy, double d, out List<double[]> rest, bool withRest)
        {
            var (px, py) = field.Nearest(s, cx, cy);
            double nx = cx - px, ny = cy - py;
            // d > r − h > 0 here, so the centre is off the segment and the normal is defined.
            nx /= d;
            ny /= d;
            var c = nx * px + ny * py + field._radius;
            var area = 0.0;
            rest = [];
            foreach (var ring in rings)
            {
                var inner = Clip(ring, nx, ny, c);
                if (inner.Length > 0) area += SignedArea(inner);
                if (withRest)
                {
                    var outer = Clip(ring, -nx, -ny, -c);
                    if (outer.Length > 0) rest.Add(outer);
                }
            }

            return area;
        }

        // The covered part of an undecided leaf: C's edge as the straight line at distance r from the nearest segment, and where
        // another segment within reach has its nearest point in a direction more than 25° away (a corner where two capsules'
        // edges meet), the union of the two half-planes.
        private double Leaf(List<double[]> rings, int start, double cx, double cy, double h, bool ownOnly)
        {
            var r = field._radius;
            int first = -1;
            var d1 = double.PositiveInfinity;
            for (var i = start; i < _top; i++)
            {
                if (ownOnly && field._owner[_stack[i]] != own) continue;
                if (_distance[i] < d1) { d1 = _distance[i]; first = _stack[i]; }
            }

            var (n1x, n1y, c1) = HalfPlane(first, cx, cy, d1);
            int second = -1;
            var d2 = double.PositiveInfinity;
            double n2x = 0, n2y = 0, c2 = 0;
            for (var i = start; i < _top; i++)
            {
                var s = _stack[i];
                if ((ownOnly && field._owner[s] != own) || _distance[i] >= d2 || _distance[i] > r + h) continue;
                var (nx, ny, c) = HalfPlane(s, cx, cy, _distance[i]);
                if (nx * n1x + ny * n1y > Cos25) continue;
                (second, d2, n2x, n2y, c2) = (s, _distance[i], nx, ny, c);
            }

            var area = 0.0;
            foreach (var ring in rings)
            {
                var inFirst = Clip(ring, n1x, n1y, c1);
                area += inFirst.Length > 0 ? SignedArea(inFirst) : 0;
                if (second < 0) continue;
                // |A ∪ B| = |B| + |A − B|: the part of the first half-plane beyond the second's edge.
                var inSecond = Clip(ring, n2x, n2y, c2);
                area += inSecond.Length > 0 ? SignedArea(inSecond) : 0;
                if (inFirst.Length > 0)
                {
                    var both = Clip(inFirst, n2x, n2y, c2);
                    area -= both.Length > 0 ? SignedArea(both) : 0;
                }
            }

            return area;
        }

        private const double Cos25 = 0.9063077870366499;

        // The half-plane n·x ≤ c of the points within r of segment s, straightened at the cell's centre (d: its distance, > 0).
        private (double Nx, double Ny, double C) HalfPlane(int s, double cx, double cy, double d)
        {
            var (px, py) = field.Nearest(s, cx, cy);
            if (d <= 0) return (1, 0, double.PositiveInfinity);
            double nx = (cx - px) / d, ny = (cy - py) / d;
            return (nx, ny, nx * px + ny * py + field._radius);
        }

        // In a small cell, repeated passes along one road are near-parallel and their distances nearly affine over the cell: a
        // segment that is not (within a quarter metre) the nearest of all, or of own, at any corner or at the centre of the cell
        // forms no part of C's edge there and is dropped from the cell's list.
        private void Prune(int start, double cx, double cy, double half)
        {
            const double Tolerance = 0.25;
            var n = _top - start;
            Span<double> xs = [cx, cx - half, cx + half, cx - half, cx + half];
            Span<double> ys = [cy, cy - half, cy - half, cy + half, cy + half];
            Span<double> minAll = [double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity];
            Span<double> minOwn = [double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity];
            if (_corner.Length < 5 * n) _corner = new double[Math.Max(5 * n, 2 * _corner.Length)];
            for (var i = 0; i < n; i++)
            {
                var s = _stack[start + i];
                var isOwn = field._owner[s] == own;
                for (var p = 0; p < 5; p++)
                {
                    var d = p == 0 ? _distance[start + i] : Distance(s, xs[p], ys[p]);
                    _corner[5 * i + p] = d;
                    if (d < minAll[p]) minAll[p] = d;
                    if (isOwn && d < minOwn[p]) minOwn[p] = d;
                }
            }

            var kept = start;
            for (var i = 0; i < n; i++)
            {
                var s = _stack[start + i];
                var isOwn = field._owner[s] == own;
                var keep = false;
                for (var p = 0; p < 5 && !keep; p++)
                {
                    var d = _corner[5 * i + p];
                    keep = d <= minAll[p] + Tolerance || (isOwn && d <= minOwn[p] + Tolerance);
                }

                if (!keep) continue;
                _distance[kept] = _distance[start + i];
                _stack[kept++] = s;
            }

            _top = kept;
        }

        private double[] _corner = new double[64];

        private double Distance(int s, double x, double y)
        {
            var (px, py) = field.Nearest(s, x, y);
            return Math.Sqrt((x - px) * (x - px) + (y - py) * (y - py));
        }
    }

    private (double X, double Y) Nearest(int s, double x, double y)
    {
        double ex = x - _ax[s], ey = y - _ay[s];
        var t = Math.Clamp((ex * _dx[s] + ey * _dy[s]) * _inv[s], 0.0, 1.0);
        return (_ax[s] + t * _dx[s], _ay[s] + t * _dy[s]);
    }
}
