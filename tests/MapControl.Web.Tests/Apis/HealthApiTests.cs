using System.Net;
using System.Text.Json;
using MapControl.Data.Tests.PostGis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MapControl.Web.Tests.Apis;

public sealed class HealthApiTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static WebApplicationFactory<Program> Factory(string connectionString) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("MAPCONTROL_DB", connectionString));

    [Fact]
    public async Task GetHealth_database_reachable_returns_ok_with_postgis_version_and_counts()
    {
        await database.TruncateAsync();
        await using (var insert = database.DataSource.CreateCommand(
            "INSERT INTO department (code, name, colour) VALUES ('D1', '河口', '#1f77b4'), ('D2', '孤岛', '#ff7f0e')"))
            await insert.ExecuteNonQueryAsync();
        var expectedVersion = await database.ScalarAsync<string>("SELECT PostGIS_Lib_Version()");

        await using var factory = Factory(database.ConnectionString);
        using var client = factory.CreateClient();
        // The version and counts are for a signed-in caller (anonymous callers learn only up or down).
        await using (var user = database.DataSource.CreateCommand(
            "INSERT INTO app_user (user_name, display_name, role, password_hash) VALUES ('health-reader', 'H', 'analyst', 'x')"))
            await user.ExecuteNonQueryAsync();
        var token = await new MapControl.Data.PostGis.Repositories.UserRepository(database.DataSource).CreateApiTokenAsync("health-reader");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("/api/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        root.GetProperty("status").GetString().Should().Be("ok");
        root.GetProperty("postgis").GetString().Should().Be(expectedVersion).And.StartWith("3.");
        var counts = root.GetProperty("counts");
        counts.EnumerateObject().Select(p => p.Name).Should().Equal("oil_zones", "departments", "jurisdictions", "patrol_zones",
            "wells", "key_wells", "cameras", "idle_sites", "incidents", "gps_points");
        counts.GetProperty("departments").GetInt64().Should().Be(2);
        counts.GetProperty("wells").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task GetHealth_database_unreachable_returns_503_problem_details()
    {
        await using var factory = Factory("Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2");
        using var response = await factory.CreateClient().GetAsync("/api/health");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("status").GetInt32().Should().Be(503);
        json.RootElement.GetProperty("title").GetString().Should().Be("Database unavailable");
        json.RootElement.GetProperty("detail").GetString().Should().Be("The database is unavailable.", "the connection error stays in the log");
    }
}
