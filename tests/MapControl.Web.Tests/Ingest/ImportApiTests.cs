using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Tests.Ogc;

namespace MapControl.Web.Tests.Ingest;

[Collection(InteropCollection.Name)]
public sealed class ImportApiTests(InteropServer server)
{
    private const string Routes = """
        {"type":"FeatureCollection","features":[
         {"type":"Feature","properties":{"ROUTE":"R9","DEPT":"D1","NAME":"九号线"},"geometry":{"type":"LineString","coordinates":[[118.41,37.36],[118.45,37.40]]}}]}
        """;

    private async Task<HttpClient> PlannerAsync()
    {
        var users = new UserRepository(server.DataSource);
        if (await users.GetAsync("planner1") is null) await users.AddAsync(new User("planner1", "Planner", Role.Planner, null), "planner-secret-1");
        var token = await users.CreateApiTokenAsync("planner1");
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static MultipartFormDataContent Form(string geojson, bool dryRun, params string[] maps)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("patrol-routes"), "layer" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(geojson)), "file", "routes.geojson" },
            { new StringContent(dryRun ? "true" : "false"), "dryRun" },
        };
        foreach (var m in maps) form.Add(new StringContent(m), "map");
        return form;
    }

    [Fact]
    public async Task Import_upload_with_mapping_dry_run_then_commit()
    {
        using var client = await PlannerAsync();
        var dry = await client.PostAsync("/api/import", Form(Routes, true, "code=ROUTE", "department_code=DEPT", "name=NAME"));
        var dryJson = JsonDocument.Parse(await dry.Content.ReadAsStringAsync()).RootElement;
        dry.StatusCode.Should().Be(HttpStatusCode.OK, dryJson.ToString());
        dryJson.GetProperty("inserts").GetInt32().Should().Be(1);
        (await server.CountAsync("SELECT count(*) FROM patrol_route WHERE code = 'R9'")).Should().Be(0);

        var real = await client.PostAsync("/api/import", Form(Routes, false, "code=ROUTE", "department_code=DEPT", "name=NAME"));
        real.StatusCode.Should().Be(HttpStatusCode.OK);
        (await server.CountAsync("SELECT count(*) FROM patrol_route WHERE code = 'R9' AND name = '九号线'")).Should().Be(1);
    }

    [Fact]
    public async Task Import_upload_with_unknown_department_returns_422_with_the_row()
    {
        using var client = await PlannerAsync();
        var response = await client.PostAsync("/api/import", Form(Routes.Replace("\"D1\"", "\"D7\""), false, "code=ROUTE", "department_code=DEPT", "name=NAME"));
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        json.GetProperty("rejections")[0].GetProperty("reason").GetString().Should().Be("unknown department 'D7'");
    }

    [Fact]
    public async Task Import_by_an_analyst_is_forbidden()
    {
        using var client = server.Client(); // "tester" is an analyst
        var response = await client.PostAsync("/api/import", Form(Routes, true));
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
