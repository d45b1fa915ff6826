using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Tests.OneMap;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MapControl.Web.Tests.Alerts;

/// <summary>
/// Alert thresholds per department against PostGIS through HTTP: the effective value and its source after set and clear, admins
/// only (403 for everyone else), bounds as 400 problem details, an audit entry per change, a bad appsettings value stops the start,
/// and the alert engine judges arriving fixes with the changed value.
/// </summary>
public sealed class AlertThresholdsApiTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    private async Task<WebApplicationFactory<Program>> FactoryAsync(params (string Key, string Value)[] settings)
    {
        await database.ReloadAsync(keepUsers: true);
        await using (var cmd = database.DataSource.CreateCommand("DELETE FROM alert_threshold; DELETE FROM audit_log WHERE entity = 'alert_threshold'"))
            await cmd.ExecuteNonQueryAsync();
        return OneMapWeb.Factory(database.ConnectionString, b =>
        {
            b.UseSetting("MapControl:Reports:Schedule", "false");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
        });
    }

    private static async Task<JsonElement> ScopeAsync(HttpClient admin, string? department)
    {
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/admin/alert-thresholds");
        return all.EnumerateArray().Single(s => s.GetProperty("department").GetString() == department);
    }

    private static (double Value, string Source, double? Stored) Threshold(JsonElement scope, string name)
    {
        var t = scope.GetProperty("thresholds").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        return (t.GetProperty("value").GetDouble(), t.GetProperty("source").GetString()!,
            t.GetProperty("stored").ValueKind == JsonValueKind.Null ? null : t.GetProperty("stored").GetDouble());
    }

    [Fact]
    public async Task Set_and_clear_change_the_effective_value_and_its_source_and_are_audited()
    {
        await using var factory = await FactoryAsync(("Alerts:device_silent_minutes", "45"));
        using var admin = await OneMapWeb.SignedInClientAsync(factory, "admin");

        var all = await admin.GetFromJsonAsync<JsonElement>("/api/admin/alert-thresholds");
        all.EnumerateArray().Select(s => s.GetProperty("department").GetString()).Should().Equal(null, "D1", "D2", "D3");
        Threshold(await ScopeAsync(admin, "D1"), "device_silent_minutes").Should().Be((45, "appsettings", null));
        Threshold(await ScopeAsync(admin, "D1"), "outside_zone_minutes").Should().Be((10, "default", null));

        (await admin.PutAsJsonAsync("/api/alerts/thresholds", new { name = "outside_zone_minutes", value = 20 })).StatusCode.Should().Be(HttpStatusCode.OK);
        using var put = await admin.PutAsJsonAsync("/api/alerts/thresholds", new { department = "D1", name = "outside_zone_minutes", value = 5 });
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        var after = await put.Content.ReadFromJsonAsync<JsonElement>();
        after.GetProperty("department").GetString().Should().Be("D1");
        Threshold(after, "outside_zone_minutes").Should().Be((5, "department", 5));
        Threshold(await ScopeAsync(admin, "D2"), "outside_zone_minutes").Should().Be((20, "centre", null));
        Threshold(await ScopeAsync(admin, null), "outside_zone_minutes").Should().Be((20, "centre", 20));
        (await admin.GetFromJsonAsync<JsonElement>("/api/alerts/thresholds?department=D1")).GetProperty("outside_zone_minutes").GetDouble().Should().Be(5);
        (await admin.GetFromJsonAsync<JsonElement>("/api/alerts/thresholds?department=D2")).GetProperty("outside_zone_minutes").GetDouble().Should().Be(20);

        using var clear = await admin.DeleteAsync("/api/alerts/thresholds?department=D1&name=outside_zone_minutes");
        clear.StatusCode.Should().Be(HttpStatusCode.OK);
        Threshold(await clear.Content.ReadFromJsonAsync<JsonElement>(), "outside_zone_minutes").Should().Be((20, "centre", null), "D1 inherits the centre's again");
        (await admin.DeleteAsync("/api/alerts/thresholds?name=outside_zone_minutes")).StatusCode.Should().Be(HttpStatusCode.OK);
        Threshold(await ScopeAsync(admin, "D1"), "outside_zone_minutes").Should().Be((10, "default", null));
        (await admin.DeleteAsync("/api/alerts/thresholds?name=outside_zone_minutes")).StatusCode.Should().Be(HttpStatusCode.OK, "clearing what is not stored changes nothing");

        (await database.ScalarAsync<long>("SELECT count(*) FROM alert_threshold")).Should().Be(0);
        (await database.ScalarAsync<string>("""
            SELECT string_agg(action || ' ' || entity_key || ' ' || coalesce(before ->> 'value', '-') || '→' || coalesce(after ->> 'value', '-'), '; ' ORDER BY id)
            FROM audit_log WHERE entity = 'alert_threshold' AND actor = 'admin'
            """)).Should().Be("set_threshold centre/outside_zone_minutes -→20; set_threshold D1/outside_zone_minutes -→5; "
                              + "clear_threshold D1/outside_zone_minutes 5→-; clear_threshold centre/outside_zone_minutes 20→-");
    }

    [Fact]
    public async Task Non_admins_get_403_on_the_table_and_every_write_and_a_departments_admin_writes_only_its_own()
    {
        await using var factory = await FactoryAsync();
        foreach (var user in new[] { "analyst", "planner", "commander" })
        {
            using var client = await OneMapWeb.SignedInClientAsync(factory, user);
            (await client.GetAsync("/api/admin/alert-thresholds")).StatusCode.Should().Be(HttpStatusCode.Forbidden, user);
            using var put = await client.PutAsJsonAsync("/api/alerts/thresholds", new { department = "D1", name = "outside_zone_minutes", value = 5 });
            put.StatusCode.Should().Be(HttpStatusCode.Forbidden, user);
            put.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await put.Content.ReadAsStringAsync()).Should().Contain("Only admins set alert thresholds.");
            (await client.DeleteAsync("/api/alerts/thresholds?name=outside_zone_minutes")).StatusCode.Should().Be(HttpStatusCode.Forbidden, user);
            var page = await (await client.GetAsync("/admin/alert-thresholds")).Content.ReadAsStringAsync();
            page.Should().NotContain("threshold-row", "the admin page shows no thresholds to " + user);
            (await client.GetAsync("/api/alerts/thresholds")).StatusCode.Should().Be(HttpStatusCode.OK, "reading the values in effect is for everyone signed in");
        }
        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await anonymous.PutAsJsonAsync("/api/alerts/thresholds", new { name = "outside_zone_minutes", value = 5 })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var users = new UserRepository(database.DataSource);
        if (await users.GetAsync("admin-d1") is null) await users.AddAsync(new User("admin-d1", "admin-d1", Role.Admin, "D1"), OneMapWeb.DemoPassword);
        using var departmentAdmin = await OneMapWeb.SignedInClientAsync(factory, "admin-d1");
        (await departmentAdmin.PutAsJsonAsync("/api/alerts/thresholds", new { department = "D1", name = "stationary_minutes", value = 20 }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await departmentAdmin.PutAsJsonAsync("/api/alerts/thresholds", new { department = "D2", name = "stationary_minutes", value = 20 }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await departmentAdmin.PutAsJsonAsync("/api/alerts/thresholds", new { name = "stationary_minutes", value = 20 }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "the centre's values are the centre admin's");

        (await database.ScalarAsync<string>("SELECT string_agg(coalesce(department_code, 'centre') || ':' || name, ',') FROM alert_threshold"))
            .Should().Be("D1:stationary_minutes");
    }

    [Fact]
    public async Task Values_out_of_bounds_unknown_names_and_departments_are_400_problem_details_and_nothing_changes()
    {
        await using var factory = await FactoryAsync();
        using var admin = await OneMapWeb.SignedInClientAsync(factory, "admin");
        var bad = new object[]
        {
            new { department = "D1", name = "outside_zone_minutes", value = 0.0 },
            new { department = "D1", name = "outside_zone_minutes", value = 31.0 },
            new { department = "D1", name = "stationary_minutes", value = 60.0 },
            new { department = "D1", name = "key_well_radius_m", value = -5.0 },
            new { department = "D1", name = "no_such_threshold", value = 5.0 },
            new { department = "NOPE", name = "outside_zone_minutes", value = 5.0 },
        };
        foreach (var body in bad)
        {
            using var response = await admin.PutAsJsonAsync("/api/alerts/thresholds", body);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, JsonSerializer.Serialize(body));
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("status").GetInt32().Should().Be(400);
            problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        }
        var outOfRange = await (await admin.PutAsJsonAsync("/api/alerts/thresholds", new { department = "D1", name = "outside_zone_minutes", value = 31 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        outOfRange.GetProperty("detail").GetString().Should().Contain("outside_zone_minutes must be a number from 1 to 30 min");
        using var malformed = await admin.PutAsync("/api/alerts/thresholds", new StringContent("{\"name\": \"stationary_minutes\", \"value\": \"ten\"}",
            Encoding.UTF8, "application/json"));
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        malformed.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await admin.PutAsJsonAsync("/api/alerts/thresholds", new { name = "stationary_minutes" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.DeleteAsync("/api/alerts/thresholds")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.GetAsync("/api/alerts/thresholds?department=NOPE")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        (await database.ScalarAsync<long>("SELECT count(*) FROM alert_threshold")).Should().Be(0);
        (await database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE entity = 'alert_threshold'")).Should().Be(0);
    }

    [Fact]
    public async Task A_threshold_in_appsettings_out_of_its_bounds_stops_the_start_with_its_reason()
    {
        await using var factory = await FactoryAsync(("Alerts:stationary_minutes", "90"));
        var start = () => factory.CreateClient();
        start.Should().Throw<InvalidOperationException>().WithMessage("*Alerts:stationary_minutes*from 5 to 30 min*");
    }

    [Fact]
    public async Task The_engine_judges_arriving_fixes_with_the_changed_threshold()
    {
        await using var factory = await FactoryAsync();
        // U9 belongs to D1 (118.400–118.480) and reports from deep in D3's area (118.58) for 6 minutes: under D1's 10 minutes, no alert.
        await using (var unit = database.DataSource.CreateCommand("INSERT INTO patrol_unit VALUES ('U9', 'D1', '纯梁机动队', 'dev-u9')"))
            await unit.ExecuteNonQueryAsync();
        using var admin = await OneMapWeb.SignedInClientAsync(factory, "admin");
        var now = DateTimeOffset.UtcNow;
        static string Fix(DateTimeOffset t) =>
            $$"""{"id":"dev-u9","lat":37.45,"lon":118.58,"timestamp":{{t.ToUnixTimeSeconds()}},"speed_kmh":20}""" + "\n";
        var body = new StringBuilder();
        for (var m = 6; m >= 1; m--) body.Append(Fix(now.AddMinutes(-m)));
        (await (await admin.PostAsync("/ingest/ndjson", new StringContent(body.ToString()))).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("inserted").GetInt32().Should().Be(6);
        await Task.Delay(1500);
        async Task<long> OpenAsync() => await database.ScalarAsync<long>("SELECT count(*) FROM alert WHERE kind = 'outside_zone' AND unit_code = 'U9' AND status = 'open'");
        (await OpenAsync()).Should().Be(0, "6 minutes outside is under the default 10");

        (await admin.PutAsJsonAsync("/api/alerts/thresholds", new { department = "D1", name = "outside_zone_minutes", value = 5 })).StatusCode.Should().Be(HttpStatusCode.OK);
        // The next fixes are judged with D1's 5 minutes (the engine reads the change version at most a second after the change).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var second = 0;
        while (await OpenAsync() == 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await admin.PostAsync("/ingest/ndjson", new StringContent(Fix(now.AddSeconds(second++))));
            await Task.Delay(300);
        }
        (await OpenAsync()).Should().Be(1, "the engine picked up D1's threshold within 5 s");
        (await database.ScalarAsync<string>("SELECT text_en FROM alert WHERE kind = 'outside_zone' AND unit_code = 'U9'")).Should().Contain("over 5 min");
    }
}
