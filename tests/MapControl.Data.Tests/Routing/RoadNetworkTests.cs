using MapControl.Core.Model;
using MapControl.Data.Routing;
using MapControl.Data.Seeding;
using MapControl.Data.Tests.PostGis;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Tests.Routing;

/// <summary>
/// The road network against PostGIS/pgRouting: noding of a hand-built network (two crossing roads and a separate one) and its road
/// distances against lengths PostGIS measures on the hand-drawn way; the sample's network against a C# Dijkstra; the way as a line.
/// </summary>
public sealed class RoadNetworkTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly GeometryFactory F = new(new PrecisionModel(), 4326);

    private static RoadLine Line(string name, params (double Lon, double Lat)[] points) =>
        new(name, "field", F.CreateLineString(points.Select(p => new Coordinate(p.Lon, p.Lat)).ToArray()));

    // H from A (118.50, 37.50) to B (118.52, 37.50); V from C (118.51, 37.49) to D (118.51, 37.51), crossing H at X (118.51, 37.50)
    // where neither has a vertex; E (118.60–118.61, 37.50) touches neither.
    private static readonly RoadLine[] Tiny =
    [
        Line("H", (118.50, 37.50), (118.52, 37.50)),
        Line("V", (118.51, 37.49), (118.51, 37.51)),
        Line("E", (118.60, 37.50), (118.61, 37.50)),
    ];

    private async Task<RoadNetworkCounts> ReplaceAsync(IReadOnlyCollection<RoadLine> lines)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var counts = await RoadNetwork.ReplaceAsync(connection, lines);
        await tx.CommitAsync();
        return counts;
    }

    /// <summary>Geodesic metres of a hand-drawn line, measured by PostGIS (the oracle).</summary>
    private async Task<double> MetresAsync(params (double Lon, double Lat)[] points) =>
        await database.ScalarAsync<double>(
            $"SELECT ST_Length(ST_GeomFromText('LINESTRING({string.Join(", ", points.Select(p => FormattableString.Invariant($"{p.Lon} {p.Lat}")))})', 4326)::geography)");

    [Fact]
    public async Task A_tiny_network_is_noded_and_its_road_distances_are_the_hand_drawn_ways()
    {
        var roads = new RoadNetwork(database.DataSource);
        (double, double) p = (118.50, 37.5009), q = (118.5109, 37.508), r = (118.605, 37.5005), far = (118.50, 37.53);

        await ReplaceAsync([]);
        (await roads.DistancesAsync(q.Item1, q.Item2, [p])).Should().Equal([null], "no network, no road distance");
        (await roads.PathAsync(p.Item1, p.Item2, q.Item1, q.Item2)).Method.Should().Be("straight_line");

        var counts = await ReplaceAsync(Tiny);
        counts.Should().Be(new RoadNetworkCounts(3, 5, 7), "H and V are cut at X: 2 + 2 + 1 segments between 7 vertices");
        (await database.ScalarAsync<long>("""
            SELECT count(*) FROM road_segment a JOIN road_segment b ON a.id < b.id AND ST_Relate(a.geom, b.geom, 'T********')
            """)).Should().Be(0, "segments meet only at their ends");

        var result = await roads.DistancesAsync(q.Item1, q.Item2, [p, r, far]);
        // P → A off road, A → X along H, X → Q' (118.51, 37.508) along V, Q' → Q off road.
        var expected = await MetresAsync(p, (118.50, 37.50)) + await MetresAsync((118.50, 37.50), (118.51, 37.50))
                       + await MetresAsync((118.51, 37.50), (118.51, 37.508)) + await MetresAsync((118.51, 37.508), q);
        result[0]!.Metres.Should().BeApproximately(expected, 0.5);
        result[0]!.OffRoadM.Should().BeApproximately(await MetresAsync(p, (118.50, 37.50)) + await MetresAsync((118.51, 37.508), q), 0.5);
        result[1].Should().BeNull("E is not connected to the roads the alert is on");
        result[2].Should().BeNull("3 km from every road is off the network");

        var path = await roads.PathAsync(p.Item1, p.Item2, q.Item1, q.Item2);
        path.Method.Should().Be("road");
        path.Metres.Should().BeApproximately(expected, 0.5);
        path.Points.Select(c => (Math.Round(c.Lon, 7), Math.Round(c.Lat, 7))).Should().Equal(p, (118.50, 37.50), (118.51, 37.50), (118.51, 37.508), q);
        (await MetresAsync([.. path.Points])).Should().BeApproximately(expected, 0.5, "the line drawn is the way measured");

        // Along one segment, and back the other way.
        var along = await roads.PathAsync(118.511, 37.5001, 118.519, 37.5001);
        along.Method.Should().Be("road");
        along.Points.Select(c => (Math.Round(c.Lon, 7), Math.Round(c.Lat, 7))).Should().Equal((118.511, 37.5001), (118.511, 37.50), (118.519, 37.50), (118.519, 37.5001));
        var back = await roads.PathAsync(118.519, 37.5001, 118.502, 37.5001);
        back.Points.Select(c => (Math.Round(c.Lon, 7), Math.Round(c.Lat, 7))).Should().Equal((118.519, 37.5001), (118.519, 37.50), (118.51, 37.50), (118.502, 37.50), (118.502, 37.5001));

        // Close together but far from the road: across country.
        (await roads.PathAsync(118.515, 37.505, 118.516, 37.505)).Method.Should().Be("straight_line");
    }

    [Fact]
    public async Task The_sample_network_is_one_component_and_pgRouting_agrees_with_a_CSharp_Dijkstra()
    {
        var counts = await ReplaceAsync(RoadBuilder.Build(SampleOptions.DefaultSeed));
        counts.Segments.Should().BeGreaterThan(1000);
        (await database.ScalarAsync<long>("""
            SELECT count(*) FROM road_segment a JOIN road_segment b ON a.id < b.id AND a.geom && b.geom AND ST_Relate(a.geom, b.geom, 'T********')
            """)).Should().Be(0, "noded: segments meet only at their ends");

        var edges = new List<(long Source, long Target, double Cost, double Reverse)>();
        await using (var cmd = database.DataSource.CreateCommand("SELECT source, target, cost, reverse_cost FROM road_segment"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) edges.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3)));
        var graph = new Dictionary<long, List<(long To, double Cost)>>();
        void Add(long a, long b, double c) { if (c < 0) return; if (!graph.TryGetValue(a, out var l)) graph[a] = l = []; l.Add((b, c)); if (!graph.ContainsKey(b)) graph[b] = []; }
        foreach (var e in edges) { Add(e.Source, e.Target, e.Cost); Add(e.Target, e.Source, e.Reverse); }

        var vertices = graph.Keys.Order().ToArray();
        vertices.Length.Should().Be(counts.Vertices);
        Dijkstra(graph, vertices[0]).Count.Should().Be(vertices.Length, "every vertex is reachable: the field grids meet the arterials");

        var random = new Random(14);
        var from = Enumerable.Range(0, 4).Select(_ => vertices[random.Next(vertices.Length)]).Distinct().ToArray();
        var to = Enumerable.Range(0, 6).Select(_ => vertices[random.Next(vertices.Length)]).Distinct().ToArray();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var pgr = await RoadNetwork.VertexCostsAsync(connection, from, to);
        foreach (var a in from)
        {
            var mine = Dijkstra(graph, a);
            foreach (var b in to.Where(b => b != a))
                pgr[(a, b)].Should().BeApproximately(mine[b], 1e-6, $"{a} → {b}");
        }
    }

    private static Dictionary<long, double> Dijkstra(Dictionary<long, List<(long To, double Cost)>> graph, long start)
    {
        var dist = new Dictionary<long, double> { [start] = 0 };
        var queue = new PriorityQueue<long, double>();
        queue.Enqueue(start, 0);
        while (queue.TryDequeue(out var v, out var d))
        {
            if (d > dist[v]) continue;
            foreach (var (w, c) in graph[v])
                if (!dist.TryGetValue(w, out var old) || d + c < old) { dist[w] = d + c; queue.Enqueue(w, d + c); }
        }
        return dist;
    }
}
