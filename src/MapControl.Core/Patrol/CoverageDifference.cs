using MapControl.Core.Spatial;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Noding;

namespace MapControl.Core.Patrol;

/// <summary>
/// J − (C₁ ∪ … ∪ C_k) for a jurisdiction J and the coverages of several departments reaching into it, without a union or an
/// overlay: the boundaries (J's whole, the C's where they reach J's envelope) are noded together by NTS's
/// <see cref="MCIndexNoder"/> (OverlayNG's floating noding) — only the runs of segments that share a cell of a uniform grid with a
/// segment of another boundary (<see cref="NearOtherSource"/>); a run that meets no other boundary is a piece already, so the
/// 2,000 vertices of a detailed J are not noded where no coverage comes near them; each piece between two nodes is kept when it bounds the difference —
/// a piece of ∂J outside every C_t, a piece of ∂C_s inside J and outside every other C_t, reversed — which one point of the piece
/// decides; the kept pieces are linked at their nodes into rings, holes go to the smallest shell holding them. Null when the
/// answer is not certain — a point on a boundary, a node where two kept pieces start, a ring that does not close, rings that
/// meet or cross (<see cref="FastValidity"/>): the caller then computes J − C by overlay. When no cover boundary reaches J's
/// envelope, each cover holds all of J or none of it. Each C_s must be valid and its
/// polygons disjoint (one department's coverage); different C's may overlap.
/// </summary>
internal static class CoverageDifference
{
    /// <summary>Source of a noded string: 0 for J, s + 1 for cover s.</summary>
    private sealed record Source(int Index);

    /// <summary>A ring (closed) or a run of a ring's segments (open) of one source, oriented as <see cref="AddRing"/> says.</summary>
    private readonly record struct Line(Coordinate[] Points, int Source, bool Closed);

    /// <summary>
    /// Point in area: the first few points by walking the rings (no index to build: J − C often asks about a handful of pieces of a
    /// 2,000-vertex jurisdiction), the rest through NTS's indexed locator.
    /// </summary>
    private sealed class LazyLocator(Geometry area)
    {
        private const int Direct = 32;
        private BandedLocator? _indexed;
        private int _calls;

        public Location Locate(Coordinate point) =>
            ++_calls <= Direct ? SimplePointInAreaLocator.Locate(point, area) : (_indexed ??= new BandedLocator(area)).Locate(point);
    }

    /// <summary>
    /// Point in area as NTS's <see cref="IndexedPointInAreaLocator"/> answers it — ray crossings counted over the rings' segments
    /// whose y-range holds the point — with the segments found through horizontal bands of the area's envelope (each segment listed
    /// in every band its y-range meets; a segment of the point's band that does not hold its y adds no crossing) instead of an
    /// interval R-tree: two arrays instead of a node and a segment object per edge (a 2,000-vertex jurisdiction, for every one).
    /// </summary>
    internal sealed class BandedLocator
    {
        private readonly List<Coordinate[]> _rings = [];
        private readonly int[] _start;
        private readonly long[] _items;
        private readonly double _minY;
        private readonly double _maxY;
        private readonly double _scale;
        private readonly int _bands;

        public BandedLocator(Geometry area)
        {
            var segments = 0;
            foreach (var line in NetTopologySuite.Geometries.Utilities.LinearComponentExtracter.GetLines(area))
            {
                if (line is not LineString { IsClosed: true } ring) continue;
                var points = ring.Coordinates;
                if (points.Length < 2) continue;
                _rings.Add(points);
                segments += points.Length - 1;
            }

            var envelope = area.EnvelopeInternal;
            _minY = envelope.MinY;
            _maxY = envelope.MaxY;
            _bands = Math.Max(1, Math.Min(segments / 4, 1 << 16));
            var height = _maxY - _minY;
            _scale = height > 0 ? _bands / height : 0;
            _start = new int[_bands + 1];
            _items = [];
            // Two passes: the number of segments of each band, then the segments (ring << 32 | index) in place.
            for (var pass = 0; pass < 2; pass++)
            {
                var at = pass == 0 ? null : (int[])_start.Clone();
                for (var r = 0; r < _rings.Count; r++)
                {
                    var points = _rings[r];
                    for (var i = 0; i + 1 < points.Length; i++)
                    {
                        var b0 = Band(Math.Min(points[i].Y, points[i + 1].Y));
                        var b1 = Band(Math.Max(points[i].Y, points[i + 1].Y));
                        for (var b = b0; b <= b1; b++)
                        {
                            if (at is null) _start[b + 1]++;
                            else _items[at[b]++] = ((long)r << 32) | (uint)i;
                        }
                    }
                }

                if (pass == 0)
                {
                    for (var b = 0; b < _bands; b++) _start[b + 1] += _start[b];
                    _items = new long[_start[_bands]];
                }
            }
        }

        private int Band(double y) => Math.Clamp((int)((y - _minY) * _scale), 0, _bands - 1);

        public Location Locate(Coordinate point)
        {
            if (!(point.Y >= _minY && point.Y <= _maxY)) return Location.Exterior;
            var counter = new RayCrossingCounter(point);
            var band = Band(point.Y);
            for (var k = _start[band]; k < _start[band + 1]; k++)
            {
                var points = _rings[(int)(_items[k] >> 32)];
                var i = (int)(uint)_items[k];
                counter.CountSegment(points[i], points[i + 1]);
                if (counter.IsOnSegment) return Location.Boundary;
            }

            return counter.Location;
        }
    }

    /// <summary>J − ∪ covers (same metric coordinates), or null when not certain (compute it by overlay then).</summary>
    public static Geometry? Compute(Geometry jurisdiction, IReadOnlyList<Geometry> covers, GeometryFactory factory) =>
        Compute(jurisdiction, covers, -1, factory, out _);

    /// <summary>
    /// J − ∪ covers, and the area of J ∩ covers[<paramref name="own"/>] (0 when own is −1) from the same pieces by Green's theorem
    /// (the pieces of ∂J inside it and of its boundary inside J, as <see cref="Spatial.IntersectionArea"/> sums them); null when
    /// not certain.
    /// </summary>
    public static Geometry? Compute(Geometry jurisdiction, IReadOnlyList<Geometry> covers, int own, GeometryFactory factory, out double ownArea)
    {
        ownArea = 0.0;
        if (covers.Count == 0) return jurisdiction;
        var envelope = new Envelope(jurisdiction.EnvelopeInternal);
        envelope.ExpandBy(1.0);
        var lines = new List<Line>();
        AddRings(lines, jurisdiction, 0, reverse: false, envelope);
        var jurisdictionLines = lines.Count;
        for (var s = 0; s < covers.Count; s++) AddRings(lines, covers[s], s + 1, reverse: true, envelope);
        if (lines.Count == jurisdictionLines)
        {
            // No cover boundary reaches J's envelope: each cover holds the whole envelope or misses it, which its centre tells.
            var centre = envelope.Centre;
            var covered = false;
            for (var t = 0; t < covers.Count; t++)
            {
                if (!covers[t].EnvelopeInternal.Contains(centre) || SimplePointInAreaLocator.Locate(centre, covers[t]) != Location.Interior) continue;
                covered = true;
                if (t == own) ownArea = jurisdiction.Area;
            }

            return covered ? factory.CreatePolygon() : jurisdiction;
        }

        // Only the runs of segments that may meet a segment of another source are noded; the others are pieces already.
        var sources = new Source[covers.Count + 1];
        for (var s = 0; s < sources.Length; s++) sources[s] = new Source(s);
        var pieces = new List<(Coordinate[] Points, int Source)>();
        var strings = new List<ISegmentString>();
        var near = NearOtherSource(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            SplitRuns(lines[i].Points, lines[i].Closed, near?[i], run => strings.Add(new NodedSegmentString(run, sources[lines[i].Source])),
                run => pieces.Add((run, lines[i].Source)));
        }

        if (strings.Count > 0)
        {
            var noder = new MCIndexNoder(new IntersectionAdder(new RobustLineIntersector()));
            noder.ComputeNodes(strings);
            foreach (var piece in noder.GetNodedSubstrings()) pieces.Add((piece.Coordinates, ((Source)piece.Context).Index));
        }

        var inJ = new LazyLocator(jurisdiction);
        var inCover = new LazyLocator?[covers.Count];
        var kept = new List<Coordinate[]>();
        var origin = envelope.Centre;
        var ownTwice = 0.0;
        foreach (var (points, source) in pieces)
        {
            if (points.Length < 2) continue;
            if (Representative(points) is not { } probe) return null;
            if (source > 0)
            {
                if (!envelope.Contains(probe)) continue;
                var location = inJ.Locate(probe);
                if (location == Location.Boundary) return null;
                if (location == Location.Exterior) continue;
                // A piece of the own coverage's boundary inside J bounds J ∩ C_own (stored reversed: subtracted).
                if (source == own + 1) ownTwice -= Twice(points, origin);
            }

            var keep = true;
            for (var t = 0; t < covers.Count; t++)
            {
                var needed = keep || (source == 0 && t == own);
                if (!needed || t + 1 == source || !covers[t].EnvelopeInternal.Contains(probe)) continue;
                var location = (inCover[t] ??= new LazyLocator(covers[t])).Locate(probe);
                if (location == Location.Boundary) return null;
                if (location == Location.Exterior) continue;
                keep = false;
                // A piece of ∂J inside the own coverage bounds J ∩ C_own.
                if (source == 0 && t == own) ownTwice += Twice(points, origin);
            }

            if (keep) kept.Add(points);
        }

        var rings = Link(kept);
        if (rings is null) return null;
        var result = Assemble(rings, factory);
        if (result is not null) ownArea = Math.Max(0.0, ownTwice / 2);
        return result;
    }

    /// <summary>Σ x₀y₁ − x₁y₀ over the piece's segments, about the origin (twice the area its segments sweep).</summary>
    private static double Twice(Coordinate[] points, Coordinate origin)
    {
        var sum = 0.0;
        for (var k = 0; k + 1 < points.Length; k++)
        {
            sum += (points[k].X - origin.X) * (points[k + 1].Y - origin.Y) - (points[k + 1].X - origin.X) * (points[k].Y - origin.Y);
        }

        return sum;
    }

    /// <summary>
    /// The rings of a polygonal geometry with the interior on the left (reversed: on the right) — whole when every segment
    /// reaches the envelope, else the runs of consecutive segments that do (their ends lie outside the envelope).
    /// </summary>
    private static void AddRings(List<Line> lines, Geometry polygonal, int source, bool reverse, Envelope envelope)
    {
        for (var g = 0; g < polygonal.NumGeometries; g++)
        {
            if (polygonal.GetGeometryN(g) is not Polygon polygon || polygon.IsEmpty || !polygon.EnvelopeInternal.Intersects(envelope)) continue;
            AddRing(lines, polygon.ExteriorRing, counterClockwise: !reverse, source, envelope);
            for (var h = 0; h < polygon.NumInteriorRings; h++)
            {
                var hole = polygon.GetInteriorRingN(h);
                if (hole.EnvelopeInternal.Intersects(envelope)) AddRing(lines, hole, counterClockwise: reverse, source, envelope);
            }
        }
    }

    private static void AddRing(List<Line> lines, LineString ring, bool counterClockwise, int source, Envelope envelope)
    {
        var points = ring.Coordinates;
        if (points.Length < 4) return;
        if (Orientation.IsCCW(points) != counterClockwise)
        {
            points = (Coordinate[])points.Clone();
            Array.Reverse(points);
        }

        var n = points.Length - 1;
        var inside = new bool[n];
        var all = true;
        var any = false;
        for (var k = 0; k < n; k++)
        {
            inside[k] = envelope.Intersects(points[k], points[k + 1]);
            all &= inside[k];
            any |= inside[k];
        }

        if (all)
        {
            lines.Add(new Line(points, source, Closed: true));
            return;
        }

        if (!any) return;
        var start = Array.IndexOf(inside, false);
        var run = new List<Coordinate>();
        for (var step = 1; step <= n; step++)
        {
            var k = (start + step) % n;
            if (inside[k])
            {
                if (run.Count == 0) run.Add(points[k]);
                run.Add(points[k + 1]);
            }
            else if (run.Count > 0)
            {
                lines.Add(new Line(run.ToArray(), source, Closed: false));
                run.Clear();
            }
        }

        if (run.Count > 0) lines.Add(new Line(run.ToArray(), source, Closed: false));
    }

    /// <summary>Most grid cells a segment's envelope may cover before it counts as long (checked against every segment instead).</summary>
    private const int MaxCellsPerSegment = 64;

    /// <summary>Most long segments; with more, every segment is noded.</summary>
    private const int MaxLongSegments = 16;

    /// <summary>
    /// Per line, per segment: whether it may meet a segment of another source — it shares a cell of a uniform grid with one,
    /// or its envelope meets that of a long one. Conservative: two segments that meet share the cell of their common point
    /// (cells are found by floor, which keeps order). Null when every segment is to be noded (few segments, a degenerate extent,
    /// too many long segments).
    /// </summary>
    private static bool[][]? NearOtherSource(List<Line> lines)
    {
        var count = 0;
        var extent = new Envelope();
        foreach (var (points, _, _) in lines)
        {
            count += points.Length - 1;
            foreach (var p in points) extent.ExpandToInclude(p.X, p.Y);
        }

        if (count < 256 || !(extent.Width > 0) || !(extent.Height > 0)) return null;
        // About one cell per segment (a jurisdiction's own boundary crosses few cells), never finer than the mean segment.
        var length = 0.0;
        foreach (var (points, _, _) in lines)
        {
            for (var k = 0; k + 1 < points.Length; k++) length += Math.Abs(points[k + 1].X - points[k].X) + Math.Abs(points[k + 1].Y - points[k].Y);
        }

        var side = Math.Max(Math.Sqrt(extent.Width * extent.Height / count), length / count);
        if (!(side > 0) || !double.IsFinite(side)) return null;
        var nx = (int)Math.Min(4096, Math.Floor(extent.Width / side) + 1);
        var ny = (int)Math.Min(4096, Math.Floor(extent.Height / side) + 1);
        if ((long)nx * ny > 4L * count + 4096) return null;
        var owner = new int[nx * ny];
        Array.Fill(owner, -1);
        const int mixed = -2;
        int Cell(double value, double min, int cells) => Math.Clamp((int)Math.Floor((value - min) / side), 0, cells - 1);
        var longSegments = new List<(Envelope Envelope, int Source)>();
        var near = new bool[lines.Count][];
        for (var i = 0; i < lines.Count; i++)
        {
            var (points, source, _) = lines[i];
            near[i] = new bool[points.Length - 1];
            for (var k = 0; k + 1 < points.Length; k++)
            {
                var (x0, x1) = (Cell(Math.Min(points[k].X, points[k + 1].X), extent.MinX, nx), Cell(Math.Max(points[k].X, points[k + 1].X), extent.MinX, nx));
                var (y0, y1) = (Cell(Math.Min(points[k].Y, points[k + 1].Y), extent.MinY, ny), Cell(Math.Max(points[k].Y, points[k + 1].Y), extent.MinY, ny));
                if ((x1 - x0 + 1) * (y1 - y0 + 1) > MaxCellsPerSegment)
                {
                    if (longSegments.Count == MaxLongSegments) return null;
                    longSegments.Add((new Envelope(points[k], points[k + 1]), source));
                    near[i][k] = true;
                    continue;
                }

                for (var y = y0; y <= y1; y++)
                {
                    for (var x = x0; x <= x1; x++)
                    {
                        ref var cell = ref owner[y * nx + x];
                        if (cell == -1) cell = source;
                        else if (cell != source) cell = mixed;
                    }
                }
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var (points, source, _) = lines[i];
            for (var k = 0; k + 1 < points.Length; k++)
            {
                if (near[i][k]) continue;
                var (x0, x1) = (Cell(Math.Min(points[k].X, points[k + 1].X), extent.MinX, nx), Cell(Math.Max(points[k].X, points[k + 1].X), extent.MinX, nx));
                var (y0, y1) = (Cell(Math.Min(points[k].Y, points[k + 1].Y), extent.MinY, ny), Cell(Math.Max(points[k].Y, points[k + 1].Y), extent.MinY, ny));
                var hit = false;
                for (var y = y0; y <= y1 && !hit; y++)
                {
                    for (var x = x0; x <= x1 && !hit; x++) hit = owner[y * nx + x] == mixed;
                }

                foreach (var (envelope, other) in longSegments)
                {
                    if (hit) break;
                    hit = other != source && envelope.Intersects(points[k], points[k + 1]);
                }

                near[i][k] = hit;
            }
        }

        return near;
    }

    /// <summary>
    /// A line cut into its runs of consecutive segments that are near another source (<paramref name="noded"/>) and that are not
    /// (<paramref name="whole"/>); consecutive runs share their end vertex, and a closed ring's runs go round it. Null flags: all near.
    /// </summary>
    private static void SplitRuns(Coordinate[] points, bool closed, bool[]? near, Action<Coordinate[]> noded, Action<Coordinate[]> whole)
    {
        var n = points.Length - 1;
        if (near is null || Array.TrueForAll(near, f => f))
        {
            noded(points);
            return;
        }

        if (Array.TrueForAll(near, f => !f))
        {
            whole(points);
            return;
        }

        // A closed ring is walked from a change of flag, so that no run is split at vertex 0; an open line from its start.
        var start = 0;
        if (closed)
        {
            while (near[start] == near[(start + n - 1) % n]) start++;
        }

        var from = 0;
        for (var step = 1; step <= n; step++)
        {
            if (step < n && near[(start + step) % n] == near[(start + from) % n]) continue;
            // The segments walked from `from` to step − 1 form one run.
            var run = new Coordinate[step - from + 1];
            for (var j = 0; j < run.Length; j++) run[j] = points[closed ? (start + from + j) % n : from + j];
            if (near[(start + from) % n]) noded(run);
            else whole(run);
            from = step;
        }
    }

    /// <summary>The midpoint of the piece's longest segment (away from its nodes); null for a piece of zero length.</summary>
    private static Coordinate? Representative(Coordinate[] points)
    {
        var best = -1;
        var bestLength = 0.0;
        for (var k = 0; k + 1 < points.Length; k++)
        {
            var dx = points[k + 1].X - points[k].X;
            var dy = points[k + 1].Y - points[k].Y;
            var length = dx * dx + dy * dy;
            if (length > bestLength)
            {
                bestLength = length;
                best = k;
            }
        }

        return best < 0 ? null : new Coordinate((points[best].X + points[best + 1].X) / 2, (points[best].Y + points[best + 1].Y) / 2);
    }

    /// <summary>The kept pieces joined end to start into closed rings; null when a node has two kept pieces starting or a ring does not close.</summary>
    private static List<Coordinate[]>? Link(List<Coordinate[]> pieces)
    {
        var starting = new Dictionary<(double, double), int>(pieces.Count);
        for (var i = 0; i < pieces.Count; i++)
        {
            if (!starting.TryAdd((pieces[i][0].X, pieces[i][0].Y), i)) return null;
        }

        var used = new bool[pieces.Count];
        var rings = new List<Coordinate[]>();
        var ring = new List<Coordinate>();
        for (var first = 0; first < pieces.Count; first++)
        {
            if (used[first]) continue;
            ring.Clear();
            var origin = pieces[first][0];
            var current = first;
            while (true)
            {
                used[current] = true;
                var points = pieces[current];
                for (var k = ring.Count == 0 ? 0 : 1; k < points.Length; k++) ring.Add(points[k]);
                var end = points[^1];
                if (end.X == origin.X && end.Y == origin.Y) break;
                if (!starting.TryGetValue((end.X, end.Y), out current) || used[current]) return null;
            }

            if (ring.Count < 4) return null;
            rings.Add([.. ring]);
        }

        return rings;
    }

    /// <summary>Counter-clockwise rings are shells, clockwise ones holes of the smallest shell holding them; null when unsure.</summary>
    private static Geometry? Assemble(List<Coordinate[]> rings, GeometryFactory factory)
    {
        var shells = new List<(LinearRing Ring, double Area, List<LinearRing> Holes)>();
        var holes = new List<LinearRing>();
        foreach (var points in rings)
        {
            var ring = factory.CreateLinearRing(points);
            if (Orientation.IsCCW(points)) shells.Add((ring, Area.OfRing(points), []));
            else holes.Add(ring);
        }

        if (shells.Count == 0) return holes.Count == 0 ? factory.CreatePolygon() : null;
        shells.Sort((a, b) => a.Area.CompareTo(b.Area));
        foreach (var hole in holes)
        {
            if (Representative(hole.Coordinates) is not { } probe) return null;
            var holder = -1;
            for (var s = 0; s < shells.Count && holder < 0; s++)
            {
                if (!shells[s].Ring.EnvelopeInternal.Contains(hole.EnvelopeInternal)) continue;
                var location = PointLocation.LocateInRing(probe, shells[s].Ring.CoordinateSequence);
                if (location == Location.Boundary) return null;
                if (location == Location.Interior) holder = s;
            }

            if (holder < 0) return null;
            shells[holder].Holes.Add(hole);
        }

        var polygons = shells.Select(s => factory.CreatePolygon(s.Ring, [.. s.Holes])).ToArray();
        // The rings were noded together, so they can only meet at nodes: proven apart here, else the caller overlays.
        if (!FastValidity.RingsAreDisjointAndSimple(polygons)) return null;
        return polygons.Length == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons);
    }
}
