using MapControl.Core.Spatial;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;

namespace MapControl.Core.Coverage;

/// <summary>
/// Gaps and overlaps of a coverage by edge matching (as NTS CoverageUnion does): every item ring is oriented with the
/// item on its left and its segments are counted per direction; a segment whose two directions cancel (A→B of one
/// item, B→A of a neighbour) is an interior shared edge where the coverage count does not change and is dropped.
/// Only the rest (the union outline, gap and overlap boundaries, near-miss edges) and the frame boundary are noded and
/// polygonized; each face is classified by one interior point: inside the frame and in no item = gap piece, in two or
/// more items = overlap piece (owners: every item whose interior meets it). Adjacent pieces of one class are merged into connected polygons on the grid.
/// Work is near-linear in the number of vertices; only the unmatched edges (few in a near-valid coverage) are overlaid.
/// </summary>
internal sealed class CoverageFaces
{
    private readonly Geometry _frame;
    private readonly IReadOnlyList<MetricItem> _items;
    private readonly MetricOverlay _overlay;
    private readonly GeometryFactory _factory;
    private readonly STRtree<int> _itemTree = new();
    private readonly IndexedPointInAreaLocator?[] _locators;
    private readonly Action<string>? _trace;

    private CoverageFaces(Geometry frame, IReadOnlyList<MetricItem> items, MetricOverlay overlay, Action<string>? trace)
    {
        _trace = trace;
        _frame = frame;
        _items = items;
        _overlay = overlay;
        _factory = frame.Factory;
        _locators = new IndexedPointInAreaLocator?[items.Count];
        for (var i = 0; i < items.Count; i++) _itemTree.Insert(items[i].Geometry.EnvelopeInternal, i);
        _itemTree.Build();
    }

    /// <summary>Connected gap polygons (frame covered by no item, on the grid) and connected overlap polygons inside the frame with the owners of the items overlapping there.</summary>
    /// <param name="trace">Diagnostics for timing harnesses (<see cref="CoverageOptions.Trace"/>): one line per phase; null for none.</param>
    public static (List<Polygon> Gaps, List<(Polygon Polygon, SortedSet<string> Owners)> Overlaps) Find(
        Geometry frame, IReadOnlyList<MetricItem> items, MetricOverlay overlay, Action<string>? trace = null)
    {
        if (frame.IsEmpty) return ([], []);
        return new CoverageFaces(frame, items, overlay, trace).Run();
    }

    private (List<Polygon>, List<(Polygon, SortedSet<string>)>) Run()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lines = UnmatchedSegments();
        _trace?.Invoke($"faces: {lines.Count} unmatched segments counted in {clock.ElapsedMilliseconds} ms");
        var noded = OverlayNGRobust.Union((Geometry)_factory.CreateMultiLineString(lines.ToArray()));
        _trace?.Invoke($"faces: noded to {noded.NumPoints} points at {clock.ElapsedMilliseconds} ms");
        var polygonizer = new Polygonizer(extractOnlyPolygonal: false);
        polygonizer.Add(noded);
        var faces = polygonizer.GetPolygons();
        _trace?.Invoke($"faces: {faces.Count} faces at {clock.ElapsedMilliseconds} ms");

        var frameLocator = new IndexedPointInAreaLocator(_frame);
        var gapPieces = new List<Geometry>();
        var overlapPieces = new List<(Polygon Piece, Coordinate Inside, List<int> Items)>();
        foreach (var face in faces.OfType<Polygon>())
        {
            if (face.IsEmpty || face.Area <= 0) continue;
            var (inside, containing) = Classify(face);
            if (frameLocator.Locate(inside) != Location.Interior) continue;
            if (containing.Count == 0) gapPieces.Add(face);
            else if (containing.Count >= 2) overlapPieces.Add((face, inside, Overlapping(face)));
        }

        _trace?.Invoke($"faces: classified, {gapPieces.Count} gap and {overlapPieces.Count} overlap pieces at {clock.ElapsedMilliseconds} ms");
        var gaps = gapPieces.Count == 0 ? [] : PolygonMeasures.Polygons(Merge(gapPieces));
        _trace?.Invoke($"faces: gaps merged at {clock.ElapsedMilliseconds} ms");
        if (overlapPieces.Count == 0) return (gaps, []);

        var merged = PolygonMeasures.Polygons(Merge(overlapPieces.Select(p => (Geometry)p.Piece).ToList()));
        var componentTree = new STRtree<int>();
        for (var i = 0; i < merged.Count; i++) componentTree.Insert(merged[i].EnvelopeInternal, i);
        componentTree.Build();
        var locators = merged.Select(m => new IndexedPointInAreaLocator(m)).ToArray();
        var owners = merged.Select(_ => new SortedSet<string>(StringComparer.Ordinal)).ToArray();
        foreach (var (_, inside, containing) in overlapPieces)
        {
            foreach (var c in componentTree.Query(new Envelope(inside)))
            {
                if (locators[c].Locate(inside) == Location.Exterior) continue;
                foreach (var k in containing) owners[c].Add(_items[k].Owner);
                break;
            }
        }
        _trace?.Invoke($"faces: overlaps merged at {clock.ElapsedMilliseconds} ms");
        var overlaps = new List<(Polygon, SortedSet<string>)>(merged.Count);
        for (var i = 0; i < merged.Count; i++) overlaps.Add((merged[i], owners[i]));
        return (gaps, overlaps);
    }

    /// <summary>
    /// Connected polygons of adjacent faces, on the grid. Faces of one polygonized arrangement share their edges exactly,
    /// so NTS CoverageUnion (edge matching, no noding) merges them; the robust overlay union is the fallback.
    /// </summary>
    private Geometry Merge(List<Geometry> faces)
    {
        Geometry? union = null;
        try
        {
            union = NetTopologySuite.Coverage.CoverageUnion.Union(faces.ToArray());
            var expected = faces.Sum(f => f.Area);
            if (union is null || Math.Abs(union.Area - expected) > 1e-9 * Math.Max(1.0, expected) || !union.IsValid) union = null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            union = null;
        }
        return union is null ? _overlay.Union(faces, _factory) : _overlay.Round(union);
    }

    private static readonly double[] Fractions = [0.5, 0.382, 0.618, 0.236, 0.764, 0.146, 0.854, 0.09, 0.91];

    /// <summary>
    /// A point inside the face that lies on no item boundary, and the items containing it. Interior shared edges were
    /// dropped, so the face's interior point may fall on one (then it would count for neither neighbour): candidates
    /// are tried along the interior point's scan line, widest interval first, until one is off every item boundary.
    /// </summary>
    private (Coordinate Inside, List<int> Items) Classify(Polygon face)
    {
        var first = face.InteriorPoint.Coordinate;
        if (Containing(first) is { } items) return (first, items);
        var y = first.Y;
        var crossings = new List<double>();
        AddCrossings(face.ExteriorRing.CoordinateSequence, y, crossings);
        foreach (var hole in face.InteriorRings) AddCrossings(hole.CoordinateSequence, y, crossings);
        crossings.Sort();
        var intervals = new List<(double From, double To)>();
        for (var i = 0; i + 1 < crossings.Count; i += 2) intervals.Add((crossings[i], crossings[i + 1]));
        foreach (var (from, to) in intervals.OrderByDescending(iv => iv.To - iv.From).Take(4))
        {
            foreach (var f in Fractions)
            {
                var candidate = new Coordinate(from + (to - from) * f, y);
                if (Containing(candidate) is { } found) return (candidate, found);
            }
        }
        // Degenerate face (no point off every item boundary found): count the items whose interior holds the interior point.
        return (first, Containing(first, boundaryIsInside: false)!);
    }

    private static void AddCrossings(CoordinateSequence ring, double y, List<double> crossings)
    {
        for (var i = 1; i < ring.Count; i++)
        {
            double ax = ring.GetX(i - 1), ay = ring.GetY(i - 1), bx = ring.GetX(i), by = ring.GetY(i);
            if ((ay > y) == (by > y)) continue;
            crossings.Add(ax + (y - ay) * (bx - ax) / (by - ay));
        }
    }

    /// <summary>
    /// Indexes of the items whose interiors meet the face's interior. A face of one coverage count may still change
    /// owners across a dropped shared edge (a grown item overlapping two neighbours), so owners are not taken from one point.
    /// </summary>
    private List<int> Overlapping(Polygon face)
    {
        var result = new List<int>();
        NetTopologySuite.Operation.RelateNG.RelateNG? relate = null;
        foreach (var k in _itemTree.Query(face.EnvelopeInternal))
        {
            relate ??= NetTopologySuite.Operation.RelateNG.RelateNG.Prepare(face);
            if (relate.Evaluate(_items[k].Geometry, "T********")) result.Add(k);
        }
        return result;
    }

    /// <summary>Indexes of the items whose interior contains the point; null when the point is on an item boundary (unless that is taken as outside).</summary>
    private List<int>? Containing(Coordinate point, bool? boundaryIsInside = null)
    {
        var result = new List<int>(2);
        foreach (var k in _itemTree.Query(new Envelope(point)))
        {
            var locator = _locators[k] ??= new IndexedPointInAreaLocator(_items[k].Geometry);
            switch (locator.Locate(point))
            {
                case Location.Interior:
                    result.Add(k);
                    break;
                case Location.Boundary when boundaryIsInside is null:
                    return null;
                case Location.Boundary when boundaryIsInside is true:
                    result.Add(k);
                    break;
            }
        }
        return result;
    }


    /// <summary>
    /// Segments where the coverage count or the frame changes, as two-point lines: item segments whose directions do not
    /// cancel, and frame segments, except where a frame segment is the outline edge of exactly one item on the same side
    /// with no other item around (covered once inside, nothing outside: neither side can be a gap or an overlap).
    /// </summary>
    private List<LineString> UnmatchedSegments()
    {
        var uses = CountItemSegments();
        _trace?.Invoke($"faces: item segments counted ({uses.Count})");
        var frameRings = new List<(Coordinate[] Ring, bool Ccw)>();
        for (var p = 0; p < _frame.NumGeometries; p++)
        {
            if (_frame.GetGeometryN(p) is not Polygon polygon || polygon.IsEmpty) continue;
            frameRings.Add((polygon.ExteriorRing.Coordinates, true));
            foreach (var hole in polygon.InteriorRings) frameRings.Add((hole.Coordinates, false));
        }
        var outline = new List<(double X1, double Y1, double X2, double Y2)>();
        for (var i = 0; i < uses.End; i++)
        {
            if (uses.IsUsed(i) && uses.ValueAt(i).Net != 0) outline.Add(uses.KeyAt(i));
        }
        if (outline.Count > 0 && frameRings.Count > 0)
        {
            var env = _frame.EnvelopeInternal;
            var scale = Math.Max(Math.Max(Math.Abs(env.MinX), Math.Abs(env.MaxX)), Math.Max(Math.Abs(env.MinY), Math.Abs(env.MaxY)));
            // Item vertices along the frame lie on the projected lon/lat line, not on the frame's chords (sagitta ~0.5 mm
            // per 0.002° chord) and are rounded to the grid: within 1.5 grid cells they are taken as on the frame.
            var tolerance = Math.Max(1e-9 * Math.Max(1.0, scale), 1.5 / _overlay.Grid.Scale);
            var outlineGrid = new SegmentGrid(outline);
            var ownVertices = frameRings;
            frameRings = InsertOutlineVertices(frameRings, outline, outlineGrid, tolerance);
            _trace?.Invoke($"faces: outline {outline.Count}, frame vertices inserted");
            // Only the frame's own vertices: the inserted ones are outline end points already (a T-junction missed here
            // leaves two unmatched segments, which the noding below handles).
            SplitAtFrameVertices(uses, outline, outlineGrid, ownVertices, tolerance);
            _trace?.Invoke("faces: split at frame vertices");
        }
        foreach (var (ring, ccw) in frameRings) Count(ring, ccw, uses, -1);
        var lines = new List<LineString>();
        var alongFrame = new Dictionary<int, List<(double, double, double, double)>>();
        for (var i = 0; i < uses.End; i++)
        {
            if (!uses.IsUsed(i)) continue;
            var (key, use) = (uses.KeyAt(i), uses.ValueAt(i));
            if (use.Net == 0 && use.FrameNet == 0) continue;
            if (use.Net == use.FrameNet && use.Uses == 1)
            {
                if (!alongFrame.TryGetValue(use.Item, out var list)) alongFrame[use.Item] = list = [];
                list.Add(key);
                continue;
            }
            lines.Add(Line(key));
        }
        _trace?.Invoke($"faces: {alongFrame.Sum(a => a.Value.Count)} along the frame, {lines.Count} kept");
        // Items are independent here (read-only item tree and geometries): test them in parallel, keep them in item order.
        var frameItems = alongFrame.Keys.Order().ToArray();
        var meeting = new List<(double, double, double, double)>[frameItems.Length];
        Parallel.For(0, frameItems.Length, i => meeting[i] = MeetingOtherItems(frameItems[i], alongFrame[frameItems[i]]));
        foreach (var segments in meeting) lines.AddRange(segments.Select(Line));
        return lines;
    }

    private LineString Line((double X1, double Y1, double X2, double Y2) s) =>
        _factory.CreateLineString([new Coordinate(s.X1, s.Y1), new Coordinate(s.X2, s.Y2)]);

    /// <summary>
    /// Of an item's outline segments that run along the frame (covered once inside, nothing outside), those whose interior
    /// meets the interior or boundary of another item: only there can the frame separate an overlap inside from coverage
    /// outside, so only those are kept (keeping more is always safe, keeping fewer is not). Per neighbouring item: its
    /// segments near these are tested for contact other than at a shared end point; the segments left, joined where they
    /// share an end point the neighbour does not touch, form runs that lie wholly inside or wholly outside the
    /// neighbour, which one midpoint per run tells.
    /// </summary>
    private List<(double, double, double, double)> MeetingOtherItems(int item, List<(double X1, double Y1, double X2, double Y2)> segments)
    {
        var grid = new SegmentGrid(segments);
        var vertexIds = new Dictionary<(double, double), int>(segments.Count + 1);
        var ends = new (int A, int B)[segments.Count];
        for (var i = 0; i < segments.Count; i++)
        {
            var (x1, y1, x2, y2) = segments[i];
            ends[i] = (VertexId(x1, y1), VertexId(x2, y2));
        }
        var kept = new bool[segments.Count];
        var touched = new HashSet<int>();
        var parent = new int[segments.Count];
        var firstAt = new int[vertexIds.Count];
        foreach (var k in _itemTree.Query(grid.Envelope))
        {
            if (k == item) continue;
            var geometry = _items[k].Geometry;
            touched.Clear();
            for (var p = 0; p < geometry.NumGeometries; p++)
            {
                if (geometry.GetGeometryN(p) is not Polygon polygon || polygon.IsEmpty) continue;
                MarkContacts(polygon.ExteriorRing.CoordinateSequence, grid, segments, vertexIds, kept, touched);
                foreach (var hole in polygon.InteriorRings) MarkContacts(hole.CoordinateSequence, grid, segments, vertexIds, kept, touched);
            }

            // Runs of segments not yet kept, joined at end points the neighbour's boundary does not touch.
            Array.Fill(firstAt, -1);
            for (var i = 0; i < segments.Count; i++) parent[i] = i;
            for (var i = 0; i < segments.Count; i++)
            {
                if (kept[i]) continue;
                Join(ends[i].A, i);
                Join(ends[i].B, i);
            }
            var inside = new Dictionary<int, bool>();
            var envelope = geometry.EnvelopeInternal;
            for (var i = 0; i < segments.Count; i++)
            {
                if (kept[i]) continue;
                var root = Root(parent, i);
                if (!inside.TryGetValue(root, out var isInside))
                {
                    var (x1, y1, x2, y2) = segments[i];
                    var mid = new Coordinate((x1 + x2) / 2, (y1 + y2) / 2);
                    isInside = envelope.Intersects(mid) && SimplePointInAreaLocator.Locate(mid, geometry) != Location.Exterior;
                    inside[root] = isInside;
                }
                if (isInside) kept[i] = true;
            }
        }
        var result = new List<(double, double, double, double)>();
        for (var i = 0; i < segments.Count; i++)
        {
            if (kept[i]) result.Add(segments[i]);
        }
        return result;

        void Join(int vertex, int segment)
        {
            if (touched.Contains(vertex)) return;
            if (firstAt[vertex] < 0) firstAt[vertex] = segment;
            else parent[Root(parent, segment)] = Root(parent, firstAt[vertex]);
        }

        int VertexId(double x, double y)
        {
            if (!vertexIds.TryGetValue((x, y), out var id)) vertexIds[(x, y)] = id = vertexIds.Count;
            return id;
        }
    }


    private static int Root(int[] parent, int i)
    {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }

    /// <summary>
    /// Marks the segments that a ring's segments meet anywhere but at a shared end point (non-collinear), and collects
    /// the segments' end points that are vertices of the ring.
    /// </summary>
    private static void MarkContacts(CoordinateSequence ring, SegmentGrid grid, List<(double X1, double Y1, double X2, double Y2)> segments,
        Dictionary<(double, double), int> vertexIds, bool[] kept, HashSet<int> touched)
    {
        var near = new List<int>();
        for (var j = 1; j < ring.Count; j++)
        {
            double tx1 = ring.GetX(j - 1), ty1 = ring.GetY(j - 1), tx2 = ring.GetX(j), ty2 = ring.GetY(j);
            var env = grid.Envelope;
            if (Math.Min(tx1, tx2) > env.MaxX || Math.Max(tx1, tx2) < env.MinX || Math.Min(ty1, ty2) > env.MaxY || Math.Max(ty1, ty2) < env.MinY) continue;
            if (vertexIds.TryGetValue((tx1, ty1), out var id)) touched.Add(id);
            near.Clear();
            grid.Query(Math.Min(tx1, tx2), Math.Min(ty1, ty2), Math.Max(tx1, tx2), Math.Max(ty1, ty2), near);
            foreach (var i in near)
            {
                if (kept[i]) continue;
                var (x1, y1, x2, y2) = segments[i];
                if (Contact(x1, y1, x2, y2, tx1, ty1, tx2, ty2)) kept[i] = true;
            }
        }
    }

    /// <summary>True when segment t meets segment s other than only at one end point they share (collinear contact always counts).</summary>
    private static bool Contact(double x1, double y1, double x2, double y2, double tx1, double ty1, double tx2, double ty2)
    {
        if (Math.Max(Math.Min(x1, x2), Math.Min(tx1, tx2)) > Math.Min(Math.Max(x1, x2), Math.Max(tx1, tx2))
            || Math.Max(Math.Min(y1, y2), Math.Min(ty1, ty2)) > Math.Min(Math.Max(y1, y2), Math.Max(ty1, ty2))) return false;
        if (!FastValidity.Meet(x1, y1, x2, y2, tx1, ty1, tx2, ty2)) return false;
        if (CGAlgorithmsDD.OrientationIndex(x1, y1, x2, y2, tx1, ty1) == 0
            && CGAlgorithmsDD.OrientationIndex(x1, y1, x2, y2, tx2, ty2) == 0) return true; // collinear, envelopes overlap
        var sharedEnd = (tx1 == x1 && ty1 == y1) || (tx1 == x2 && ty1 == y2) || (tx2 == x1 && ty2 == y1) || (tx2 == x2 && ty2 == y2);
        return !sharedEnd;
    }

    /// <summary>
    /// Frame rings with the end points of item outline segments that lie on a frame segment (within the tolerance) inserted
    /// as vertices, so that frame segments along the coverage outline coincide with the items' segments and cancel.
    /// </summary>
    private static List<(Coordinate[] Ring, bool Ccw)> InsertOutlineVertices(
        List<(Coordinate[] Ring, bool Ccw)> rings, List<(double X1, double Y1, double X2, double Y2)> outline, SegmentGrid grid, double tolerance)
    {
        var near = new List<int>();
        var extra = new List<(double T, double X, double Y)>();
        var result = new List<(Coordinate[] Ring, bool Ccw)>(rings.Count);
        foreach (var (ring, ccw) in rings)
        {
            var points = new List<Coordinate>(ring.Length) { ring[0] };
            for (var i = 1; i < ring.Length; i++)
            {
                var (a, b) = (ring[i - 1], ring[i]);
                var search = new Envelope(a, b);
                search.ExpandBy(tolerance);
                near.Clear();
                grid.Query(search, near);
                extra.Clear();
                foreach (var o in near)
                {
                    var (x1, y1, x2, y2) = outline[o];
                    if (InteriorFraction(x1, y1, a, b, tolerance) is { } t1) extra.Add((t1, x1, y1));
                    if (InteriorFraction(x2, y2, a, b, tolerance) is { } t2) extra.Add((t2, x2, y2));
                }
                extra.Sort((p, q) => p.T.CompareTo(q.T));
                foreach (var (_, x, y) in extra)
                {
                    if (x != points[^1].X || y != points[^1].Y) points.Add(new Coordinate(x, y));
                }
                if (!b.Equals2D(points[^1])) points.Add(b);
            }
            result.Add((points.ToArray(), ccw));
        }
        return result;
    }

    /// <summary>Splits item outline segments at the frame vertices lying on them (within the tolerance), moving their counts to the pieces.</summary>
    private static void SplitAtFrameVertices(
        SegmentTable uses, List<(double, double, double, double)> outline, SegmentGrid grid,
        List<(Coordinate[] Ring, bool Ccw)> rings, double tolerance)
    {
        var near = new List<int>();
        var splits = new Dictionary<int, List<(double T, Coordinate Point)>>();
        var seen = new HashSet<(double, double)>();
        foreach (var (ring, _) in rings)
        {
            foreach (var point in ring)
            {
                if (!seen.Add((point.X, point.Y))) continue;
                var search = new Envelope(point);
                search.ExpandBy(tolerance);
                near.Clear();
                grid.Query(search, near);
                foreach (var i in near)
                {
                    var (x1, y1, x2, y2) = outline[i];
                    if (InteriorFraction(point.X, point.Y, new Coordinate(x1, y1), new Coordinate(x2, y2), tolerance) is not { } t) continue;
                    if (!splits.TryGetValue(i, out var list)) splits[i] = list = [];
                    list.Add((t, point));
                }
            }
        }
        foreach (var (i, list) in splits)
        {
            var key = outline[i];
            var use = uses.Get(key) ?? throw new InvalidOperationException("an outline segment is not counted");
            uses.Remove(key);
            list.Sort((a, b) => a.T.CompareTo(b.T));
            var chain = new List<Coordinate>(list.Count + 2) { new(key.Item1, key.Item2) };
            foreach (var (_, point) in list)
            {
                if (!point.Equals2D(chain[^1])) chain.Add(point);
            }
            var end = new Coordinate(key.Item3, key.Item4);
            if (!end.Equals2D(chain[^1])) chain.Add(end);
            for (var k = 1; k < chain.Count; k++)
            {
                var a = chain[k - 1];
                var b = chain[k];
                var forward = a.X < b.X || (a.X == b.X && a.Y < b.Y);
                var piece = forward ? (a.X, a.Y, b.X, b.Y) : (b.X, b.Y, a.X, a.Y);
                ref var target = ref uses.GetOrAdd(piece.Item1, piece.Item2, piece.Item3, piece.Item4);
                target.Net += forward ? use.Net : -use.Net;
                target.Uses += use.Uses;
                target.Item = use.Item;
                target.FrameNet += forward ? use.FrameNet : -use.FrameNet;
            }
        }
    }

    /// <summary>The fraction along a→b of the point's projection when the point lies within the tolerance of the segment's interior (not at an end); otherwise null.</summary>
    private static double? InteriorFraction(double x, double y, Coordinate a, Coordinate b, double tolerance)
    {
        if ((x == a.X && y == a.Y) || (x == b.X && y == b.Y)) return null;
        double dx = b.X - a.X, dy = b.Y - a.Y;
        var length2 = dx * dx + dy * dy;
        if (length2 <= 0) return null;
        var t = ((x - a.X) * dx + (y - a.Y) * dy) / length2;
        if (t <= 0 || t >= 1) return null;
        double px = a.X + t * dx - x, py = a.Y + t * dy - y;
        return px * px + py * py <= tolerance * tolerance ? t : null;
    }

    /// <summary>
    /// The item segments that do not cancel, with their counts. Items are counted in spatially compact groups in parallel
    /// (sorted by envelope centre); shared edges inside a group cancel there, and only each group's left-over segments are
    /// merged. A segment cancelled in one group (two items) and also used in another keeps only the other's use: it then
    /// looks like a single-use segment, which later steps treat conservatively (kept and noded).
    /// </summary>
    private SegmentTable CountItemSegments()
    {
        var order = Enumerable.Range(0, _items.Count).OrderBy(k => _items[k].Geometry.EnvelopeInternal.Centre.X).ToArray();
        var total = _items.Sum(i => (long)i.Geometry.NumPoints);
        var groupCount = total < 20_000 ? 1 : Math.Max(1, Math.Min(Environment.ProcessorCount, _items.Count));
        var groups = new List<int[]>(groupCount);
        for (int g = 0, start = 0; g < groupCount; g++)
        {
            long target = total * (g + 1) / groupCount, sum = order.Take(start).Sum(k => (long)_items[k].Geometry.NumPoints);
            var end = start;
            while (end < order.Length && (sum < target || g == groupCount - 1)) sum += _items[order[end++]].Geometry.NumPoints;
            groups.Add(order[start..end]);
            start = end;
        }
        var counted = new SegmentTable[groups.Count];
        Parallel.For(0, groups.Count, new ParallelOptions { MaxDegreeOfParallelism = groups.Count }, g =>
        {
            // Each shared edge is stored once; the group's own outline adds to that: room for 60% of its segments avoids a resize.
            var uses = new SegmentTable(groups[g].Sum(k => _items[k].Geometry.NumPoints) * 3 / 5 + 16);
            foreach (var k in groups[g])
            {
                var geometry = _items[k].Geometry;
                for (var p = 0; p < geometry.NumGeometries; p++)
                {
                    if (geometry.GetGeometryN(p) is not Polygon polygon || polygon.IsEmpty) continue;
                    Count(polygon.ExteriorRing.CoordinateSequence, ccw: true, uses, k);
                    foreach (var hole in polygon.InteriorRings) Count(hole.CoordinateSequence, ccw: false, uses, k);
                }
            }
            counted[g] = uses;
        });
        var left = 0;
        foreach (var uses in counted)
        {
            for (var i = 0; i < uses.End; i++)
            {
                if (uses.IsUsed(i) && uses.ValueAt(i).Net != 0) left++;
            }
        }
        var merged = new SegmentTable(left + _frame.NumPoints * 2);
        foreach (var uses in counted)
        {
            for (var i = 0; i < uses.End; i++)
            {
                if (!uses.IsUsed(i)) continue;
                var use = uses.ValueAt(i);
                if (use.Net == 0) continue;
                var key = uses.KeyAt(i);
                ref var target = ref merged.GetOrAdd(key.X1, key.Y1, key.X2, key.Y2);
                target.Net += use.Net;
                target.Uses += use.Uses;
                target.Item = use.Item;
            }
        }
        return merged;
    }

    /// <summary>Counts a ring's segments walked with its polygon on the left (+1 for a segment stored in its own direction, −1 for the reverse); item −1 is the frame.</summary>
    private static void Count(Coordinate[] ring, bool ccw, SegmentTable uses, int item) =>
        Count(new NetTopologySuite.Geometries.Implementation.CoordinateArraySequence(ring), ccw, uses, item);

    /// <summary>As above, over a ring's coordinate sequence (no coordinate objects for packed sequences).</summary>
    private static void Count(CoordinateSequence ring, bool ccw, SegmentTable uses, int item)
    {
        if (ring.Count < 4) return;
        var sign = Orientation.IsCCW(ring) == ccw ? 1 : -1;
        double ax = ring.GetX(0), ay = ring.GetY(0);
        for (var i = 1; i < ring.Count; i++)
        {
            double bx = ring.GetX(i), by = ring.GetY(i);
            if (ax == bx && ay == by) continue;
            var forward = ax < bx || (ax == bx && ay < by);
            ref var use = ref forward ? ref uses.GetOrAdd(ax, ay, bx, by) : ref uses.GetOrAdd(bx, by, ax, ay);
            if (item < 0)
            {
                use.FrameNet += forward ? sign : -sign;
            }
            else
            {
                use.Net += forward ? sign : -sign;
                use.Uses++;
                use.Item = item;
            }
            (ax, ay) = (bx, by);
        }
    }
}
