using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Union;

namespace MapControl.Core.Patrol;

/// <summary>How <see cref="PatrolCoverage"/> measures coverage.</summary>
public enum PatrolCoverageMethod
{
    /// <summary>By the rule of <see cref="LongWindowCoverage.Applies"/>: long windows by the field, the rest by buffers.</summary>
    Auto,

    /// <summary>Buffer union and overlay (repeat passes dropped within ρ): exact to the buffer's polygonisation.</summary>
    Vector,

    /// <summary>Subdivision with distance bounds (<see cref="CoverageField"/>): every pass kept, no buffers.</summary>
    Field,
}

/// <summary>
/// Patrol coverage of long windows (docs/DEFINITIONS.md "Patrol coverage of long windows"). This file holds the rule that
/// chooses the method (<see cref="Applies"/>) and the department records computed by <see cref="CoverageField"/>: the tracks'
/// simplified lines (repeat passes kept: the field pays nothing for them), each jurisdiction measured in parallel, covered and own
/// areas from one subdivision; the uncovered parts for display are the subdivision's uncovered cells merged, drawn at
/// <see cref="DisplayCellM"/>.
/// </summary>
public static class LongWindowCoverage
{
    /// <summary>Windows at least this long are measured by the field (a 7-day window, even one tick longer, is not).</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromDays(8);

    /// <summary>Side of the cells of the uncovered geometry drawn for long windows, metres (the areas use 8 m leaves).</summary>
    public const double DisplayCellM = 128.0;

    private const double SliverM2 = 0.01;

    /// <summary>
    /// The rule: the field measures a window of at least <see cref="MinWindow"/> (From and To both set), or whenever
    /// <see cref="PatrolCoverageOptions.Method"/> says so; otherwise buffers.
    /// </summary>
    public static bool Applies(PatrolCoverageInput input, PatrolCoverageOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        return options.Method switch
        {
            PatrolCoverageMethod.Field => true,
            PatrolCoverageMethod.Vector => false,
            _ => input.From is { } from && input.To is { } to && to - from >= MinWindow,
        };
    }

    /// <summary>
    /// One record per jurisdiction (metric, in department order) from the departments' simplified lines; <paramref name="wellPoints"/>
    /// are the key wells projected, aligned with <paramref name="visits"/>.
    /// </summary>
    internal static List<DepartmentCoverage> Records(SortedDictionary<string, Geometry> jurisdictions, IReadOnlyList<(string Department, List<Geometry> Pieces)> pieces,
        KeyWellVisit[] visits, Coordinate[] wellPoints, IReadOnlyList<PatrolTrack> tracks, PatrolCoverageOptions options, MetricProjection projection, GeometryFactory metric,
        Action<string>? trace = null)
    {
        var codes = jurisdictions.Keys.ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < codes.Count; i++) index[codes[i]] = i;
        var lines = new List<(Coordinate[] Line, int Owner)>();
        foreach (var (department, geometries) in pieces)
        {
            var owner = index.TryGetValue(department, out var o) && department.Length > 0 ? o : -1;
            foreach (var geometry in geometries)
            {
                for (var g = 0; g < geometry.NumGeometries; g++)
                {
                    var part = geometry.GetGeometryN(g);
                    if (part is LineString or Point && !part.IsEmpty) lines.Add((part.Coordinates, owner));
                }
            }
        }

        var built = System.Diagnostics.Stopwatch.GetTimestamp();
        var field = new CoverageField(lines, options.RadiusM);
        trace?.Invoke(FormattableString.Invariant($"field: {field.Count} segments of {lines.Count} lines, built in {System.Diagnostics.Stopwatch.GetElapsedTime(built).TotalSeconds:F2} s"));
        var ownTracks = tracks.ToLookup(t => t.DepartmentCode, StringComparer.Ordinal);
        var records = new DepartmentCoverage[codes.Count];
        long measureTicks = 0, mergeTicks = 0, restTicks = 0, cellCount = 0;
        // At most one worker per core: long work items would otherwise make the pool add threads that only contend.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, codes.Count, parallel, projection.CreateInverseTransform, (j, _, inverse) =>
        {
            var department = codes[j];
            var jurisdiction = jurisdictions[department];
            var cells = new List<double[]>();
            var stamp = System.Diagnostics.Stopwatch.GetTimestamp();
            var areas = field.Measure(jurisdiction, j, cells, DisplayCellM);
            Interlocked.Add(ref measureTicks, System.Diagnostics.Stopwatch.GetTimestamp() - stamp);
            Interlocked.Add(ref cellCount, cells.Count);
            var area = jurisdiction.Area;
            var covered = Math.Clamp(areas.Covered, 0, area);
            var own = Math.Clamp(areas.Own, 0, covered);
            stamp = System.Diagnostics.Stopwatch.GetTimestamp();
            var uncoveredMetric = Merge(cells, jurisdiction, metric, field.Grid(jurisdiction));
            Interlocked.Add(ref mergeTicks, System.Diagnostics.Stopwatch.GetTimestamp() - stamp);
            stamp = System.Diagnostics.Stopwatch.GetTimestamp();
            var uncoveredLonLat = MetricProjection.Inverse(uncoveredMetric, inverse);
            var lonLatParts = NetTopologySuite.Geometries.Utilities.PolygonExtracter.GetPolygons(uncoveredLonLat);
            var polygons = NetTopologySuite.Geometries.Utilities.PolygonExtracter.GetPolygons(uncoveredMetric)
                .Select((p, k) => (Index: k, Area: p.Area))
                .Where(p => p.Area >= options.MinPolygonAreaM2)
                .OrderByDescending(p => p.Area)
                .Select(p => new UncoveredPolygon((Polygon)lonLatParts[p.Index], p.Area))
                .ToList();
            var prepared = PreparedGeometryFactory.Prepare(jurisdiction);
            var envelope = jurisdiction.EnvelopeInternal;
            var wells = new List<KeyWellVisit>();
            for (var i = 0; i < visits.Length; i++)
            {
                if (envelope.Covers(wellPoints[i]) && prepared.Covers(metric.CreatePoint(wellPoints[i]))) wells.Add(visits[i]);
            }

            var mine = ownTracks[department].ToList();
            records[j] = new DepartmentCoverage(department, area, covered, area - covered, area > 0 ? covered / area : 0.0, own, covered - own,
                covered > 0 ? (covered - own) / covered : 0.0, uncoveredLonLat, polygons, wells, mine.Count, mine.Sum(t => t.LengthM));
            Interlocked.Add(ref restTicks, System.Diagnostics.Stopwatch.GetTimestamp() - stamp);
            return inverse;
        }, _ => { });
        trace?.Invoke(FormattableString.Invariant($"field measure {(double)measureTicks / System.Diagnostics.Stopwatch.Frequency:F2} s, uncovered cells merged {(double)mergeTicks / System.Diagnostics.Stopwatch.Frequency:F2} s, back to lon/lat and wells {(double)restTicks / System.Diagnostics.Stopwatch.Frequency:F2} s, summed over workers; {cellCount} uncovered display cells"));
        return [.. records];
    }

    // The uncovered cells (flat convex rings, interior-disjoint, on J's subdivision grid) as one set: their union traced as rings
    // (CellOutline, linear in the cells' edges), each polygon intersected with J only where it is not inside J — the same set as
    // J ∩ the union of all. Should the trace not close (it does for cells of the subdivision), the clusters of touching cells are
    // unioned by NetTopologySuite instead.
    private static Geometry Merge(List<double[]> cells, Geometry jurisdiction, GeometryFactory metric, (double X, double Y, double Unit) grid)
    {
        if (cells.Count == 0) return metric.CreatePolygon();
        var traced = CellOutline.Trace(cells, grid.X, grid.Y, grid.Unit, metric);
        var unions = traced is null ? UnionClusters(cells, metric) : NetTopologySuite.Geometries.Utilities.PolygonExtracter.GetPolygons(traced).Cast<Geometry>().ToList();
        return ClipToJurisdiction(unions, jurisdiction, metric);
    }

    // The uncovered cells grouped into the clusters of cells that touch (a hash grid of DisplayCellM squares: cells sharing one
    // are grouped), each cluster unioned on its own: interior-disjoint pieces of the cells' union.
    internal static List<Geometry> UnionClusters(List<double[]> cells, GeometryFactory metric)
    {
        var polygons = new List<Polygon>(cells.Count);
        foreach (var ring in cells)
        {
            var n = ring.Length / 2;
            if (n < 3) continue;
            var coordinates = new Coordinate[n + 1];
            for (var i = 0; i < n; i++) coordinates[i] = new Coordinate(ring[2 * i], ring[2 * i + 1]);
            coordinates[n] = coordinates[0].Copy();
            // A cell cut close to a corner can repeat a point or collapse to a sliver.
            coordinates = CoordinateArrays.RemoveRepeatedPoints(coordinates);
            if (coordinates.Length < 4) continue;
            var polygon = metric.CreatePolygon(coordinates);
            if (polygon.Area > 1e-3) polygons.Add(polygon);
        }

        if (polygons.Count == 0) return [];
        var parent = new int[polygons.Count];
        for (var i = 0; i < parent.Length; i++) parent[i] = i;
        int Find(int i)
        {
            while (parent[i] != i) i = parent[i] = parent[parent[i]];
            return i;
        }

        var first = new Dictionary<(long, long), int>();
        for (var i = 0; i < polygons.Count; i++)
        {
            var e = polygons[i].EnvelopeInternal;
            var eps = 1e-6 * DisplayCellM;
            long x0 = (long)Math.Floor((e.MinX - eps) / DisplayCellM), x1 = (long)Math.Floor((e.MaxX + eps) / DisplayCellM);
            long y0 = (long)Math.Floor((e.MinY - eps) / DisplayCellM), y1 = (long)Math.Floor((e.MaxY + eps) / DisplayCellM);
            for (var y = y0; y <= y1; y++)
            {
                for (var x = x0; x <= x1; x++)
                {
                    if (!first.TryGetValue((x, y), out var other)) first[(x, y)] = i;
                    else
                    {
                        int a = Find(i), b = Find(other);
                        if (a != b) parent[a] = b;
                    }
                }
            }
        }

        var clusters = new Dictionary<int, List<Geometry>>();
        for (var i = 0; i < polygons.Count; i++)
        {
            var root = Find(i);
            if (!clusters.TryGetValue(root, out var list)) clusters[root] = list = [];
            list.Add(polygons[i]);
        }

        return clusters.Values.Select(cluster => cluster.Count == 1 ? cluster[0] : OverlayNGRobust.Union(metric.BuildGeometry(cluster))).ToList();
    }

    // Pieces of the uncovered set (interior-disjoint) intersected with J, slivers dropped.
    private static Geometry ClipToJurisdiction(List<Geometry> unions, Geometry jurisdiction, GeometryFactory metric)
    {
        if (unions.Count == 0) return metric.CreatePolygon();
        var inJ = PreparedGeometryFactory.Prepare(jurisdiction);
        var pieces = new List<Geometry>(unions.Count);
        foreach (var union in unions)
        {
            pieces.Add(inJ.ContainsProperly(union) ? union : OverlayNGRobust.Overlay(union, jurisdiction, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection));
        }

        var clipped = metric.BuildGeometry(pieces);
        // Slivers where a cell's corner grazes J (centimetres) go: they would not survive the projection back to lon/lat.
        var kept = new List<Polygon>();
        foreach (Polygon polygon in NetTopologySuite.Geometries.Utilities.PolygonExtracter.GetPolygons(clipped))
        {
            if (polygon.Shell.NumPoints < 4 || Math.Abs(NetTopologySuite.Algorithm.Area.OfRing(polygon.Shell.CoordinateSequence)) < SliverM2) continue;
            var holes = polygon.Holes.Where(h => h.NumPoints >= 4 && Math.Abs(NetTopologySuite.Algorithm.Area.OfRing(h.CoordinateSequence)) >= SliverM2).ToArray();
            kept.Add(holes.Length == polygon.NumInteriorRings ? polygon : metric.CreatePolygon(polygon.Shell, holes));
        }

        return kept.Count switch { 0 => metric.CreatePolygon(), 1 => kept[0], _ => metric.CreateMultiPolygon([.. kept]) };
    }
}
