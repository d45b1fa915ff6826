using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MapControl.Web.Tests.OneMap;

namespace MapControl.Web.Tests.Apis;

/// <summary><c>/api/admin/labels</c>: only admins list and map labels kept as written; the right is checked on the write path.</summary>
public sealed class LabelsAdminApiTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    /// <summary>The fixture with two incidents carrying the unmapped kind 破坏电缆.</summary>
    private async Task<Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>> FactoryAsync()
    {
        await database.ReloadAsync();
        await using (var cmd = database.DataSource.CreateCommand("""
            DELETE FROM incident_kind WHERE NOT mapped;
            DELETE FROM audit_log WHERE action LIKE '%_label';
            UPDATE incident_kind SET synonyms = array_remove(synonyms, '破坏电缆') WHERE code = 'vandalism';
            INSERT INTO incident_kind (code, label_zh, label_en, mapped, sort_order) VALUES ('破坏电缆', '破坏电缆', '破坏电缆', false, 10000);
            UPDATE incident SET kind = '破坏电缆' WHERE code IN (SELECT code FROM incident ORDER BY code LIMIT 2);
            """)) await cmd.ExecuteNonQueryAsync();
        return OneMapWeb.Factory(database.ConnectionString, b => b.UseSetting("MapControl:Reports:Schedule", "false"));
    }

    private static readonly object MapBody = new { vocabulary = "incident_kind", label = "破坏电缆", code = "vandalism" };

    [Fact]
    public async Task A_non_admin_gets_403_on_list_map_and_keep_and_nothing_changes()
    {
        await using var factory = await FactoryAsync();
        foreach (var user in new[] { "analyst", "planner", "commander" })
        {
            using var client = await OneMapWeb.SignedInClientAsync(factory, user);
            (await client.GetAsync("/api/admin/labels")).StatusCode.Should().Be(HttpStatusCode.Forbidden, user);
            using var map = await client.PostAsJsonAsync("/api/admin/labels/map", MapBody);
            map.StatusCode.Should().Be(HttpStatusCode.Forbidden, user);
            (await map.Content.ReadAsStringAsync()).Should().Contain("Only admins map labels.");
            (await client.PostAsJsonAsync("/api/admin/labels/keep", new { vocabulary = "incident_kind", label = "破坏电缆", labelZh = "破坏电缆", labelEn = "Cable damage" }))
                .StatusCode.Should().Be(HttpStatusCode.Forbidden, user);
            using var page = await client.GetAsync("/admin/labels");
            (await page.Content.ReadAsStringAsync()).Should().NotContain("破坏电缆", "the admin page shows no labels to " + user);
        }
        using var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await anonymous.PostAsJsonAsync("/api/admin/labels/map", MapBody)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        (await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE kind = '破坏电缆'")).Should().Be(2);
        (await database.ScalarAsync<bool>("SELECT NOT mapped FROM incident_kind WHERE code = '破坏电缆'")).Should().BeTrue();
        (await database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action LIKE '%_label'")).Should().Be(0);
    }

    [Fact]
    public async Task An_admin_lists_and_maps_a_label_and_mistakes_are_told()
    {
        await using var factory = await FactoryAsync();
        using var client = await OneMapWeb.SignedInClientAsync(factory, "admin");
        var vandalism = await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE kind = 'vandalism'");

        var list = await client.GetFromJsonAsync<JsonElement>("/api/admin/labels");
        var kept = list.GetProperty("unmapped").EnumerateArray().Single();
        (kept.GetProperty("vocabulary").GetString(), kept.GetProperty("label").GetString(), kept.GetProperty("rows").GetInt64())
            .Should().Be(("incident_kind", "破坏电缆", 2L));
        list.GetProperty("targets").EnumerateArray().Should().Contain(t => t.GetProperty("code").GetString() == "vandalism");

        (await client.PostAsJsonAsync("/api/admin/labels/map", new { vocabulary = "incident_kind", label = "破坏电缆", code = "nope" }))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostAsJsonAsync("/api/admin/labels/map", new { vocabulary = "incident_kind", label = "没有", code = "vandalism" }))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var map = await client.PostAsJsonAsync("/api/admin/labels/map", MapBody);
        map.StatusCode.Should().Be(HttpStatusCode.OK);
        (await map.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows").GetInt64().Should().Be(2);

        (await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE kind = 'vandalism'")).Should().Be(vandalism + 2);
        (await database.ScalarAsync<string>("SELECT actor FROM audit_log WHERE action = 'map_label'")).Should().Be("admin");
        (await client.GetFromJsonAsync<JsonElement>("/api/admin/labels")).GetProperty("unmapped").GetArrayLength().Should().Be(0);
    }
}
