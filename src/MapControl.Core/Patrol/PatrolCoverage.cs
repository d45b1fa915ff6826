using MapControl.Core.Crs;
using MapControl.Core.Model;
using MapControl.Core.Spatial;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Patrol;

/// <summary>
/// Patrol coverage over a time window (DESIGN §4): the union of buffers of radius r around tracks, per department
/// the covered share of the jurisdiction, the uncovered polygons, key wells visited, the share covered only by
/// neighbouring departments (部部联动), and the blank strips (空白带) along shared boundaries.
/// Tracks are simplified by a few metres, and repeated passes along the same road dropped, before buffering —
/// buffering raw jittery 1 Hz fixes is the whole cost (see <see cref="PatrolCoverageOptions.SimplifyToleranceM"/>).
/// Each department's kept pieces are buffered and unioned once, in spatially compact groups (its coverage C_d, with its day
/// parts); each jurisdiction J then clips the polygons of the C_d reaching into its envelope to that envelope and unions only
/// those, so J − C is one overlay with the coverage near J and neither buffering nor unions are repeated per neighbour; the own
/// share is an area computed without an overlay (<see cref="IntersectionArea"/>). The coverage of everyone as one geometry is
/// built only when the report's <see cref="PatrolCoverageReport.Coverage"/> is read or blank strips are wanted. Departments,
/// jurisdictions and units run in parallel. Phase timings: <see cref="PatrolCoverageOptions.Trace"/>; figures in docs/PERFORMANCE.md.
/// </summary>
public static class PatrolCoverage
{
    /// <summary>Computes the coverage report; geometries in lon/lat, areas and lengths in metres of a metric projection.</summary>
    public static PatrolCoverageReport Compute(PatrolCoverageInput input, PatrolCoverageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new PatrolCoverageOptions();
        if (!(options.RadiusM > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RadiusM, "RadiusM must be positive.");
        }

        return new Worker(input, options).Run();
    }

    /// <summary>
    /// One department-day's part (<see cref="PatrolDayPart"/>): its tracks simplified and de-repeated as <see cref="Compute"/>
    /// does, kept as lines, with the key wells they visit. <paramref name="options"/> must fix the projection, and a window
    /// computed from parts must use the same options. A window de-repeats its parts' lines again, across days, and buffers what
    /// is kept once, so its coverage is that of the same tracks computed at once (up to which of two repeat passes is kept).
    /// </summary>
    public static PatrolDayPart DayPart(string department, DateOnly day, IReadOnlyList<PatrolTrack> tracks, IReadOnlyList<KeyWell> keyWells,
        PatrolCoverageOptions options)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Projection is null) throw new ArgumentException("A day part needs a fixed projection (PatrolCoverageOptions.Projection).", nameof(options));
        var own = tracks.Select(t => t with { DepartmentCode = department }).ToList();
        var input = new PatrolCoverageInput(new Dictionary<string, Geometry>(), [], [], keyWells, Tracks: own);
        return new Worker(input, options).Part(department, day);
    }

    /// <summary>Lines longer than <paramref name="size"/> vertices cut into consecutive pieces sharing their end vertices.</summary>
    /// <remarks>A long jittery line's offset curves overlap everywhere and buffer noding grows quadratically; short pieces do not.</remarks>
    internal static IEnumerable<Geometry> Chunks(Geometry piece, GeometryFactory factory, int size = ChunkVertices)
    {
        if (piece is not LineString line || line.NumPoints <= size)
        {
            yield return piece;
            yield break;
        }

        var coordinates = line.Coordinates;
        for (var start = 0; start < coordinates.Length - 1; start += size - 1)
        {
            var end = Math.Min(start + size, coordinates.Length);
            yield return factory.CreateLineString(coordinates[start..end]);
        }
    }

    /// <summary>Maximum vertices per buffered piece of a raw (unsimplified) track.</summary>
    internal const int ChunkVertices = 16;

    /// <summary>Maximum vertices per buffered piece of a simplified track (no jitter left: longer pieces, fewer overlapping caps).</summary>
    internal const int SimplifiedChunkVertices = 256;

    /// <summary>Chunks of simplified tracks buffered together in one buffer operation (a spatially compact group).</summary>
    internal const int BufferGroup = 64;

    /// <summary>Metres by which a jurisdiction's envelope is widened before the coverage near it is clipped to it.</summary>
    private const double ClipMarginM = 1.0;

    /// <summary>
    /// Geometries packed into spatially compact groups of at most <paramref name="size"/> (sort-tile-recursive: vertical slices by
    /// envelope centre x, each sorted by y and cut into groups).
    /// </summary>
    internal static List<List<Geometry>> SpatialGroups(IReadOnlyList<Geometry> geometries, int size)
    {
        var groups = new List<List<Geometry>>();
        if (size <= 1)
        {
            groups.AddRange(geometries.Select(g => new List<Geometry> { g }));
            return groups;
        }

        var count = (geometries.Count + size - 1) / size;
        var slices = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(count)));
        var perSlice = slices * size;
        var byX = geometries.OrderBy(g => g.EnvelopeInternal.Centre.X).ToList();
        for (var start = 0; start < byX.Count; start += perSlice)
        {
            var slice = byX.Skip(start).Take(perSlice).OrderBy(g => g.EnvelopeInternal.Centre.Y).ToList();
            for (var k = 0; k < slice.Count; k += size)
            {
                groups.Add(slice.Skip(k).Take(size).ToList());
            }
        }

        return groups;
    }

    /// <summary>Polygonal union of many polygonal geometries: spatially sorted halves unioned in parallel (cascaded, robust), then joined.</summary>
    internal static Geometry UnionAll(IReadOnlyList<Geometry> polygons)
    {
        var factory = NtsGeometryServices.Instance.CreateGeometryFactory(MetricProjection.LocalSrid);
        if (polygons.Count < 64 || Environment.ProcessorCount < 2)
        {
            return UnionAll(polygons, factory);
        }

        var parts = Math.Min(Environment.ProcessorCount, 8);
        var sorted = polygons.OrderBy(p => p.EnvelopeInternal.Centre.X).ToArray();
        var unions = new Geometry[parts];
        Parallel.For(0, parts, k =>
        {
            var from = k * sorted.Length / parts;
            var to = (k + 1) * sorted.Length / parts;
            unions[k] = UnionAll(sorted[from..to], factory);
        });
        return UnionAll(unions, factory);
    }

    /// <summary>Polygonal union of a few polygonal geometries (robust).</summary>
    internal static Geometry UnionAll(IReadOnlyList<Geometry> polygons, GeometryFactory factory) =>
        polygons.Count switch
        {
            0 => factory.CreatePolygon(),
            1 => polygons[0],
            _ => OverlayNGRobust.Union((Geometry)factory.BuildGeometry(polygons)),
        };

    private sealed class Worker(PatrolCoverageInput input, PatrolCoverageOptions options)
    {
        private readonly GeometryFactory _metric = NtsGeometryServices.Instance.CreateGeometryFactory(MetricProjection.LocalSrid);
        private readonly List<PatrolProblem> _problems = [];
        private int _overlayDifferences;
        private long _differenceTicks, _ownTicks, _inverseTicks;
        private MetricProjection _projection = MetricProjection.Dongying;

        // Jurisdictions whose metric geometry is their lon/lat one projected vertex for vertex (not repaired or rebuilt).
        private readonly HashSet<string> _projectedAsIs = new(StringComparer.Ordinal);

        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan _cpu = options.Trace is null ? TimeSpan.Zero : System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        private long _allocated = options.Trace is null ? 0 : GC.GetTotalAllocatedBytes();

        private static double Seconds(long ticks) => (double)ticks / System.Diagnostics.Stopwatch.Frequency;

        private void Stage(Func<string> name)
        {
            if (options.Trace is { } trace)
            {
                var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                var allocated = GC.GetTotalAllocatedBytes();
                trace($"{name()}: {_clock.Elapsed.TotalSeconds:F2} s wall, {(cpu - _cpu).TotalSeconds:F2} s cpu, {(allocated - _allocated) / 1048576.0:F0} MB allocated");
                _allocated = allocated;
                _cpu = cpu;
            }

            _clock.Restart();
        }

        public PatrolDayPart Part(string department, DateOnly day)
        {
            _projection = options.Projection!;
            var ready = ProjectReadyTracks(new Dictionary<string, string>());
            var lines = SimplifiedPieces([], ready, []).SelectMany(p => p.Pieces).ToList();
            var visits = KeyWellVisits([], ready).Where(v => v.Visited).ToList();
            return new PatrolDayPart(department, day, lines, ready.Select(r => r.Track).ToList(), visits);
        }

        public PatrolCoverageReport Run()
        {
            var parts = input.Parts ?? [];
            if (parts.Count > 0 && options.Projection is null)
                throw new ArgumentException("Day parts need the projection they were computed in (PatrolCoverageOptions.Projection).", nameof(input));
            _projection = options.Projection ?? ChooseProjection();
            var jurisdictions = ProjectJurisdictions();
            Stage(() => $"jurisdictions ({jurisdictions.Count}, {jurisdictions.Values.Sum(j => j.NumPoints)} vertices)");
            var departments = TrackBuilder.DepartmentsOf(input.Units);

            var rules = options.TrackRules ?? new TrackOptions();
            rules = rules with { From = input.From ?? rules.From, To = input.To ?? rules.To };
            var built = TrackBuilder.BuildDetailed(input.Fixes, departments, rules, _projection);
            ReportUnknownUnits(built, departments);
            var ready = ProjectReadyTracks(departments);
            Stage(() => $"tracks ({built.Count} built from {input.Fixes.Count} fixes, {ready.Count} ready)");

            // Per department (key "" = units of no known department): tracks simplified, then segments repeating
            // already-kept ones within the tolerance dropped; departments are independent, so they run in parallel.
            // Long windows (LongWindowCoverage.Applies): every pass kept and measured by the field, no buffers.
            var field = LongWindowCoverage.Applies(input, options);
            var pieces = SimplifiedPieces(built, ready, parts, dedup: !field);
            Stage(() => $"simplify ({pieces.Sum(p => p.Pieces.Sum(g => g.NumPoints))} vertices kept; {parts.Count} day parts)");
            if (field) return LongWindow(jurisdictions, pieces, built, ready, parts);

            // Each department's kept pieces buffered and unioned once: its coverage C_d. Each jurisdiction then unions only the
            // polygons of the C_d that reach into its envelope, clipped to it.
            var covers = DepartmentCoverages(pieces);
            Stage(() => $"department coverages ({covers.Count} departments, {covers.Values.Sum(c => c.NumPoints)} vertices)");

            var allTracks = built.Select(t => t.Track).Concat(ready.Select(r => r.Track)).Concat(parts.SelectMany(p => p.Tracks)).ToList();
            var visits = MergeVisits(KeyWellVisits(built, ready), parts);
            Stage(() => "key wells");

            var records = DepartmentRecords(jurisdictions, covers, visits, allTracks);
            Stage(() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"jurisdictions (J − C cut and linked, {_overlayDifferences} by overlay: {Seconds(_differenceTicks):F2} s; own share {Seconds(_ownTicks):F2} s; back to lon/lat {Seconds(_inverseTicks):F2} s, summed over workers)"));

            // The coverage of everyone as one geometry is only built when asked for (the map layer, blank strips): the
            // department figures above never need it.
            var projection = _projection;
            var metricCoverage = new Lazy<Geometry>(() => UnionAll(covers.Values.ToList()));
            var coverage = new Lazy<(Geometry, double)>(() => (projection.Inverse(metricCoverage.Value), metricCoverage.Value.Area));
            IReadOnlyList<BlankStrip> strips = [];
            if (options.BlankStripWidthM > 0)
            {
                _ = metricCoverage.Value;
                Stage(() => $"union of all buffers ({metricCoverage.Value.NumPoints} vertices)");
                strips = BlankStrips.Compute(jurisdictions, metricCoverage.Value, options.BlankStripWidthM, options.NeighbourToleranceM,
                    options.MinSharedBoundaryM, options.QuadrantSegments, _projection);
                Stage(() => "blank strips");
            }

            return new PatrolCoverageReport(records, strips, allTracks, options.RadiusM, _problems, coverage);
        }

        /// <summary>The report of a long window by <see cref="LongWindowCoverage"/>; the coverage of everyone is buffered only when read.</summary>
        private PatrolCoverageReport LongWindow(SortedDictionary<string, Geometry> jurisdictions, List<DepartmentPieces> pieces,
            IReadOnlyList<BuiltTrack> built, List<(PatrolTrack Track, Geometry Metric)> ready, IReadOnlyList<PatrolDayPart> parts)
        {
            var allTracks = built.Select(t => t.Track).Concat(ready.Select(r => r.Track)).Concat(parts.SelectMany(p => p.Tracks)).ToList();
            var visits = MergeVisits(KeyWellVisits(built, ready), parts);
            var wells = input.KeyWells.Select(w => _projection.Forward(w.Location.X, w.Location.Y)).Select(p => new Coordinate(p.Item1, p.Item2)).ToArray();
            Stage(() => "key wells");
            var records = LongWindowCoverage.Records(jurisdictions, pieces.Select(p => (p.Department, p.Pieces)).ToList(), visits, wells, allTracks,
                options, _projection, _metric, options.Trace);
            Stage(() => "jurisdictions (coverage field)");
            var projection = _projection;
            var metricCoverage = new Lazy<Geometry>(() => UnionAll(DepartmentCoverages(pieces).Values.ToList()));
            var coverage = new Lazy<(Geometry, double)>(() => (projection.Inverse(metricCoverage.Value), metricCoverage.Value.Area));
            IReadOnlyList<BlankStrip> strips = options.BlankStripWidthM > 0
                ? BlankStrips.Compute(jurisdictions, metricCoverage.Value, options.BlankStripWidthM, options.NeighbourToleranceM,
                    options.MinSharedBoundaryM, options.QuadrantSegments, _projection)
                : [];
            return new PatrolCoverageReport(records, strips, allTracks, options.RadiusM, _problems, coverage);
        }

        /// <summary>The buffered pieces of one department (a class: lists and LINQ over it run precompiled, a struct's would be JIT-compiled).</summary>
        private sealed record DepartmentPieces(string Department, List<Geometry> Pieces);

        private List<DepartmentPieces> SimplifiedPieces(IReadOnlyList<BuiltTrack> built, List<(PatrolTrack Track, Geometry Metric)> ready,
            IReadOnlyList<PatrolDayPart> parts, bool dedup = true)
        {
            var codes = new SortedSet<string>(StringComparer.Ordinal);
            codes.UnionWith(built.Select(t => t.Track.DepartmentCode));
            codes.UnionWith(ready.Select(r => r.Track.DepartmentCode));
            codes.UnionWith(parts.Select(p => p.Department));
            var builtBy = built.ToLookup(t => t.Track.DepartmentCode, StringComparer.Ordinal);
            var readyBy = ready.ToLookup(r => r.Track.DepartmentCode, StringComparer.Ordinal);
            var partsBy = parts.OrderBy(p => p.Day).ToLookup(p => p.Department, StringComparer.Ordinal);
            var result = codes.Select(c => new DepartmentPieces(c, [])).ToList();
            Parallel.For(0, result.Count, d =>
            {
                var code = result[d].Department;
                var lines = new List<Coordinate[]>();
                // The day parts' lines are simplified and de-repeated within their day already: here they are de-repeated across
                // days (and against the raw tracks), in day order.
                foreach (var part in partsBy[code])
                {
                    lines.AddRange(part.Lines.Select(l => l.Coordinates));
                }

                foreach (var track in builtBy[code])
                {
                    lines.Add(TrackSimplifier.Simplify(track.Xs, track.Ys, track.Offset, track.Count, options.SimplifyToleranceM));
                }

                foreach (var (track, metric) in readyBy[code])
                {
                    // A daily track is already simplified by the same rule: simplifying it again would move it further.
                    lines.AddRange(SimplifiedLines(metric, track.SimplifiedM >= options.SimplifyToleranceM ? 0 : options.SimplifyToleranceM));
                }

                result[d].Pieces.AddRange(Deduplicate(lines, dedup));
            });
            return result;
        }

        /// <summary>
        /// The union of the r-buffers of one department's pieces: pieces cut into chunks (<see cref="Chunks"/>), chunks packed into
        /// spatially compact groups of at most <see cref="BufferGroup"/> (one buffer operation nodes a group's offset curves at once,
        /// cheaper than buffering each and unioning), the group buffers then unioned (cascaded).
        /// </summary>
        private Geometry BufferUnion(List<Geometry> pieces)
        {
            var simplified = options.SimplifyToleranceM > 0;
            var chunks = pieces.SelectMany(p => Chunks(p, _metric, simplified ? SimplifiedChunkVertices : ChunkVertices)).ToList();
            if (chunks.Count == 0) return _metric.CreatePolygon();
            var parameters = new BufferParameters(options.QuadrantSegments);
            // Raw jittery chunks are buffered one by one (their offset curves overlap everywhere).
            var groups = SpatialGroups(chunks, simplified ? BufferGroup : 1);
            var buffers = groups.Select(g => BufferOp.Buffer(g.Count == 1 ? g[0] : _metric.BuildGeometry(g), options.RadiusM, parameters))
                .Where(b => !b.IsEmpty).ToList();
            return UnionAll(buffers, _metric);
        }

        /// <summary>Every department's coverage C_d (the union of its pieces' buffers); departments in parallel.</summary>
        private Dictionary<string, Geometry> DepartmentCoverages(List<DepartmentPieces> pieces)
        {
            var result = new Geometry[pieces.Count];
            Parallel.For(0, pieces.Count, d =>
            {
                var union = BufferUnion(pieces[d].Pieces);
                _ = union.EnvelopeInternal;
                result[d] = union;
            });
            var map = new Dictionary<string, Geometry>(StringComparer.Ordinal);
            for (var d = 0; d < pieces.Count; d++)
            {
                if (!result[d].IsEmpty) map[pieces[d].Department] = result[d];
            }

            return map;
        }

        /// <summary>
        /// One record per jurisdiction J, in parallel: the polygons of the department coverages that reach into J's envelope are
        /// clipped to it and unioned, so J − C is one overlay of J with the coverage near it; covered = |J| − |J − C|; the own
        /// area is that of J ∩ C_own (computed without an overlay) only where other departments' coverage also reaches in.
        /// </summary>
        private List<DepartmentCoverage> DepartmentRecords(SortedDictionary<string, Geometry> jurisdictions, Dictionary<string, Geometry> covers,
            KeyWellVisit[] visits, List<PatrolTrack> tracks)
        {
            var polygons = new List<(Geometry Polygon, string Department)>();
            foreach (var (department, cover) in covers)
            {
                polygons.AddRange(PolygonExtracter.GetPolygons(cover).Where(p => !p.IsEmpty).Select(p => (p, department)));
            }

            var index = new STRtree<int>();
            for (var i = 0; i < polygons.Count; i++)
            {
                index.Insert(polygons[i].Polygon.EnvelopeInternal, i);
            }

            index.Build();
            var wells = new Coordinate[visits.Length];
            for (var i = 0; i < visits.Length; i++)
            {
                var (x, y) = _projection.Forward(input.KeyWells[i].Location.X, input.KeyWells[i].Location.Y);
                wells[i] = new Coordinate(x, y);
            }

            var ownTracks = tracks.ToLookup(t => t.DepartmentCode, StringComparer.Ordinal);
            var entries = jurisdictions.ToArray();
            var records = new DepartmentCoverage[entries.Length];
            Parallel.For(0, entries.Length, _projection.CreateInverseTransform, (j, _, inverse) =>
            {
                var (department, jurisdiction) = entries[j];
                records[j] = DepartmentRecord(department, jurisdiction, polygons, index, wells, visits, ownTracks[department], inverse);
                return inverse;
            }, _ => { });
            return [.. records];
        }

        private MetricProjection ChooseProjection()
        {
            var envelope = new Envelope();
            foreach (var geometry in input.Jurisdictions.Values)
            {
                envelope.ExpandToInclude(geometry.EnvelopeInternal);
            }

            if (envelope.IsNull)
            {
                foreach (var fix in input.Fixes)
                {
                    envelope.ExpandToInclude(fix.Lon, fix.Lat);
                }
            }

            return MetricProjection.CentredOn(envelope);
        }

        private SortedDictionary<string, Geometry> ProjectJurisdictions()
        {
            // Jurisdictions are independent: projected, checked and repaired in parallel, each worker with its own transform.
            var entries = input.Jurisdictions.ToArray();
            var metrics = new Geometry[entries.Length];
            var repaired = new bool[entries.Length];
            var rebuilt = new bool[entries.Length];
            Parallel.For(0, entries.Length, _projection.CreateForwardTransform, (k, state, forward) =>
            {
                var metric = MetricProjection.Forward(entries[k].Value, forward);
                // NTS validity, proven in one pass for the common valid polygon (FastValidity), else by NTS IsValid.
                if (!FastValidity.IsCertainlyValid(metric) && !metric.IsValid)
                {
                    metric = GeometryFixer.Fix(metric);
                    repaired[k] = true;
                }

                var polygons = PolygonExtracter.GetPolygons(metric);
                if (polygons.Count != metric.NumGeometries || metric is not IPolygonal)
                {
                    metric = _metric.BuildGeometry(polygons);
                    metric = polygons.Count > 1 ? OverlayNGRobust.Union(metric) : metric;
                    rebuilt[k] = true;
                }

                _ = metric.EnvelopeInternal;
                metrics[k] = metric;
                return forward;
            }, _ => { });

            var result = new SortedDictionary<string, Geometry>(StringComparer.Ordinal);
            for (var k = 0; k < entries.Length; k++)
            {
                result[entries[k].Key] = metrics[k];
            }

            foreach (var department in result.Keys)
            {
                var k = Array.FindIndex(entries, e => e.Key == department);
                if (!repaired[k] && !rebuilt[k]) _projectedAsIs.Add(department);
                if (repaired[k])
                {
                    _problems.Add(new PatrolProblem("invalid_jurisdiction", $"Jurisdiction of {department} was invalid and has been repaired."));
                }
            }

            return result;
        }

        private void ReportUnknownUnits(IReadOnlyList<BuiltTrack> built, Dictionary<string, string> departments)
        {
            if (departments.Count == 0)
            {
                return;
            }

            var unknown = built.Select(t => t.Track.UnitCode).Where(u => !departments.ContainsKey(u)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                _problems.Add(new PatrolProblem("unknown_unit",
                    $"{unknown.Count} unit(s) not in the unit list count for no department: {string.Join(", ", unknown.Take(10))}."));
            }
        }

        private List<(PatrolTrack Track, Geometry Metric)> ProjectReadyTracks(Dictionary<string, string> departments)
        {
            var tracks = (input.Tracks ?? []).Where(t => !t.Geometry.IsEmpty).ToArray();
            var result = new (PatrolTrack, Geometry)[tracks.Length];
            // Tracks are independent: projected in parallel, each worker with its own transform; the order is kept.
            Parallel.For(0, tracks.Length, _projection.CreateForwardTransform, (i, state, forward) =>
            {
                var track = tracks[i];
                var resolved = track.DepartmentCode.Length == 0 && departments.TryGetValue(track.UnitCode, out var d)
                    ? track with { DepartmentCode = d }
                    : track;
                result[i] = (resolved, MetricProjection.Forward(track.Geometry, forward));
                return forward;
            }, _ => { });
            return [.. result];
        }

        private List<Geometry> Deduplicate(List<Coordinate[]> lines, bool repeats = true)
        {
            var pieces = new List<Geometry>();
            var dedup = repeats && options.RepeatToleranceM > 0 ? new SegmentDeduplicator(options.RepeatToleranceM, _metric) : null;
            foreach (var line in lines)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.All(c => c.Equals2D(line[0])))
                {
                    pieces.Add(_metric.CreatePoint(line[0]));
                }
                else if (dedup is null)
                {
                    pieces.Add(_metric.CreateLineString(line));
                }
                else
                {
                    pieces.AddRange(dedup.Add(line));
                }
            }

            return pieces;
        }

        private static IEnumerable<Coordinate[]> SimplifiedLines(Geometry metric, double tolerance)
        {
            foreach (var point in PointExtracter.GetPoints(metric))
            {
                yield return [point.Coordinate];
            }

            foreach (var line in LinearComponentExtracter.GetLines(metric))
            {
                var seq = ((LineString)line).CoordinateSequence;
                var xs = new double[seq.Count];
                var ys = new double[seq.Count];
                for (var i = 0; i < seq.Count; i++)
                {
                    xs[i] = seq.GetX(i);
                    ys[i] = seq.GetY(i);
                }

                if (xs.Length > 0)
                {
                    yield return TrackSimplifier.Simplify(xs, ys, 0, xs.Length, tolerance);
                }
            }
        }

        private KeyWellVisit[] KeyWellVisits(IReadOnlyList<BuiltTrack> built, List<(PatrolTrack Track, Geometry Metric)> ready)
        {
            var wells = input.KeyWells;
            var visits = new KeyWellVisit[wells.Count];
            if (wells.Count == 0)
            {
                return visits;
            }

            var r = options.RadiusM;
            var r2 = r * r;
            var wx = new double[wells.Count];
            var wy = new double[wells.Count];
            var last = new DateTimeOffset?[wells.Count];
            var lastUnit = new string?[wells.Count];
            var lastDepartment = new string?[wells.Count];
            var counts = new int[wells.Count];

            // Wells hashed into square buckets of side r: a fix can only reach wells in its own and the 8 adjacent buckets.
            var buckets = new Dictionary<(long, long), List<int>>();
            for (var i = 0; i < wells.Count; i++)
            {
                (wx[i], wy[i]) = _projection.Forward(wells[i].Location.X, wells[i].Location.Y);
                var key = ((long)Math.Floor(wx[i] / r), (long)Math.Floor(wy[i] / r));
                if (!buckets.TryGetValue(key, out var list))
                {
                    list = [];
                    buckets.Add(key, list);
                }

                list.Add(i);
            }

            foreach (var track in built)
            {
                for (var k = track.Offset; k < track.Offset + track.Count; k++)
                {
                    double x = track.Xs[k], y = track.Ys[k];
                    long bx = (long)Math.Floor(x / r), by = (long)Math.Floor(y / r);
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        for (var dy = -1; dy <= 1; dy++)
                        {
                            if (!buckets.TryGetValue((bx + dx, by + dy), out var list))
                            {
                                continue;
                            }

                            foreach (var i in list)
                            {
                                var ex = x - wx[i];
                                var ey = y - wy[i];
                                if (ex * ex + ey * ey > r2)
                                {
                                    continue;
                                }

                                counts[i]++;
                                var time = track.Fixes[k].Time;
                                if (last[i] is null || time > last[i])
                                {
                                    last[i] = time;
                                    lastUnit[i] = track.Track.UnitCode;
                                    lastDepartment[i] = track.Track.DepartmentCode;
                                }
                            }
                        }
                    }
                }
            }

            if (ready.Count > 0)
            {
                var index = new STRtree<int>();
                for (var t = 0; t < ready.Count; t++)
                {
                    var envelope = new Envelope(ready[t].Metric.EnvelopeInternal);
                    envelope.ExpandBy(r);
                    index.Insert(envelope, t);
                }

                for (var i = 0; i < wells.Count; i++)
                {
                    var point = _metric.CreatePoint(new Coordinate(wx[i], wy[i]));
                    foreach (var t in index.Query(point.EnvelopeInternal))
                    {
                        var (track, metric) = ready[t];
                        if (!metric.IsWithinDistance(point, r))
                        {
                            continue;
                        }

                        counts[i]++;
                        if (last[i] is null || track.End > last[i])
                        {
                            last[i] = track.End;
                            lastUnit[i] = track.UnitCode;
                            lastDepartment[i] = track.DepartmentCode;
                        }
                    }
                }
            }

            for (var i = 0; i < wells.Count; i++)
            {
                visits[i] = new KeyWellVisit(wells[i].Code, wells[i].Location, counts[i] > 0, last[i], lastUnit[i], lastDepartment[i], counts[i]);
            }

            return visits;
        }

        // Key-well visits of the parts added to those of the tracks: counts summed, the latest visit kept.
        private KeyWellVisit[] MergeVisits(KeyWellVisit[] visits, IReadOnlyList<PatrolDayPart> parts)
        {
            if (parts.Count == 0) return visits;
            var at = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < visits.Length; i++) at.TryAdd(visits[i].Code, i);
            foreach (var visit in parts.SelectMany(p => p.Visits))
            {
                if (!visit.Visited || !at.TryGetValue(visit.Code, out var i)) continue;
                var v = visits[i];
                var later = v.LastVisit is null || visit.LastVisit > v.LastVisit;
                visits[i] = v with
                {
                    Visited = true,
                    VisitFixCount = v.VisitFixCount + visit.VisitFixCount,
                    LastVisit = later ? visit.LastVisit : v.LastVisit,
                    UnitCode = later ? visit.UnitCode : v.UnitCode,
                    DepartmentCode = later ? visit.DepartmentCode : v.DepartmentCode,
                };
            }
            return visits;
        }

        /// <summary>
        /// The polygon with only the holes whose envelope meets the box: the same within the box, and a long window's coverage
        /// (one polygon with a hole per road-grid block) is not clipped whole for every jurisdiction it reaches.
        /// </summary>
        private Polygon HolesMeeting(Polygon polygon, Envelope box)
        {
            if (polygon.NumInteriorRings == 0)
            {
                return polygon;
            }

            var holes = polygon.Holes.Where(h => h.EnvelopeInternal.Intersects(box)).ToArray();
            return holes.Length == polygon.NumInteriorRings ? polygon : _metric.CreatePolygon(polygon.Shell, holes);
        }

        /// <summary>J − C for C strictly inside a hole-free J: C's outer rings become J's holes, C's holes islands of their own.</summary>
        private Geometry Punch(Polygon jurisdiction, Geometry coverage)
        {
            var parts = PolygonExtracter.GetPolygons(coverage).Cast<Polygon>().ToList();
            var result = new List<Polygon> { _metric.CreatePolygon(jurisdiction.Shell, parts.Select(p => p.Shell).ToArray()) };
            result.AddRange(parts.SelectMany(p => p.Holes).Select(h => _metric.CreatePolygon(h)));
            return result.Count == 1 ? result[0] : _metric.CreateMultiPolygon([.. result]);
        }

        // Adds the time since the stamp to a per-step total (summed over the parallel workers, for the trace); returns a new stamp.
        private static long Lap(ref long total, long stamp)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            Interlocked.Add(ref total, now - stamp);
            return now;
        }

        /// <summary>J − C by overlay: the coverages clipped to the box, those of different departments unioned, then one difference.</summary>
        private Geometry OverlayDifference(Geometry jurisdiction, IPreparedGeometry prepared, IEnumerable<Geometry> covers, Envelope box)
        {
            Geometry? boxGeometry = null;
            var clippedCovers = new List<Geometry>();
            foreach (var cover in covers)
            {
                var pieces = new List<Geometry>();
                foreach (var polygon in PolygonExtracter.GetPolygons(cover))
                {
                    var clipped = box.Contains(polygon.EnvelopeInternal) ? polygon
                        : OverlayNGRobust.Overlay(polygon, boxGeometry ??= _metric.ToGeometry(box), SpatialFunction.Intersection);
                    pieces.AddRange(PolygonExtracter.GetPolygons(clipped).Where(p => !p.IsEmpty));
                }

                if (pieces.Count > 0) clippedCovers.Add(pieces.Count == 1 ? pieces[0] : _metric.BuildGeometry(pieces));
            }

            var coverage = clippedCovers.Count == 0 ? null : clippedCovers.Count == 1 ? clippedCovers[0] : UnionAll(clippedCovers, _metric);
            return coverage is null ? jurisdiction
                : jurisdiction is Polygon { NumInteriorRings: 0 } simple && prepared.ContainsProperly(coverage) ? Punch(simple, coverage)
                : OverlayNGRobust.Overlay(jurisdiction, coverage, SpatialFunction.Difference);
        }

        /// <summary>J's metric vertices → the lon/lat positions they were projected from; null when J was repaired or rebuilt.</summary>
        private VertexMap? KnownVertices(string department, Geometry jurisdiction)
        {
            if (!_projectedAsIs.Contains(department) || !input.Jurisdictions.TryGetValue(department, out var lonLat)) return null;
            return VertexMap.Of(jurisdiction, lonLat);
        }

        private DepartmentCoverage DepartmentRecord(string department, Geometry jurisdiction, List<(Geometry Polygon, string Department)> covers,
            STRtree<int> index, Coordinate[] wellPoints, KeyWellVisit[] visits, IEnumerable<PatrolTrack> ownTracks,
            ProjNet.CoordinateSystems.Transformations.MathTransform inverse)
        {
            var area = jurisdiction.Area;
            var envelope = jurisdiction.EnvelopeInternal;
            var prepared = PreparedGeometryFactory.Prepare(jurisdiction);
            // The clip box: J's envelope widened by a metre, so that no clipped edge runs along J's boundary.
            var box = new Envelope(envelope);
            box.ExpandBy(ClipMarginM);
            var byOwner = new Dictionary<string, List<Polygon>>(StringComparer.Ordinal);
            foreach (var i in index.Query(box))
            {
                var (polygon, owner) = covers[i];
                if (!polygon.EnvelopeInternal.Intersects(box))
                {
                    continue;
                }

                if (!byOwner.TryGetValue(owner, out var list))
                {
                    byOwner.Add(owner, list = []);
                }

                list.Add(HolesMeeting((Polygon)polygon, box));
            }

            // The polygons of one department's coverage are disjoint: they form a valid MultiPolygon, and only the coverages of
            // different departments overlap. J − C by cutting and linking the boundaries (CoverageDifference); where that is not
            // certain, by clipping the coverages to the box, a union and an overlay.
            // Plain loops, not LINQ over value tuples: generic code over value types is not precompiled (ReadyToRun), and a
            // one-shot run would execute it unoptimised (tier 0) for every jurisdiction.
            var owners = new string[byOwner.Count];
            byOwner.Keys.CopyTo(owners, 0);
            Array.Sort(owners, StringComparer.Ordinal);
            var nearCovers = new List<Geometry>(owners.Length);
            var ownIndex = -1;
            foreach (var owner in owners)
            {
                var list = byOwner[owner];
                if (owner == department) ownIndex = nearCovers.Count;
                nearCovers.Add(list.Count == 1 ? list[0] : _metric.CreateMultiPolygon([.. list]));
            }

            var ownCover = ownIndex >= 0 ? nearCovers[ownIndex] : null;
            var stamp = System.Diagnostics.Stopwatch.GetTimestamp();
            var cutOwnArea = 0.0;
            var uncovered = nearCovers.Count == 0 ? jurisdiction
                : options.OverlayOnly ? null : CoverageDifference.Compute(jurisdiction, nearCovers, ownIndex, _metric, out cutOwnArea);
            var cut = uncovered is not null;
            if (uncovered is null)
            {
                Interlocked.Increment(ref _overlayDifferences);
                uncovered = OverlayDifference(jurisdiction, prepared, nearCovers, box);
            }

            // |J − C| as the sum of its parts' areas, in order (what Geometry.Area sums), each part's area kept for the list below.
            var metricParts = PolygonExtracter.GetPolygons(uncovered);
            var partAreas = new double[metricParts.Count];
            var uncoveredArea = 0.0;
            for (var k = 0; k < partAreas.Length; k++)
            {
                partAreas[k] = metricParts[k].Area;
                uncoveredArea += partAreas[k];
            }
            var coveredArea = Math.Max(0.0, area - uncoveredArea);
            stamp = Lap(ref _differenceTicks, stamp);
            // The own share: from the same cut pieces, else without an overlay (IntersectionArea); all of it when only the
            // department's own coverage reaches in.
            var ownArea = ownCover is null ? 0.0 : nearCovers.Count == 1 ? coveredArea : cut ? cutOwnArea : IntersectionArea.Of(jurisdiction, ownCover);
            stamp = Lap(ref _ownTicks, stamp);
            ownArea = Math.Min(ownArea, coveredArea);
            var neighbourOnly = coveredArea - ownArea;

            // J − C projected back once; its parts are the uncovered polygons (the same parts, in the same order, as the metric ones).
            // J untouched (no coverage reaches into it) and projected vertex for vertex: its lon/lat geometry as given.
            var uncoveredLonLat = ReferenceEquals(uncovered, jurisdiction) && _projectedAsIs.Contains(department)
                    && input.Jurisdictions.TryGetValue(department, out var given) ? given
                : !uncovered.IsEmpty && KnownVertices(department, jurisdiction) is { } known
                    ? MetricProjection.Inverse(uncovered, inverse, known)
                    : MetricProjection.Inverse(uncovered, inverse);
            var lonLatParts = PolygonExtracter.GetPolygons(uncoveredLonLat);
            // Largest first; equal areas in part order (a stable sort).
            var order = new List<int>(partAreas.Length);
            for (var k = 0; k < partAreas.Length; k++)
            {
                if (partAreas[k] >= options.MinPolygonAreaM2) order.Add(k);
            }

            order.Sort((a, b) => partAreas[a] != partAreas[b] ? partAreas[b].CompareTo(partAreas[a]) : a.CompareTo(b));
            var polygons = new List<UncoveredPolygon>(order.Count);
            foreach (var k in order) polygons.Add(new UncoveredPolygon((Polygon)lonLatParts[k], partAreas[k]));
            Lap(ref _inverseTicks, stamp);

            var wells = new List<KeyWellVisit>();
            for (var i = 0; i < visits.Length; i++)
            {
                if (envelope.Covers(wellPoints[i]) && prepared.Covers(_metric.CreatePoint(wellPoints[i])))
                {
                    wells.Add(visits[i]);
                }
            }

            var tracks = ownTracks.ToList();
            return new DepartmentCoverage(
                department,
                area,
                coveredArea,
                uncoveredArea,
                area > 0 ? coveredArea / area : 0.0,
                ownArea,
                neighbourOnly,
                coveredArea > 0 ? neighbourOnly / coveredArea : 0.0,
                uncoveredLonLat,
                polygons,
                wells,
                tracks.Count,
                tracks.Sum(t => t.LengthM));
        }
    }
}
