using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MapControl.Web.Tests.Ogc;

[Collection(InteropCollection.Name)]
public sealed class OgcFeaturesApiTests(InteropServer server)
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static IEnumerable<string> Rels(JsonElement e) => e.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("rel").GetString()!);

    private static string? Link(JsonElement e, string rel) =>
        e.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == rel).Select(l => l.GetProperty("href").GetString()).FirstOrDefault();

    [Fact]
    public async Task Landing_with_token_links_conformance_api_and_collections()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc"));
        Rels(json).Should().Contain(["self", "service-desc", "conformance", "data"]);
        Link(json, "data").Should().EndWith("/ogc/collections");
    }

    [Theory]
    [InlineData("/ogc")]
    [InlineData("/ogc/collections/wells/items")]
    [InlineData("/tiles/wells/10/849/397.mvt")]
    public async Task Get_without_token_returns_401(string path)
    {
        using var client = server.Anonymous();
        var response = await client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer");
    }

    [Fact]
    public async Task Get_with_wrong_token_returns_401()
    {
        using var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "mct_not-a-token");
        (await client.GetAsync("/ogc/collections")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Conformance_lists_core_geojson_html_and_oas30()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/conformance"));
        json.GetProperty("conformsTo").EnumerateArray().Select(e => e.GetString()).Should().BeEquivalentTo(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
    }

    [Fact]
    public async Task Api_returns_openapi_30_with_items_path_of_every_collection()
    {
        using var client = server.Client();
        var response = await client.GetAsync("/ogc/api");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.oai.openapi+json");
        var json = await JsonAsync(response);
        json.GetProperty("openapi").GetString().Should().StartWith("3.0");
        var paths = json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var id in CollectionIds) paths.Should().Contain($"/collections/{id}/items").And.Contain($"/collections/{id}/items/{{featureId}}");
    }

    private static readonly string[] CollectionIds =
        ["oil-zones", "jurisdictions", "patrol-zones", "wells", "cameras", "idle-sites", "incidents", "patrol-tracks", "gaps"];

    [Fact]
    public async Task Collections_lists_every_collection_with_geojson_items_link()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/collections"));
        var collections = json.GetProperty("collections").EnumerateArray().ToList();
        collections.Select(c => c.GetProperty("id").GetString()).Should().Contain(CollectionIds);
        foreach (var c in collections)
            c.GetProperty("links").EnumerateArray().Should().Contain(l => l.GetProperty("rel").GetString() == "items"
                && l.GetProperty("type").GetString() == "application/geo+json");
        var incidents = collections.Single(c => c.GetProperty("id").GetString() == "incidents");
        incidents.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0][0].GetString().Should().Be("2024-01-01T00:00:00Z");
    }

    [Fact]
    public async Task Collection_unknown_returns_404_problem()
    {
        using var client = server.Client();
        var response = await client.GetAsync("/ogc/collections/nope/items");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Items_default_page_has_10_features_numberMatched_from_database_and_next_link()
    {
        using var client = server.Client();
        var response = await client.GetAsync("/ogc/collections/wells/items");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/geo+json");
        var json = await JsonAsync(response);
        json.GetProperty("type").GetString().Should().Be("FeatureCollection");
        json.GetProperty("numberReturned").GetInt32().Should().Be(10);
        json.GetProperty("features").GetArrayLength().Should().Be(10);
        json.GetProperty("numberMatched").GetInt64().Should().Be(await server.CountAsync("SELECT count(*) FROM well"));
        Link(json, "next").Should().Contain("offset=10").And.Contain("limit=10");
        Rels(json).Should().NotContain("prev");
    }

    [Fact]
    public async Task Items_following_next_links_returns_every_feature_once()
    {
        using var client = server.Client();
        var ids = new List<string>();
        string? url = "/ogc/collections/incidents/items?limit=70";
        var pages = 0;
        while (url is not null)
        {
            var json = await JsonAsync(await client.GetAsync(url));
            ids.AddRange(json.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!));
            url = Link(json, "next");
            if (pages++ > 0) Link(json, "prev").Should().NotBeNull();
        }
        pages.Should().Be(8); // 500 / 70 rounded up
        ids.Should().OnlyHaveUniqueItems().And.HaveCount((int)await server.CountAsync("SELECT count(*) FROM incident"));
    }

    [Fact]
    public async Task Items_limit_above_maximum_is_clamped_to_10000()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/collections/incidents/items?limit=50000"));
        json.GetProperty("numberReturned").GetInt32().Should().Be(500);
        Link(json, "self").Should().Contain("limit=10000");
    }

    [Fact]
    public async Task Items_bbox_returns_the_features_PostGIS_finds_in_the_box()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/collections/wells/items?bbox=118.45,37.38,118.62,37.44&limit=1000"));
        var expected = await server.CountAsync("SELECT count(*) FROM well WHERE ST_Intersects(geom, ST_MakeEnvelope(118.45, 37.38, 118.62, 37.44, 4326))");
        expected.Should().BeInRange(5, 99);
        json.GetProperty("numberReturned").GetInt64().Should().Be(expected);
        foreach (var f in json.GetProperty("features").EnumerateArray())
        {
            var c = f.GetProperty("geometry").GetProperty("coordinates");
            c[0].GetDouble().Should().BeInRange(118.45, 118.62);
            c[1].GetDouble().Should().BeInRange(37.38, 37.44);
        }
    }

    [Theory]
    [InlineData("2025-01-01T00:00:00Z/2025-06-30T23:59:59Z", "occurred_at >= '2025-01-01T00:00:00Z' AND occurred_at <= '2025-06-30T23:59:59Z'")]
    [InlineData("../2024-03-01T00:00:00Z", "occurred_at <= '2024-03-01T00:00:00Z'")]
    [InlineData("2026-06-01T00:00:00+08:00/..", "occurred_at >= '2026-05-31T16:00:00Z'")]
    public async Task Items_datetime_filters_incidents_like_the_database(string datetime, string condition)
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync($"/ogc/collections/incidents/items?limit=1000&datetime={Uri.EscapeDataString(datetime)}"));
        var expected = await server.CountAsync($"SELECT count(*) FROM incident WHERE {condition}");
        expected.Should().BeGreaterThan(0);
        json.GetProperty("numberMatched").GetInt64().Should().Be(expected);
    }

    [Fact]
    public async Task Items_datetime_instant_matches_one_incident()
    {
        var occurred = await server.CountAsync("SELECT extract(epoch FROM occurred_at)::bigint FROM incident WHERE code = 'I0000101'");
        var instant = DateTimeOffset.FromUnixTimeSeconds(occurred).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync($"/ogc/collections/incidents/items?datetime={instant}"));
        json.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()).Should().Contain("I0000101");
    }

    [Fact]
    public async Task Items_property_filter_department_code_matches_database()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/collections/incidents/items?department_code=D2&limit=1000"));
        json.GetProperty("numberMatched").GetInt64().Should().Be(await server.CountAsync("SELECT count(*) FROM incident WHERE department_code = 'D2'"));
        json.GetProperty("features").EnumerateArray().Should().OnlyContain(f => f.GetProperty("properties").GetProperty("department_code").GetString() == "D2");
    }

    [Theory]
    [InlineData("bbox=1,2,3")]
    [InlineData("bbox=a,b,c,d")]
    [InlineData("bbox=0,0,200,1")]
    [InlineData("bbox=10,10,5,20")]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("offset=-1")]
    [InlineData("datetime=yesterday")]
    [InlineData("datetime=2026-01-02T00:00:00Z/2026-01-01T00:00:00Z")]
    [InlineData("datetime=../..")]
    [InlineData("colour=red")]
    [InlineData("f=xml")]
    [InlineData("bbox-crs=EPSG:3857")]
    public async Task Items_bad_parameter_returns_400_problem_details(string query)
    {
        using var client = server.Client();
        var response = await client.GetAsync("/ogc/collections/incidents/items?" + query);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(400);
        problem.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Item_by_id_returns_the_feature_and_unknown_id_404()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/collections/wells/items/W000010"));
        json.GetProperty("type").GetString().Should().Be("Feature");
        json.GetProperty("id").GetString().Should().Be("W000010");
        json.GetProperty("properties").GetProperty("is_key").GetBoolean().Should().BeTrue();
        (await client.GetAsync("/ogc/collections/wells/items/W999999")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Jurisdictions_are_the_current_versions_only()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/collections/jurisdictions/items"));
        json.GetProperty("numberMatched").GetInt64().Should().Be(3);
        json.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("properties").GetProperty("department_code").GetString() == "D1")
            .GetProperty("properties").GetProperty("reason").GetString().Should().Be("moved east");
        json.GetProperty("features")[0].GetProperty("id").ValueKind.Should().Be(JsonValueKind.Number);
    }

    [Fact]
    public async Task Patrol_tracks_break_at_the_20_minute_pause_per_unit_and_day()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/collections/patrol-tracks/items?limit=100"));
        // 3 units × 3 days × 2 (06:00–09:00 and 09:20–12:00).
        json.GetProperty("numberMatched").GetInt64().Should().Be(18);
        var first = json.GetProperty("features").EnumerateArray().First(f => f.GetProperty("id").GetString() == "U1.2026-11-17.1");
        first.GetProperty("properties").GetProperty("points").GetInt32().Should().Be(360); // 3 h every 30 s
        first.GetProperty("geometry").GetProperty("type").GetString().Should().Be("LineString");
        var day = await JsonAsync(await client.GetAsync("/ogc/collections/patrol-tracks/items?datetime=2026-11-18T10:00:00Z"));
        day.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()).Should()
            .BeEquivalentTo("U1.2026-11-18.2", "U2.2026-11-18.2", "U3.2026-11-18.2");
        var one = await JsonAsync(await client.GetAsync("/ogc/collections/patrol-tracks/items/U2.2026-11-19.1"));
        one.GetProperty("properties").GetProperty("unit_code").GetString().Should().Be("U2");
    }

    [Fact]
    public async Task Gaps_is_the_strip_between_D2_and_D3_with_geodesic_area()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items"));
        json.GetProperty("numberMatched").GetInt64().Should().Be(1);
        var p = json.GetProperty("features")[0].GetProperty("properties");
        p.GetProperty("departments").EnumerateArray().Select(d => d.GetString()).Should().Equal("D2", "D3");
        // Independent: 0.02° × 0.15° at 37.35–37.5°N on the WGS84 ellipsoid ≈ 1,768 m × 16,650 m.
        p.GetProperty("area_m2").GetDouble().Should().BeApproximately(29.47e6, 0.03e6);
        p.GetProperty("wells").GetInt32().Should().Be((int)await server.CountAsync(
            "SELECT count(*) FROM well WHERE ST_Intersects(geom, ST_MakeEnvelope(118.70, 37.35, 118.72, 37.50, 4326))"));
    }

    [Fact]
    public async Task Items_html_is_a_table_with_feature_links()
    {
        using var client = server.Client();
        var response = await client.GetAsync("/ogc/collections/wells/items?f=html&limit=5");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<table>").And.Contain("/ogc/collections/wells/items/W0000");
    }

    [Fact]
    public async Task Token_endpoint_issues_a_working_token_and_refuses_a_wrong_password()
    {
        using var anonymous = server.Anonymous();
        var bad = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "tester", password = "wrong-password" });
        bad.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var ok = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "tester", password = InteropServer.Password });
        var token = (await JsonAsync(ok)).GetProperty("token").GetString()!;
        (await server.CountAsync("SELECT count(*) FROM api_token WHERE token_hash = encode(sha256(convert_to(@p, 'UTF8')), 'hex')".Replace("@p", "$1"), token))
            .Should().Be(1);
        using var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await client.GetAsync("/ogc/conformance")).StatusCode.Should().Be(HttpStatusCode.OK);
        server.UseToken(token);
    }
}
