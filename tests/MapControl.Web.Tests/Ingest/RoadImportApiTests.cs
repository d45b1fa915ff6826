using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Tests.Ogc;

namespace MapControl.Web.Tests.Ingest;

/// <summary>POST /api/import with layer=roads: a planner of the centre replaces the road network (noded); others are refused.</summary>
[Collection(InteropCollection.Name)]
public sealed class RoadImportApiTests(InteropServer server)
{
    private const string Roads = """
        {"type":"FeatureCollection","features":[
         {"type":"Feature","properties":{"name":"东西路","kind":"primary"},"geometry":{"type":"LineString","coordinates":[[118.50,37.50],[118.52,37.50]]}},
         {"type":"Feature","properties":{"name":"南北路","kind":"secondary"},"geometry":{"type":"LineString","coordinates":[[118.51,37.49],[118.51,37.51]]}}]}
        """;

    private async Task<HttpClient> ClientAsync(string user, Role role, string? department = null)
    {
        var users = new UserRepository(server.DataSource);
        if (await users.GetAsync(user) is null) await users.AddAsync(new User(user, user, role, department), "road-secret-1");
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await users.CreateApiTokenAsync(user));
        return client;
    }

    private static MultipartFormDataContent Form(string geojson) => new()
    {
        { new StringContent("roads"), "layer" },
        { new ByteArrayContent(Encoding.UTF8.GetBytes(geojson)), "file", "roads.geojson" },
        { new StringContent("false"), "dryRun" },
    };

    [Fact]
    public async Task A_planner_replaces_the_road_network_and_a_commander_or_a_department_planner_may_not()
    {
        using var commander = await ClientAsync("road-commander", Role.Commander);
        (await commander.PostAsync("/api/import", Form(Roads))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var departmentPlanner = await ClientAsync("road-planner-d1", Role.Planner, "D1");
        (await departmentPlanner.PostAsync("/api/import", Form(Roads))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await server.CountAsync("SELECT count(*) FROM road_segment WHERE name IN ('东西路', '南北路')")).Should().Be(0);

        using var planner = await ClientAsync("road-planner", Role.Planner);
        var response = await planner.PostAsync("/api/import", Form(Roads));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        response.StatusCode.Should().Be(HttpStatusCode.OK, json.ToString());
        json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).Should().Contain(n => n!.Contains("noded into 4 segments"));
        (await server.CountAsync("SELECT count(*) FROM road_segment")).Should().Be(4, "the two roads are cut where they cross");
    }
}
