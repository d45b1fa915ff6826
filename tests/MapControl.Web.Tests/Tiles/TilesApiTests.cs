using System.Net;
using System.Text.Json;
using MapControl.Data.PostGis.Tiles;
using MapControl.Web.Tests.Ogc;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace MapControl.Web.Tests.Tiles;

[Collection(InteropCollection.Name)]
public sealed class TilesApiTests(InteropServer server)
{
    // z10 tile over the fixture's western zone (118.48–118.83E, 37.16–37.44N).
    private static readonly TileAddress Tile = TileAddress.Containing(118.5, 37.42, 10);

    private static NetTopologySuite.IO.VectorTiles.VectorTile Decode(byte[] bytes, TileAddress t)
    {
        using var stream = new MemoryStream(bytes);
        return new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(t.X, t.Y, t.Z));
    }

    // Tiles carry a 64/4096 buffer around the tile (ST_AsMVTGeom's buffer), so the expectation uses the same margin.
    private const string InTileSql = "ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326))";

    [Fact]
    public async Task Wells_tile_decodes_to_the_wells_PostGIS_finds_in_the_tile()
    {
        using var client = server.Client();
        var response = await client.GetAsync($"/tiles/wells/{Tile}.mvt");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.mapbox-vector-tile");
        var tile = Decode(await response.Content.ReadAsByteArrayAsync(), Tile);

        var layer = tile.Layers.Single();
        layer.Name.Should().Be("wells");
        var expected = await server.CountAsync($"SELECT count(*) FROM well WHERE {InTileSql}", Tile.Z, Tile.X, Tile.Y);
        expected.Should().BeGreaterThan(10);
        layer.Features.Should().HaveCount((int)expected);
        // A key well of the tile: attributes and position (within two tile pixels of z10, 1/4096 of ~35 km) as stored.
        await using var cmd = server.DataSource.CreateCommand($"SELECT code, ST_X(geom), ST_Y(geom) FROM well WHERE is_key AND {InTileSql} ORDER BY code LIMIT 1");
        foreach (var v in new[] { Tile.Z, Tile.X, Tile.Y }) cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = v });
        await using var r = await cmd.ExecuteReaderAsync();
        (await r.ReadAsync()).Should().BeTrue();
        var key = layer.Features.Single(f => (string)f.Attributes["code"] == r.GetString(0));
        ((bool)key.Attributes["is_key"]).Should().BeTrue();
        key.Geometry.Coordinate.X.Should().BeApproximately(r.GetDouble(1), 360.0 / 1024 / 4096 * 2);
        key.Geometry.Coordinate.Y.Should().BeApproximately(r.GetDouble(2), 360.0 / 1024 / 4096 * 2);
    }

    // The incidents in the tile itself (no buffer; half-open in Web Mercator: west and top edges in, east and bottom out), by kind
    // and department, counted by PostGIS without the tile query's grid.
    private const string InTileByKindSql = """
        SELECT i.kind, coalesce(i.department_code, ''), count(*) FROM incident i, ST_TileEnvelope($1, $2, $3) b, ST_Transform(i.geom, 3857) m
         WHERE ST_X(m) >= ST_XMin(b) AND ST_X(m) < ST_XMax(b) AND ST_Y(m) > ST_YMin(b) AND ST_Y(m) <= ST_YMax(b) {0}
         GROUP BY 1, 2 ORDER BY 1, 2
        """;

    [Theory]
    [InlineData(10, "")]
    [InlineData(12, "?from=2025-01-01T00:00:00Z&to=2025-07-01T00:00:00Z")]
    [InlineData(8, "?from=2024-01-01T00:00:00Z")]
    public async Task Incidents_tile_below_z13_holds_one_point_per_cell_and_department_whose_counts_and_kinds_sum_to_PostGIS(int z, string window)
    {
        var t = TileAddress.Containing(118.5, 37.42, z);
        using var client = server.Client();
        var features = Decode(await client.GetByteArrayAsync($"/tiles/incidents/{t}.mvt{window}"), t).Layers.SingleOrDefault()?.Features ?? [];

        var filter = window switch
        {
            "" => "",
            _ when window.Contains("to=", StringComparison.Ordinal) => "AND i.occurred_at >= '2025-01-01Z' AND i.occurred_at < '2025-07-01Z'",
            _ => "AND i.occurred_at >= '2024-01-01Z'",
        };
        var expected = new Dictionary<(string Kind, string Department), long>();
        await using (var cmd = server.DataSource.CreateCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, InTileByKindSql, filter)))
        {
            foreach (var v in new[] { t.Z, t.X, t.Y }) cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = v });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) expected[(r.GetString(0), r.GetString(1))] = r.GetInt64(2);
        }
        expected.Values.Sum().Should().BeGreaterThan(0);
        if (z <= 10) expected.Values.Sum().Should().BeGreaterThan(features.Count, "some cells hold several incidents");

        // Every feature: a point, its count the sum of its kinds, its kind the most frequent of them; at most one per cell and department.
        var actual = new Dictionary<(string Kind, string Department), long>();
        foreach (var f in features)
        {
            f.Geometry.Should().BeOfType<NetTopologySuite.Geometries.Point>();
            f.Attributes.GetNames().Should().Contain(["count", "kind", "kinds"]).And.BeSubsetOf(["count", "kind", "kinds", "department_code"]);
            var department = f.Attributes.Exists("department_code") ? f.Attributes["department_code"] as string ?? "" : "";
            var kinds = ((string)f.Attributes["kinds"]).Split(", ").Select(k => k.Split(' ')).Select(k => (Kind: k[0], N: long.Parse(k[1], System.Globalization.CultureInfo.InvariantCulture))).ToList();
            Convert.ToInt64(f.Attributes["count"], System.Globalization.CultureInfo.InvariantCulture).Should().Be(kinds.Sum(k => k.N));
            ((string)f.Attributes["kind"]).Should().Be(kinds[0].Kind);
            kinds.Select(k => k.N).Should().BeInDescendingOrder();
            foreach (var (kind, n) in kinds) actual[(kind, department)] = actual.GetValueOrDefault((kind, department)) + n;
        }
        features.Count.Should().BeLessThanOrEqualTo(256 * (expected.Keys.Select(k => k.Department).Distinct().Count()));
        actual.Should().BeEquivalentTo(expected, "the cells' counts add up, per kind and department, to the incidents PostGIS finds in the tile and window");
    }

    [Fact]
    public async Task Incidents_tile_with_from_to_holds_only_incidents_of_the_window()
    {
        // From z13 on the incidents are served one by one (below, aggregated: the next test).
        var t = TileAddress.Containing(118.5, 37.42, 13);
        while (await server.CountAsync($"SELECT count(*) FROM incident WHERE {InTileSql} AND occurred_at >= '2025-01-01Z' AND occurred_at < '2025-07-01Z'", t.Z, t.X, t.Y) == 0)
            t = t with { X = t.X + 1 };
        using var client = server.Client();
        var bytes = await client.GetByteArrayAsync($"/tiles/incidents/{t}.mvt?from=2025-01-01T00:00:00Z&to=2025-07-01T00:00:00Z");
        var features = Decode(bytes, t).Layers.Single().Features;
        var expected = await server.CountAsync(
            $"SELECT count(*) FROM incident WHERE {InTileSql} AND occurred_at >= '2025-01-01Z' AND occurred_at < '2025-07-01Z'", t.Z, t.X, t.Y);
        expected.Should().BeGreaterThan(0);
        features.Should().HaveCount((int)expected);
        features.Should().OnlyContain(f => string.CompareOrdinal((string)f.Attributes["occurred_at"], "2025-01-01") >= 0
            && string.CompareOrdinal((string)f.Attributes["occurred_at"], "2025-07-01") < 0);
    }

    [Fact]
    public async Task Jurisdictions_tile_has_one_polygon_per_current_jurisdiction_in_the_tile()
    {
        using var client = server.Client();
        var features = Decode(await client.GetByteArrayAsync($"/tiles/jurisdictions/{Tile}.mvt"), Tile).Layers.Single().Features;
        var expected = await server.CountAsync($"SELECT count(*) FROM jurisdiction WHERE valid_to IS NULL AND {InTileSql}", Tile.Z, Tile.X, Tile.Y);
        features.Select(f => (string)f.Attributes["department_code"]).Should().OnlyHaveUniqueItems().And.HaveCount((int)expected);
    }

    [Fact]
    public async Task Tracks_tile_holds_lines_of_the_fixture_day()
    {
        var t = TileAddress.Containing(118.43, 37.375, 12);
        using var client = server.Client();
        var features = Decode(await client.GetByteArrayAsync($"/tiles/tracks/{t}.mvt?from=2026-11-17T00:00:00Z&to=2026-11-18T00:00:00Z"), t)
            .Layers.Single().Features;
        features.Should().NotBeEmpty().And.OnlyContain(f => (string)f.Attributes["day"] == "2026-11-17");
        features.Should().OnlyContain(f => f.Geometry is NetTopologySuite.Geometries.ILineal);
    }

    [Fact]
    public async Task Tile_etag_revalidates_with_304_and_changes_after_a_write_by_another_connection()
    {
        using var client = server.Client();
        var first = await client.GetAsync($"/tiles/idle-sites/{Tile}.mvt");
        var etag = first.Headers.ETag!;
        first.Headers.CacheControl!.Private.Should().BeTrue();

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/tiles/idle-sites/{Tile}.mvt");
        conditional.Headers.IfNoneMatch.Add(etag);
        (await client.SendAsync(conditional)).StatusCode.Should().Be(HttpStatusCode.NotModified);

        // A write through another connection (as the CLI would): the next request sees the layer's new data version.
        await using (var touch = server.DataSource.CreateCommand("UPDATE idle_site SET name = name"))
            await touch.ExecuteNonQueryAsync();
        var after = await client.GetAsync($"/tiles/idle-sites/{Tile}.mvt");
        after.Headers.ETag!.Tag.Should().NotBe(etag.Tag);
    }

    [Fact]
    public async Task Tiles_of_an_ended_window_stay_cached_while_fixes_of_other_days_arrive_and_change_with_a_late_fix_of_their_day()
    {
        var t = TileAddress.Containing(118.43, 37.375, 12);
        const string window = "?from=2026-11-17T00:00:00Z&to=2026-11-18T00:00:00Z";
        using var client = server.Client();
        async Task<(string ETag, int Points)> Gps()
        {
            var response = await client.GetAsync($"/tiles/gps/{t}.mvt{window}");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var features = Decode(await response.Content.ReadAsByteArrayAsync(), t).Layers.SingleOrDefault()?.Features.Count ?? 0;
            return (response.Headers.ETag!.Tag, features);
        }
        async Task<string> TracksETag() => (await client.GetAsync($"/tiles/tracks/{t}.mvt{window}")).Headers.ETag!.Tag;
        async Task Sql(string sql)
        {
            await using var cmd = server.DataSource.CreateCommand(sql);
            await cmd.ExecuteNonQueryAsync();
        }
        const string fix = "INSERT INTO gps_point (unit_code, department_code, recorded_at, geom, speed_kmh, bearing) VALUES ('U1', 'D2', '{0}', ST_SetSRID(ST_MakePoint(118.4301, 37.3751), 4326), 10, 0)";

        var first = await Gps();
        var firstTracks = await TracksETag();
        try
        {
            // A tracker reports a fix of another day, as trackers do all day long: the window's tiles are the cached ones.
            await Sql(string.Format(System.Globalization.CultureInfo.InvariantCulture, fix, "2026-11-19T13:00:00Z"));
            (await Gps()).ETag.Should().Be(first.ETag);
            (await TracksETag()).Should().Be(firstTracks);

            // A late fix of the window's day (a tracker that was offline): the next request has it.
            await Sql(string.Format(System.Globalization.CultureInfo.InvariantCulture, fix, "2026-11-17T20:00:00Z"));
            var late = await Gps();
            late.ETag.Should().NotBe(first.ETag);
            late.Points.Should().Be(first.Points + 1);
            (await TracksETag()).Should().NotBe(firstTracks);
        }
        finally
        {
            await Sql("DELETE FROM gps_point WHERE unit_code = 'U1' AND recorded_at IN ('2026-11-19T13:00:00Z', '2026-11-17T20:00:00Z')");
        }
    }

    [Theory]
    [InlineData("/tiles/nope/10/849/397.mvt", HttpStatusCode.NotFound)]
    [InlineData("/tiles/wells/3/9/0.mvt", HttpStatusCode.BadRequest)]
    [InlineData("/tiles/incidents/10/849/397.mvt?from=soon", HttpStatusCode.BadRequest)]
    [InlineData("/tiles/nope.json", HttpStatusCode.NotFound)]
    public async Task Tile_bad_request_returns_problem(string path, HttpStatusCode status)
    {
        using var client = server.Client();
        var response = await client.GetAsync(path);
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task TileJson_is_3_0_0_with_layer_fields_and_tile_url()
    {
        using var client = server.Client();
        var json = JsonDocument.Parse(await client.GetStringAsync("/tiles/incidents.json?from=2025-01-01T00:00:00Z")).RootElement;
        json.GetProperty("tilejson").GetString().Should().Be("3.0.0");
        json.GetProperty("tiles")[0].GetString().Should().EndWith("/tiles/incidents/{z}/{x}/{y}.mvt?from=2025-01-01T00:00:00Z");
        var layer = json.GetProperty("vector_layers")[0];
        layer.GetProperty("id").GetString().Should().Be("incidents");
        layer.GetProperty("fields").GetProperty("occurred_at").GetString().Should().Be("String");
        json.GetProperty("bounds").EnumerateArray().Select(b => b.GetDouble()).Should().Equal(118.4, 37.35, 118.8, 37.5);
    }
}
