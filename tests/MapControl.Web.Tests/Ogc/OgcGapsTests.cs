using MapControl.Data.Editing;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MapControl.Core.Coverage;
using MapControl.Core.Model;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Tests.PostGis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Web.Tests.Ogc;

/// <summary>
/// A database with two gaps — a 0.01° strip between D1 and D2 and a 0.02° hole inside D3 — with wells and incidents in them,
/// and the web app over it.
/// </summary>
public sealed class GapsServer : TestDatabase, IAsyncLifetime
{
    /// <summary>D2 as loaded: 118.56–118.70, leaving the strip 118.55–118.56 to D1.</summary>
    public const string D2Wkt = "MULTIPOLYGON (((118.56 37.35, 118.70 37.35, 118.70 37.50, 118.56 37.50, 118.56 37.35)))";

    private const string Fixture = """
        INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁护卫部', '#e41a1c'), ('D2', '河口护卫部', '#377eb8'), ('D3', '孤岛护卫部', '#4daf4a');
        INSERT INTO oil_zone (code, name, geom) VALUES
          ('Z1', '东营油区', ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.60, 37.50, 4326))),
          ('Z2', '孤岛油区', ST_Multi(ST_MakeEnvelope(118.60, 37.35, 118.80, 37.50, 4326)));
        INSERT INTO jurisdiction (department_code, geom, valid_from, valid_to, edited_by, reason) VALUES
          ('D1', ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.55, 37.50, 4326)), '2024-01-01Z', NULL, 'planner', 'initial'),
          ('D2', ST_Multi(ST_MakeEnvelope(118.56, 37.35, 118.70, 37.50, 4326)), '2024-01-01Z', NULL, 'planner', 'initial'),
          ('D3', ST_Multi(ST_Difference(ST_MakeEnvelope(118.70, 37.35, 118.80, 37.50, 4326), ST_MakeEnvelope(118.75, 37.40, 118.77, 37.42, 4326))),
           '2024-01-01Z', NULL, 'planner', 'initial');
        INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code) VALUES
          ('W1', ST_SetSRID(ST_MakePoint(118.555, 37.40), 4326), 'oil', 'producing', true, 'Z1'),
          ('W2', ST_SetSRID(ST_MakePoint(118.555, 37.45), 4326), 'oil', 'idle', false, 'Z1'),
          ('W3', ST_SetSRID(ST_MakePoint(118.76, 37.41), 4326), 'gas', 'producing', true, 'Z2'),
          ('W4', ST_SetSRID(ST_MakePoint(118.45, 37.40), 4326), 'oil', 'producing', false, 'Z1');
        INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status) VALUES
          ('I1', 'casing_theft', now() - interval '30 days', now() - interval '29 days', 'patrol', ST_SetSRID(ST_MakePoint(118.761, 37.411), 4326), 1, 'open'),
          ('I2', 'pipeline_tapping', now() - interval '20 days', now() - interval '19 days', 'video', ST_SetSRID(ST_MakePoint(118.765, 37.405), 4326), 0, 'open'),
          ('I3', 'casing_theft', now() - interval '400 days', now() - interval '399 days', 'patrol', ST_SetSRID(ST_MakePoint(118.762, 37.412), 4326), 0, 'closed'),
          ('I4', 'equipment_theft', now() - interval '10 days', now() - interval '9 days', 'police', ST_SetSRID(ST_MakePoint(118.555, 37.42), 4326), 0, 'open');
        """;

    public GapsServer() : base(migrate: true) { }

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    private string _token = "";

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await using (var cmd = DataSource.CreateCommand(Fixture)) await cmd.ExecuteNonQueryAsync();
        var users = new UserRepository(DataSource);
        await users.AddAsync(new User("tester", "Tester", Role.Analyst, null), "gaps-secret-1");
        _token = await users.CreateApiTokenAsync("tester");
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("MAPCONTROL_DB", ConnectionString)
            .UseSetting("MapControl:SignInLimit:PermitsPerWindow", "100000"));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
        await DisposeAsync();
    }

    /// <summary>A client that sends the token.</summary>
    public HttpClient Client()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return client;
    }

    /// <summary>A scalar query as double.</summary>
    public async Task<double> ScalarDoubleAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return Convert.ToDouble(await cmd.ExecuteScalarAsync());
    }
}

/// <summary>The OGC gaps collection serves the gaps of Core's CoverageCheck over the AnalysisSource input, as the CLI's --from-db.</summary>
public sealed class OgcGapsTests(GapsServer server) : IClassFixture<GapsServer>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string? Link(JsonElement e, string rel) =>
        e.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == rel).Select(l => l.GetProperty("href").GetString()).FirstOrDefault();

    private static string Departments(JsonElement feature) =>
        string.Join(",", feature.GetProperty("properties").GetProperty("departments").EnumerateArray().Select(d => d.GetString()));

    private async Task<CoverageReport> CliCheckAsync() =>
        CoverageCheck.Run(await new AnalysisSource(server.DataSource).LoadCoverageInputAsync(), new CoverageOptions());

    [Fact]
    public async Task Items_equal_CoverageCheck_of_the_AnalysisSource_input()
    {
        using var client = server.Client();
        var json = await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items?limit=100"));
        var expected = (await CliCheckAsync()).Gaps;

        expected.Should().HaveCount(2);
        json.GetProperty("numberMatched").GetInt64().Should().Be(2);
        json.GetProperty("numberReturned").GetInt64().Should().Be(2);
        var features = json.GetProperty("features").EnumerateArray().ToList();
        features.Select(f => f.GetProperty("id").GetInt32()).Should().Equal(1, 2);
        for (var i = 0; i < expected.Count; i++)
        {
            var p = features[i].GetProperty("properties");
            p.GetProperty("kind").GetString().Should().Be("gap");
            p.GetProperty("area_m2").GetDouble().Should().Be(Math.Round(expected[i].AreaM2, 3));
            p.GetProperty("width_m").GetDouble().Should().Be(Math.Round(expected[i].WidthM, 3));
            Departments(features[i]).Should().Be(string.Join(",", expected[i].Departments));
            p.GetProperty("wells").GetInt32().Should().Be(expected[i].Wells);
            p.GetProperty("key_wells").GetInt32().Should().Be(expected[i].KeyWells);
            p.GetProperty("incidents_12m").GetInt32().Should().Be(expected[i].Incidents);
            p.GetProperty("risk").GetDouble().Should().Be(Math.Round(expected[i].RiskScore, 3));
            features[i].GetProperty("geometry").GetProperty("type").GetString().Should().Be("Polygon");
        }
    }

    [Fact]
    public async Task Items_are_the_strip_of_D1_D2_and_the_hole_of_D3_with_geodesic_areas()
    {
        using var client = server.Client();
        var features = (await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items"))).GetProperty("features").EnumerateArray().ToList();

        // Independent: PostGIS geodesic areas of the two boxes.
        var strip = features.Single(f => Departments(f) == "D1,D2").GetProperty("properties");
        var stripArea = await server.ScalarDoubleAsync("SELECT ST_Area(ST_MakeEnvelope(118.55, 37.35, 118.56, 37.50, 4326)::geography)");
        strip.GetProperty("area_m2").GetDouble().Should().BeApproximately(stripArea, stripArea * 0.001);
        strip.GetProperty("wells").GetInt32().Should().Be(2);
        strip.GetProperty("key_wells").GetInt32().Should().Be(1);
        strip.GetProperty("incidents_12m").GetInt32().Should().Be(1);
        var hole = features.Single(f => Departments(f) == "D3").GetProperty("properties");
        var holeArea = await server.ScalarDoubleAsync("SELECT ST_Area(ST_MakeEnvelope(118.75, 37.40, 118.77, 37.42, 4326)::geography)");
        hole.GetProperty("area_m2").GetDouble().Should().BeApproximately(holeArea, holeArea * 0.001);
        hole.GetProperty("incidents_12m").GetInt32().Should().Be(2, "I3 is older than 12 months");
    }

    [Fact]
    public async Task Items_limit_1_pages_by_next_link_and_bbox_selects_the_hole()
    {
        using var client = server.Client();
        var first = await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items?limit=1"));
        first.GetProperty("numberMatched").GetInt64().Should().Be(2);
        first.GetProperty("numberReturned").GetInt64().Should().Be(1);
        var next = Link(first, "next");
        next.Should().NotBeNull();
        var second = await JsonAsync(await client.GetAsync(next));
        second.GetProperty("features")[0].GetProperty("id").GetInt32().Should().Be(2);
        Link(second, "next").Should().BeNull();

        var box = await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items?bbox=118.74,37.39,118.78,37.43"));
        box.GetProperty("numberMatched").GetInt64().Should().Be(1);
        Departments(box.GetProperty("features")[0]).Should().Be("D3");
        var none = await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items?bbox=118.41,37.36,118.42,37.37"));
        none.GetProperty("numberMatched").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task Item_by_rank_returns_the_gap_and_unknown_id_404()
    {
        using var client = server.Client();
        var items = await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items"));
        var one = await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items/2"));
        one.GetProperty("id").GetInt32().Should().Be(2);
        one.GetProperty("properties").GetProperty("area_m2").GetDouble()
            .Should().Be(items.GetProperty("features")[1].GetProperty("properties").GetProperty("area_m2").GetDouble());

        (await client.GetAsync("/ogc/collections/gaps/items/3")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/ogc/collections/gaps/items/strip")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Items_html_and_collection_queryables_work_for_gaps()
    {
        using var client = server.Client();
        var html = await (await client.GetAsync("/ogc/collections/gaps/items?f=html")).Content.ReadAsStringAsync();
        html.Should().Contain("<table>").And.Contain("/ogc/collections/gaps/items/1");
        (await client.GetAsync("/ogc/collections/gaps/items?department_code=D1")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var collection = await JsonAsync(await client.GetAsync("/ogc/collections/gaps"));
        collection.GetProperty("id").GetString().Should().Be("gaps");
    }

    [Fact]
    public async Task Items_after_a_saved_version_reflect_the_new_jurisdiction()
    {
        using var client = server.Client();
        (await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items"))).GetProperty("numberMatched").GetInt64().Should().Be(2);
        var repository = new JurisdictionRepository(server.DataSource);
        var d2 = (await repository.GetCurrentAsync()).Single(j => j.DepartmentCode == "D2");
        var reader = new WKTReader();
        var closed = (MultiPolygon)reader.Read("MULTIPOLYGON (((118.55 37.35, 118.70 37.35, 118.70 37.50, 118.55 37.50, 118.55 37.35)))");
        closed.SRID = 4326;
        var edits = new VersionedEdits(server.DataSource);
        var admin = new User("gaps-planner", "Gaps planner", Role.Planner, null);
        var users = new UserRepository(server.DataSource);
        if (await users.GetAsync(admin.UserName) is null) await users.AddAsync(admin, "gaps-planner-1");
        var saved = await edits.SaveAsync(VersionedLayer.Jurisdiction, "D2", d2.Id, closed, admin, "close the strip");
        saved.Outcome.Should().Be(SaveOutcome.Saved);
        try
        {
            var after = await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items"));
            after.GetProperty("numberMatched").GetInt64().Should().Be(1);
            Departments(after.GetProperty("features")[0]).Should().Be("D3");
        }
        finally
        {
            var original = (MultiPolygon)reader.Read(GapsServer.D2Wkt);
            original.SRID = 4326;
            (await edits.SaveAsync(VersionedLayer.Jurisdiction, "D2", saved.VersionId!.Value, original, admin, "reopen the strip")).Outcome.Should().Be(SaveOutcome.Saved);
        }
        (await JsonAsync(await client.GetAsync("/ogc/collections/gaps/items"))).GetProperty("numberMatched").GetInt64().Should().Be(2);
    }
}
