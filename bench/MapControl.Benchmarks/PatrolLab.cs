using System.Diagnostics;
using MapControl.Core.Crs;
using MapControl.Core.Patrol;
using MapControl.Core.Spatial;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Union;

namespace MapControl.Benchmarks;

/// <summary>Union/difference strategies for the departments phase on the scale workload (bench only: patrol-lab [fixes]).</summary>
internal static class LineClip
{
    /// <summary>Chains of a lineal geometry's parts inside the envelope (Liang–Barsky per segment).</summary>
    public static IEnumerable<Geometry> Clip(Geometry g, Envelope e, GeometryFactory f)
    {
        if (e.Contains(g.EnvelopeInternal)) { yield return g; yield break; }
        if (g is Point p) { if (e.Contains(p.Coordinate)) yield return g; yield break; }
        var cs = ((LineString)g).Coordinates;
        var chain = new List<Coordinate>();
        for (var i = 0; i + 1 < cs.Length; i++)
        {
            double x0 = cs[i].X, y0 = cs[i].Y, x1 = cs[i + 1].X, y1 = cs[i + 1].Y;
            double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
            bool Edge(double pp, double q) { if (pp == 0) return q >= 0; var r = q / pp; if (pp < 0) { if (r > t1) return false; if (r > t0) t0 = r; } else { if (r < t0) return false; if (r < t1) t1 = r; } return true; }
            if (!(Edge(-dx, x0 - e.MinX) && Edge(dx, e.MaxX - x0) && Edge(-dy, y0 - e.MinY) && Edge(dy, e.MaxY - y0)))
            {
                if (chain.Count > 1) yield return f.CreateLineString(chain.ToArray());
                chain.Clear();
                continue;
            }
            var a = t0 == 0 ? cs[i] : new Coordinate(x0 + t0 * dx, y0 + t0 * dy);
            var b = t1 == 1 ? cs[i + 1] : new Coordinate(x0 + t1 * dx, y0 + t1 * dy);
            if (chain.Count == 0 || t0 > 0) { if (chain.Count > 1) yield return f.CreateLineString(chain.ToArray()); chain.Clear(); chain.Add(a); }
            chain.Add(b);
            if (t1 < 1) { if (chain.Count > 1) yield return f.CreateLineString(chain.ToArray()); chain.Clear(); }
        }
        if (chain.Count > 1) yield return f.CreateLineString(chain.ToArray());
    }
}

public static class PatrolLab
{
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    private static T Time<T>(string name, Func<T> f)
    {
        var c = Cpu();
        var w = Stopwatch.StartNew();
        var r = f();
        Console.WriteLine($"  {name}: {w.Elapsed.TotalMilliseconds:F0} ms wall, {Cpu() - c:F0} ms cpu");
        return r;
    }

    public static void Run(int fixes)
    {
        var data = PatrolScaleData.Create(fixes);
        var projection = MetricProjection.Dongying;
        var departments = data.Units.ToDictionary(u => u.Code, u => u.DepartmentCode);
        var built = TrackBuilder.BuildDetailed(data.Fixes, departments, new TrackOptions(), projection);
        var factory = NtsGeometryServices.Instance.CreateGeometryFactory(0);
        var codes = data.Jurisdictions.Keys.ToList();
        var juris = data.Jurisdictions.Values.Select(j => projection.Forward(j)).ToList();
        var piecesBy = new Dictionary<string, List<Geometry>>();
        foreach (var g in built.GroupBy(b => b.Track.DepartmentCode))
        {
            var dedup = new SegmentDeduplicator(5, factory);
            var list = new List<Geometry>();
            foreach (var t in g) list.AddRange(dedup.Add(TrackSimplifier.Simplify(t.Xs, t.Ys, t.Offset, t.Count, 5)));
            piecesBy[g.Key] = list;
        }

        var bp = new BufferParameters(8);
        for (var rep = 0; rep < 3; rep++)
        {
            var c0 = Cpu();
            var deptCov = piecesBy.ToDictionary(p => p.Key, p => BufferOp.Buffer(factory.BuildGeometry(p.Value), 300, bp));
            var tdb = Cpu() - c0;
            var polys = new List<(Polygon P, string D)>();
            foreach (var (d, g) in deptCov) foreach (var p in PolygonExtracter.GetPolygons(g)) polys.Add(((Polygon)p, d));
            var pidx = new STRtree<int>();
            for (var i = 0; i < polys.Count; i++) pidx.Insert(polys[i].P.EnvelopeInternal, i);
            pidx.Build();
            double tc = 0, tu = 0, td = 0, ta = 0, unc = 0, ownA = 0, tfl = 0, tsr = 0; long verts = 0; var failures = 0;
            for (var k = 0; k < juris.Count; k++)
            {
                var j = juris[k];
                var c1 = Cpu();
                var env = new Envelope(j.EnvelopeInternal); env.ExpandBy(1);
                var rect = factory.ToGeometry(env);
                var own = new List<Geometry>(); var parts = new List<Geometry>();
                foreach (var i in pidx.Query(env))
                {
                    var (p, d) = polys[i];
                    var c = env.Contains(p.EnvelopeInternal) ? p : OverlayNG.Overlay(p, rect, SpatialFunction.Intersection);
                    if (c.IsEmpty) continue;
                    parts.Add(c);
                    if (d == codes[k]) own.Add(c);
                }
                var c2 = Cpu(); tc += c2 - c1;
                var u = parts.Count == 0 ? null : PatrolCoverage.UnionAll(parts, factory);
                var c3 = Cpu(); tu += c3 - c2;
                var diff = u is null ? j : OverlayNGRobust.Overlay(j, u, SpatialFunction.Difference);
                unc += diff.Area; verts += u?.NumPoints ?? 0;
                var c4 = Cpu(); td += c4 - c3;
                if (u is not null)
                {
                    try { OverlayNG.Overlay(j, u, SpatialFunction.Difference); } catch (Exception) { failures++; }
                    var c5 = Cpu(); tfl += c5 - c4;
                    OverlayNG.Overlay(j, u, SpatialFunction.Difference, new PrecisionModel(1000));
                    var c6 = Cpu(); tsr += c6 - c5;
                    c4 = Cpu();
                }
                if (own.Count > 0 && own.Count < parts.Count) ownA += IntersectionArea.Of(j, factory.BuildGeometry(own));
                ta += Cpu() - c4;
            }
            Console.WriteLine($"dept BufferOp once + per J clipped union (serial cpu ms): dept buffers {tdb:F0}, clip {tc:F0}, union {tu:F0}, difference {td:F0}, own area {ta:F0}; uncovered {unc / 1e6:F3} km², own(where mixed) {ownA / 1e6:F3}, U_J vertices {verts}; floating-only difference {tfl:F0} ({failures} failures), snap-rounded 1 mm {tsr:F0}");
        }
        {
            var allPieces = piecesBy.SelectMany(p => p.Value.Select(g => (G: g, D: p.Key))).ToList();
            var pindex = new STRtree<int>();
            for (var i = 0; i < allPieces.Count; i++) pindex.Insert(allPieces[i].G.EnvelopeInternal, i);
            pindex.Build();
            for (var rep = 0; rep < 3; rep++)
            {
                double tq = 0, tb = 0, tbo = 0, td = 0, ta = 0, unc = 0, ownA = 0;
                long verts = 0;
                var cw = Stopwatch.StartNew();
                for (var k = 0; k < juris.Count; k++)
                {
                    var j = juris[k];
                    var c0 = Cpu();
                    var er = new Envelope(j.EnvelopeInternal); er.ExpandBy(301);
                    var own = new List<Geometry>(); var foreign = new List<Geometry>();
                    foreach (var i in pindex.Query(er))
                    {
                        var (g, d) = allPieces[i];
                        foreach (var c in LineClip.Clip(g, er, factory)) (d == codes[k] ? own : foreign).Add(c);
                    }
                    var c1 = Cpu(); tq += c1 - c0;
                    var all = own.Concat(foreign).ToList();
                    var u = all.Count == 0 ? null : BufferOp.Buffer(factory.BuildGeometry(all), 300, bp);
                    var c2 = Cpu(); tb += c2 - c1;
                    var ou = own.Count == 0 || foreign.Count == 0 ? null : BufferOp.Buffer(factory.BuildGeometry(own), 300, bp);
                    var c3 = Cpu(); tbo += c3 - c2;
                    var diff = u is null ? j : OverlayNGRobust.Overlay(j, u, SpatialFunction.Difference);
                    unc += diff.Area; verts += u?.NumPoints ?? 0;
                    var c4 = Cpu(); td += c4 - c3;
                    if (ou is not null) ownA += IntersectionArea.Of(j, ou);
                    ta += Cpu() - c4;
                }
                Console.WriteLine($"clip lines + BufferOp per J (serial cpu ms): query+clip {tq:F0}, buffer all {tb:F0}, buffer own {tbo:F0}, difference {td:F0}, own area {ta:F0}; total wall {cw.ElapsedMilliseconds}; uncovered {unc / 1e6:F3} km², own(where mixed) {ownA / 1e6:F3}, U_J vertices {verts}");
            }
        }
        {
            var chunkBuffers = new List<(Geometry G, string D)>();
            foreach (var (d, list) in piecesBy)
                foreach (var x in list)
                    foreach (var c in PatrolCoverage.Chunks(x, factory, 256)) chunkBuffers.Add((BufferOp.Buffer(c, 300, bp), d));
            var index = new STRtree<int>();
            for (var i = 0; i < chunkBuffers.Count; i++) index.Insert(chunkBuffers[i].G.EnvelopeInternal, i);
            index.Build();
            for (var rep = 0; rep < 2; rep++)
            {
                double tq = 0, to = 0, tf = 0, tn = 0, td = 0, ta = 0, tcl = 0, tcu = 0, tcd = 0;
                int nOwn = 0, nForeign = 0;
                for (var k = 0; k < juris.Count; k++)
                {
                    var j = juris[k];
                    var c0 = Cpu();
                    var prepared = PreparedGeometryFactory.Prepare(j);
                    var own = new List<Geometry>();
                    var foreign = new List<Geometry>();
                    foreach (var i in index.Query(j.EnvelopeInternal))
                        if (prepared.Intersects(chunkBuffers[i].G)) (chunkBuffers[i].D == codes[k] ? own : foreign).Add(chunkBuffers[i].G);
                    nOwn += own.Count; nForeign += foreign.Count;
                    var c1 = Cpu(); tq += c1 - c0;
                    var ou = own.Count == 0 ? null : PatrolCoverage.UnionAll(own, factory);
                    var c2 = Cpu(); to += c2 - c1;
                    var fu = foreign.Count == 0 ? null : PatrolCoverage.UnionAll(foreign, factory);
                    var c3 = Cpu(); tf += c3 - c2;
                    var near = ou is null ? fu : fu is null ? ou : PatrolCoverage.UnionAll([ou, fu], factory);
                    var c4 = Cpu(); tn += c4 - c3;
                    if (near is not null) OverlayNGRobust.Overlay(j, near, SpatialFunction.Difference);
                    var c5 = Cpu(); td += c5 - c4;
                    if (ou is not null && fu is not null) IntersectionArea.Of(j, ou);
                    var c6 = Cpu(); ta += c6 - c5;
                    // alternative: clip all near buffers to env(J) then one union
                    var env = new Envelope(j.EnvelopeInternal); env.ExpandBy(1);
                    var clip = factory.ToGeometry(env);
                    var clipped = own.Concat(foreign).Select(b => env.Contains(b.EnvelopeInternal) ? b : OverlayNG.Overlay(b, clip, SpatialFunction.Intersection)).ToList();
                    var c7 = Cpu(); tcl += c7 - c6;
                    var cu = clipped.Count == 0 ? null : PatrolCoverage.UnionAll(clipped, factory);
                    var c8 = Cpu(); tcu += c8 - c7;
                    if (cu is not null) OverlayNGRobust.Overlay(j, cu, SpatialFunction.Difference);
                    tcd += Cpu() - c8;
                }
                Console.WriteLine($"current per-J (serial cpu ms): query {tq:F0}, own union {to:F0}, foreign union {tf:F0}, near union {tn:F0}, difference {td:F0}, own area {ta:F0}; own/foreign buffers per J {nOwn / 200.0:F1}/{nForeign / 200.0:F1}");
                Console.WriteLine($"  clipped alternative: clip {tcl:F0}, union {tcu:F0}, difference {tcd:F0}");
            }
        }
        for (var rep = 0; rep < 2; rep++)
        {
            Console.WriteLine($"rep {rep}, load {File.ReadAllText("/proc/loadavg").Trim()}");
            var buffersBy = Time("buffer chunks (serial)", () => piecesBy.ToDictionary(p => p.Key,
                p => p.Value.SelectMany(x => PatrolCoverage.Chunks(x, factory, 256)).Select(c => BufferOp.Buffer(c, 300, bp)).ToList()));
            var deptUnion = Time("per-department union of chunk buffers (serial)", () => buffersBy.ToDictionary(p => p.Key,
                p => PatrolCoverage.UnionAll(p.Value, factory)));
            var deptBuffer = Time("per-department BufferOp of multiline (serial)", () => piecesBy.ToDictionary(p => p.Key,
                p => BufferOp.Buffer(factory.BuildGeometry(p.Value), 300, bp)));
            Console.WriteLine($"  areas: union {deptUnion.Values.Sum(g => g.Area) / 1e6:F3} km², buffer {deptBuffer.Values.Sum(g => g.Area) / 1e6:F3} km²; vertices {deptUnion.Values.Sum(g => g.NumPoints)} / {deptBuffer.Values.Sum(g => g.NumPoints)}");
            var all = Time("global cascaded union of dept unions (serial)", () => OverlayNGRobust.Union(factory.BuildGeometry(deptBuffer.Values.ToList())));
            Console.WriteLine($"  global: {all.NumGeometries} polygons, {all.NumPoints} vertices, {all.Area / 1e6:F3} km²");
            var allBuffer = Time("global BufferOp of all pieces (serial)", () => BufferOp.Buffer(factory.BuildGeometry(piecesBy.Values.SelectMany(v => v).ToList()), 300, bp));
            Console.WriteLine($"  global buffer: {allBuffer.Area / 1e6:F3} km²");

            var allParts = PolygonExtracter.GetPolygons(all).Cast<Polygon>().ToList();
            var idx = new STRtree<Polygon>();
            foreach (var p in allParts) idx.Insert(p.EnvelopeInternal, p);
            idx.Build();
            var unc1 = Time("per J difference with whole global union (serial)", () => juris.Select(j => OverlayNGRobust.Overlay(j, all, SpatialFunction.Difference).Area).Sum());
            var unc2 = Time("per J difference with env-near polygons of global union (serial)", () => juris.Select(j =>
            {
                var near = idx.Query(j.EnvelopeInternal);
                return OverlayNGRobust.Overlay(j, factory.BuildGeometry(near.Cast<Geometry>().ToList()), SpatialFunction.Difference).Area;
            }).Sum());
            var unc3 = Time("per J difference, near polygons rectangle-clipped (serial)", () => juris.Select(j =>
            {
                var env = new Envelope(j.EnvelopeInternal);
                env.ExpandBy(1);
                var clip = factory.ToGeometry(env);
                var near = idx.Query(j.EnvelopeInternal).Select(p => p.EnvelopeInternal.Intersects(env) ? (Geometry)p : null).Where(p => p != null).ToList();
                var clipped = near.Select(p => env.Contains(p!.EnvelopeInternal) ? p! : OverlayNG.Overlay(p!, clip, SpatialFunction.Intersection)).ToList();
                return OverlayNGRobust.Overlay(j, factory.BuildGeometry(clipped), SpatialFunction.Difference).Area;
            }).Sum());
            Console.WriteLine($"  uncovered {unc1 / 1e6:F3} / {unc2 / 1e6:F3} / {unc3 / 1e6:F3} km²");
            var own = Time("own area: IntersectionArea(J, dept union) (serial)", () => codes.Select((c, k) => deptBuffer.TryGetValue(c, out var u) ? IntersectionArea.Of(juris[k], u) : 0).Sum());
            Console.WriteLine($"  own {own / 1e6:F3} km²");
            var ownOv = Time("own area: overlay intersection (serial)", () => codes.Select((c, k) => deptBuffer.TryGetValue(c, out var u) ? OverlayNGRobust.Overlay(juris[k], u, SpatialFunction.Intersection).Area : 0).Sum());
            Console.WriteLine($"  own {ownOv / 1e6:F3} km²");
        }
    }
}

/// <summary>The patrol-days workload in memory (no database): daily tracks as ready tracks, Compute traced (patrol-days-lab units days).</summary>
public static class PatrolDaysLab
{
    public static void Run(int unitCount, int days, string methods = "vector")
    {
        var tracks = Tracks(unitCount, days, out var data);
        var projection = MapControl.Data.PostGis.GpsRetention.Projection;
        if (methods == "parts")
        {
            // The warm cache's input in memory: department-day parts as PatrolDayCache computes them, then the field on them.
            var partOptions = new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: projection);
            var groups = tracks.GroupBy(t => (t.DepartmentCode, Day: MapControl.Core.Hotspots.ChinaTime.DateOf(t.Start))).ToList();
            var parts = new PatrolDayPart[groups.Count];
            Parallel.For(0, groups.Count, i => parts[i] = PatrolCoverage.DayPart(groups[i].Key.DepartmentCode, groups[i].Key.Day, groups[i].ToList(), [], partOptions));
            Console.WriteLine($"{parts.Length} department-day parts; load {File.ReadAllText("/proc/loadavg").Trim()}");
            var fieldOptions = partOptions with { Trace = m => Console.WriteLine("  " + m), Method = PatrolCoverageMethod.Field };
            for (var rep = 0; rep < 3; rep++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var report = PatrolCoverage.Compute(new PatrolCoverageInput(data.Jurisdictions, [], data.Units, [], Parts: parts), fieldOptions);
                Console.WriteLine($"parts run {rep}: {clock.ElapsedMilliseconds} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU; mean ratio {report.Departments.Average(d => d.CoverageRatio):F6}, uncovered vertices {report.Departments.Sum(d => d.Uncovered.NumPoints):N0}, uncovered area {report.Departments.Sum(d => d.UncoveredAreaM2):F0}; load {File.ReadAllText("/proc/loadavg").Trim()}");
            }

            return;
        }

        Console.WriteLine($"{tracks.Count} daily tracks, {tracks.Sum(t => t.Geometry.NumPoints):N0} vertices; load {File.ReadAllText("/proc/loadavg").Trim()}");
        var reports = new List<(string Name, PatrolCoverageReport Report)>();
        foreach (var method in methods.Split(','))
        {
            var options = new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: projection, Trace: m => Console.WriteLine("  " + m))
            {
                Method = method.StartsWith("vector", StringComparison.Ordinal) ? PatrolCoverageMethod.Vector : PatrolCoverageMethod.Field,
            };
            if (method == "vector0") options = options with { RepeatToleranceM = 0 };
            for (var rep = 0; rep < (method == "field" ? 2 : 1); rep++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var report = PatrolCoverage.Compute(new PatrolCoverageInput(data.Jurisdictions, [], data.Units, [], Tracks: tracks), options);
                Console.WriteLine($"{method} run {rep}: {clock.ElapsedMilliseconds} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU; mean ratio {report.Departments.Average(d => d.CoverageRatio):F5}, mean neighbour share {report.Departments.Average(d => d.NeighbourShare):F5}, uncovered vertices {report.Departments.Sum(d => d.Uncovered.NumPoints):N0}");
                if (rep == 0) reports.Add((method, report));
            }
        }

        for (var i = 1; i < reports.Count; i++)
        {
            var pairs = reports[0].Report.Departments.Zip(reports[i].Report.Departments).ToList();
            var ratio = pairs.Select(p => p.Second.CoverageRatio - p.First.CoverageRatio).ToList();
            var own = pairs.Select(p => (p.Second.OwnCoveredAreaM2 - p.First.OwnCoveredAreaM2) / p.First.JurisdictionAreaM2).ToList();
            Console.WriteLine($"{reports[i].Name} − {reports[0].Name}: coverage ratio min {ratio.Min():F5} max {ratio.Max():F5} mean {ratio.Average():F6}; own area / |J| min {own.Min():F5} max {own.Max():F5}");
        }
    }

    /// <summary>The patrol-days daily tracks of <paramref name="unitCount"/> units over <paramref name="days"/> days (the database benchmark's generator).</summary>
    public static List<PatrolTrack> Tracks(int unitCount, int days, out PatrolScaleData data)
    {
        data = PatrolScaleData.Create(unitCount * PatrolScaleData.FixesPerUnit);
        var lonLat = new GeometryFactory(new PrecisionModel(), 4326);
        var projection = MapControl.Data.PostGis.GpsRetention.Projection;
        var random = new Random(30);
        var tracks = new List<PatrolTrack>();
        var first = new DateOnly(2026, 10, 1);
        (int dx, int dy)[] directions = [(1, 0), (0, 1), (-1, 0), (0, -1)];
        foreach (var unit in data.Units)
        {
            var env = projection.Forward(data.Jurisdictions[unit.DepartmentCode]).EnvelopeInternal;
            for (var d = 0; d < days; d++)
            {
                var start = MapControl.Core.Hotspots.ChinaTime.StartOf(first.AddDays(d)).AddHours(8);
                int ix = (int)Math.Round(env.Centre.X / 800), iy = (int)Math.Round(env.Centre.Y / 800), heading = random.Next(4);
                var coordinates = new List<Coordinate>();
                for (var k = 0; k <= 360; k++)
                {
                    var (lon, lat) = projection.Inverse(ix * 800 + random.NextDouble() * 4 - 2, iy * 800 + random.NextDouble() * 4 - 2);
                    coordinates.Add(new Coordinate(lon, lat));
                    int next, nx, ny, guard = 0;
                    do
                    {
                        next = random.Next(4);
                        nx = ix + directions[next].dx;
                        ny = iy + directions[next].dy;
                    }
                    while (++guard < 50 && (next == (heading + 2) % 4 || (!env.Contains(nx * 800, ny * 800) && random.NextDouble() > 0.05)));
                    (ix, iy, heading) = (nx, ny, next);
                }

                tracks.Add(new PatrolTrack(unit.Code, unit.DepartmentCode, start, start.AddHours(8), lonLat.CreateLineString([.. coordinates]), 28_800, 288_000, 5));
            }
        }

        return tracks;
    }
}

/// <summary>How much dropping repeat passes moves the coverage ratios (patrol-repeat-lab fixes): ρ = 5 m against ρ = 0.</summary>
public static class PatrolRepeatLab
{
    public static void Run(int fixes)
    {
        var data = PatrolScaleData.Create(fixes);
        var input = new PatrolCoverageInput(data.Jurisdictions, data.Fixes, data.Units, []);
        var options = new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: MetricProjection.Dongying);
        var with = PatrolCoverage.Compute(input, options).Departments;
        var without = PatrolCoverage.Compute(input, options with { RepeatToleranceM = 0 }).Departments;
        var diffs = with.Zip(without).Select(p => (p.First.DepartmentCode, D: p.First.CoverageRatio - p.Second.CoverageRatio)).OrderBy(p => p.D).ToList();
        Console.WriteLine($"ratio(ρ=5) − ratio(ρ=0): min {diffs[0].D:F5} ({diffs[0].DepartmentCode}), max {diffs[^1].D:F5} ({diffs[^1].DepartmentCode}), mean {diffs.Average(d => d.D):F6}");
    }
}
