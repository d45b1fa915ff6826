using MapControl.Core.Alerts;
using MapControl.Core.Model;
using MapControl.Core.Routing;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using Npgsql;
using NpgsqlTypes;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.Routing;

/// <summary>How many road lines went in and what the noding made of them.</summary>
public sealed record RoadNetworkCounts(int Lines, int Segments, int Vertices);

/// <summary>A way by road as a line (lon/lat, from the unit to the alert) and its metres; null line when it is straight.</summary>
public sealed record RoadPath(double Metres, string Method, IReadOnlyList<(double Lon, double Lat)> Points);

/// <summary>
/// The road network of dispatch (docs/DEFINITIONS.md "Road distance"): the one noding path (<see cref="ReplaceAsync"/>, used by the
/// seed and the import), snapping points to the nearest segment, network metres by pgRouting (pgr_dijkstraCost many-to-many) and
/// the way as a line (pgr_dijkstra). The combination of off-road legs, partial segments and network metres is Core's
/// <see cref="RoadDistance"/>.
/// </summary>
public sealed class RoadNetwork(NpgsqlDataSource dataSource)
{
    /// <summary>Most road lines one replacement takes (a county's road network is a few ten thousand).</summary>
    public const int MaxLines = 200_000;

    /// <summary>Most points one snapping or distance call takes.</summary>
    public const int MaxPoints = Dispatch.MaxRoadCandidates + 1;

    /// <summary>Grid the lines are snapped to before noding (degrees, ≈1 cm; written into the noding SQL): ends that meet to within it are one vertex.</summary>
    public const double GridDegrees = 1e-7;

    private const string EdgesSql = "SELECT id, source, target, cost, reverse_cost FROM road_segment";

    // One replacement at a time (readers are not blocked): a second waits, then replaces what the first committed.
    private const string InputSql = """
        LOCK TABLE road_segment, road_vertex IN SHARE ROW EXCLUSIVE MODE;
        DROP TABLE IF EXISTS road_input;
        CREATE TEMP TABLE road_input (id int GENERATED ALWAYS AS IDENTITY, name text, kind text NOT NULL, geom geometry NOT NULL) ON COMMIT DROP;
        """;

    private const string CopySql = "COPY road_input (name, kind, geom) FROM STDIN (FORMAT BINARY)";

    // Lines snapped to the grid and split into parts; ST_Node cuts them at every crossing and dissolves shared stretches; each piece
    // takes the name and kind of the input line nearest its middle (lowest id on a tie); vertices are the distinct piece ends.
    private const string NodeSql = """
        DELETE FROM road_segment;
        DELETE FROM road_vertex;
        DROP TABLE IF EXISTS road_noded;
        CREATE TEMP TABLE road_noded ON COMMIT DROP AS
        WITH input AS (
            SELECT i.id, i.name, i.kind, d.geom
            FROM road_input i CROSS JOIN LATERAL ST_Dump(ST_SnapToGrid(ST_Force2D(i.geom), 0.0000001)) d
            WHERE ST_GeometryType(d.geom) = 'ST_LineString' AND ST_Length(d.geom) > 0
        ), noded AS (
            SELECT (ST_Dump(ST_Node(ST_Collect(geom)))).geom AS geom FROM input
        )
        SELECT n.geom, o.name, o.kind, ST_Length(n.geom::geography) AS metres
        FROM noded n CROSS JOIN LATERAL (
            SELECT i.name, i.kind FROM input i
            WHERE ST_DWithin(i.geom, ST_LineInterpolatePoint(n.geom, 0.5), 1e-6)
            ORDER BY ST_Distance(i.geom, ST_LineInterpolatePoint(n.geom, 0.5)), i.id LIMIT 1) o
        WHERE ST_Length(n.geom) > 0;
        INSERT INTO road_vertex (id, geom)
        SELECT row_number() OVER (ORDER BY ST_X(p), ST_Y(p)), p
        FROM (SELECT DISTINCT p FROM (SELECT ST_StartPoint(geom) AS p FROM road_noded UNION ALL SELECT ST_EndPoint(geom) FROM road_noded) e) v;
        INSERT INTO road_segment (id, name, kind, geom, source, target, cost, reverse_cost)
        SELECT row_number() OVER (ORDER BY s.id, t.id, n.metres, ST_AsBinary(n.geom)), n.name, n.kind, n.geom, s.id, t.id, n.metres, n.metres
        FROM road_noded n
        JOIN road_vertex s ON s.geom = ST_StartPoint(n.geom)
        JOIN road_vertex t ON t.geom = ST_EndPoint(n.geom);
        """;

    private const string CountsSql = "SELECT (SELECT count(*) FROM road_input)::int, (SELECT count(*) FROM road_segment)::int, (SELECT count(*) FROM road_vertex)::int";

    private const string SnapSql = """
        SELECT q.ord, s.id, s.source, s.target, s.cost, s.reverse_cost, ST_LineLocatePoint(s.geom, p.g),
               ST_Distance(p.g::geography, ST_ClosestPoint(s.geom, p.g)::geography)
        FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS q(lon, lat, ord)
        CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326) AS g) p
        CROSS JOIN LATERAL (
            SELECT k.* FROM (SELECT id, source, target, cost, reverse_cost, geom FROM road_segment ORDER BY geom <-> p.g LIMIT 8) k
            ORDER BY ST_Distance(k.geom::geography, p.g::geography), k.id LIMIT 1) s
        ORDER BY q.ord
        """;

    private const string CostSql = $"""
        SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost('{EdgesSql}', $1::bigint[], $2::bigint[], true)
        """;

    private const string PathSql = $"""
        SELECT d.node, s.source, s.geom FROM pgr_dijkstra('{EdgesSql}', $1::bigint, $2::bigint, true) d
        JOIN road_segment s ON s.id = d.edge ORDER BY d.seq
        """;

    private const string SegmentSql = "SELECT geom FROM road_segment WHERE id = $1";

    /// <summary>
    /// Replaces the whole network by <paramref name="lines"/>, noded (cut at every crossing, ends within <see cref="GridDegrees"/>
    /// joined), on the caller's connection and transaction: the seed and the import call it inside theirs.
    /// </summary>
    public static async Task<RoadNetworkCounts> ReplaceAsync(NpgsqlConnection connection, IReadOnlyCollection<RoadLine> lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count > MaxLines) throw new ArgumentOutOfRangeException(nameof(lines), $"at most {MaxLines} road lines, got {lines.Count}");
        await ExecuteAsync(connection, InputSql, cancellationToken).ConfigureAwait(false);
        await using (var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false))
        {
            foreach (var line in lines)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(Db(line.Name), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(line.Kind, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync<Geometry>(As4326(line.Geometry), cancellationToken).ConfigureAwait(false);
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        await ExecuteAsync(connection, NodeSql, cancellationToken).ConfigureAwait(false);
        var counts = await QueryAsync(connection, CountsSql, r => new RoadNetworkCounts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2)), cancellationToken)
            .ConfigureAwait(false);
        await ExecuteAsync(connection, "DROP TABLE road_input; DROP TABLE road_noded; ANALYZE road_segment, road_vertex", cancellationToken).ConfigureAwait(false);
        return counts[0];
    }

    /// <summary>The nearest segment of each point (null for every point when the network is empty), in the points' order.</summary>
    public async Task<IReadOnlyList<RoadSnap?>> SnapAsync(NpgsqlConnection connection, IReadOnlyList<(double Lon, double Lat)> points,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count > MaxPoints) throw new ArgumentOutOfRangeException(nameof(points), $"at most {MaxPoints} points, got {points.Count}");
        var result = new RoadSnap?[points.Count];
        if (points.Count == 0) return result;
        var rows = await QueryAsync(connection, SnapSql, r => (Index: (int)r.GetInt64(0) - 1,
            Snap: new RoadSnap(r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7))),
            cancellationToken, points.Select(p => p.Lon).ToArray(), points.Select(p => p.Lat).ToArray()).ConfigureAwait(false);
        foreach (var (i, s) in rows) result[i] = s;
        return result;
    }

    /// <summary>Network metres from each of <paramref name="from"/> to each of <paramref name="to"/> (unreachable pairs are absent).</summary>
    public static async Task<IReadOnlyDictionary<(long From, long To), double>> VertexCostsAsync(NpgsqlConnection connection,
        IReadOnlyCollection<long> from, IReadOnlyCollection<long> to, CancellationToken cancellationToken = default)
    {
        var costs = new Dictionary<(long, long), double>();
        if (from.Count == 0 || to.Count == 0) return costs;
        foreach (var (a, b, c) in await QueryAsync(connection, CostSql, r => (r.GetInt64(0), r.GetInt64(1), r.GetDouble(2)), cancellationToken,
                     from.Distinct().ToArray(), to.Distinct().ToArray()).ConfigureAwait(false))
            costs[(a, b)] = c;
        return costs;
    }

    /// <summary>
    /// The best way by road from each point of <paramref name="from"/> to (<paramref name="lon"/>, <paramref name="lat"/>): null for a
    /// point off the network, when the target is off it, when no way connects them, or when there is no network.
    /// </summary>
    public async Task<IReadOnlyList<RoadRoute?>> DistancesAsync(double lon, double lat, IReadOnlyList<(double Lon, double Lat)> from,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (from.Count + 1 > MaxPoints) throw new ArgumentOutOfRangeException(nameof(from), $"at most {MaxPoints - 1} points, got {from.Count}");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var (snaps, costs) = await SnapAndCostAsync(connection, lon, lat, from, cancellationToken).ConfigureAwait(false);
        var target = snaps[0];
        return from.Select((_, i) => snaps[i + 1] is { } s && target is { } t ? RoadDistance.Best(s, t, Lookup(costs)) : null).ToArray();
    }

    /// <summary>
    /// The way from (<paramref name="fromLon"/>, <paramref name="fromLat"/>) to (<paramref name="toLon"/>, <paramref name="toLat"/>) as a
    /// line: along the roads when <see cref="Dispatch"/> would rank it by road, else the straight line.
    /// </summary>
    public async Task<RoadPath> PathAsync(double fromLon, double fromLat, double toLon, double toLat, CancellationToken cancellationToken = default)
    {
        var straight = new RoadPath(Dispatch.Haversine(fromLon, fromLat, toLon, toLat), Dispatch.StraightLineMethod, [(fromLon, fromLat), (toLon, toLat)]);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var (snaps, costs) = await SnapAndCostAsync(connection, toLon, toLat, [(fromLon, fromLat)], cancellationToken).ConfigureAwait(false);
        if (snaps[1] is not { } a || snaps[0] is not { } b || RoadDistance.Best(a, b, Lookup(costs)) is not { } route || straight.Metres <= route.OffRoadM)
            return straight;
        var ua = await SegmentAsync(connection, a.Segment, cancellationToken).ConfigureAwait(false);
        var points = new List<Coordinate> { new(fromLon, fromLat) };
        if (route.SameSegment)
        {
            points.AddRange(Part(ua, a.Fraction, b.Fraction));
        }
        else
        {
            points.AddRange(Part(ua, a.Fraction, route.FromVertex == a.Source ? 0 : 1));
            if (route.FromVertex != route.ToVertex)
            {
                foreach (var (node, source, geom) in await QueryAsync(connection, PathSql, r => (r.GetInt64(0), r.GetInt64(1), r.GetFieldValue<LineString>(2)),
                             cancellationToken, route.FromVertex!.Value, route.ToVertex!.Value).ConfigureAwait(false))
                    points.AddRange(node == source ? geom.Coordinates : geom.Coordinates.Reverse());
            }
            var ub = b.Segment == a.Segment ? ua : await SegmentAsync(connection, b.Segment, cancellationToken).ConfigureAwait(false);
            points.AddRange(Part(ub, route.ToVertex == b.Source ? 0 : 1, b.Fraction));
        }
        points.Add(new Coordinate(toLon, toLat));
        // On the 7-decimal grid (≈1 cm) the network is noded on; repeated points dropped.
        var line = new List<(double, double)>(points.Count);
        foreach (var c in points)
        {
            var p = (Math.Round(c.X, 7), Math.Round(c.Y, 7));
            if (line.Count == 0 || line[^1] != p) line.Add(p);
        }
        return new RoadPath(route.Metres, Dispatch.RoadMethod, line);
    }

    private async Task<(IReadOnlyList<RoadSnap?> Snaps, IReadOnlyDictionary<(long, long), double> Costs)> SnapAndCostAsync(NpgsqlConnection connection,
        double lon, double lat, IReadOnlyList<(double Lon, double Lat)> from, CancellationToken cancellationToken)
    {
        var snaps = await SnapAsync(connection, [(lon, lat), .. from], cancellationToken).ConfigureAwait(false);
        if (snaps[0] is not { } target || !RoadDistance.OnNetwork(target))
            return (snaps, new Dictionary<(long, long), double>());
        var starts = snaps.Skip(1).OfType<RoadSnap>().Where(RoadDistance.OnNetwork).SelectMany(s => RoadDistance.Departures(s).Select(d => d.Vertex)).ToHashSet();
        var ends = RoadDistance.Arrivals(target).Select(a => a.Vertex).ToHashSet();
        return (snaps, await VertexCostsAsync(connection, starts, ends, cancellationToken).ConfigureAwait(false));
    }

    private static Func<long, long, double?> Lookup(IReadOnlyDictionary<(long, long), double> costs) =>
        (a, b) => costs.TryGetValue((a, b), out var c) ? c : null;

    private static async Task<LineString> SegmentAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken) =>
        (await QueryAsync(connection, SegmentSql, r => r.GetFieldValue<LineString>(0), cancellationToken, id).ConfigureAwait(false)).Single();

    /// <summary>The part of <paramref name="line"/> between two fractions of its (planar) length, in that direction.</summary>
    private static IEnumerable<Coordinate> Part(LineString line, double from, double to)
    {
        var indexed = new LengthIndexedLine(line);
        var part = indexed.ExtractLine(from * line.Length, to * line.Length);
        return part.Coordinates;
    }
}
