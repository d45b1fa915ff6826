using System.Text.Json;
using MapControl.Data.Analysis;
using MapControl.Web.Apis;
using MapControl.Web.Tests.OneMap;
using Microsoft.Extensions.DependencyInjection;

namespace MapControl.Web.Tests.Views;

/// <summary>Issue 12 item 5 on the server side, against PostGIS: the gap list's window risk, department-filtered layers, the KPI CSV.</summary>
public sealed class OneMapViewsApiTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    [Theory]
    [InlineData("2000-01-01T00:00:00+08:00", "2100-01-01T00:00:00+08:00")]
    [InlineData("2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00")]
    [InlineData("2026-10-01T00:00:00+08:00", "2026-10-08T00:00:00+08:00")]
    public async Task Gap_risk_in_a_window_counts_the_incidents_postgis_finds_in_each_gap_in_that_window(string fromText, string toText)
    {
        var (from, to) = (DateTimeOffset.Parse(fromText), DateTimeOffset.Parse(toText));
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var scope = factory.Services.CreateScope();
        // The commander's list over a window: Core's GapRiskInWindow through Data's CoverageGaps.InWindowAsync.
        var rows = CommanderApi.Gaps(await scope.ServiceProvider.GetRequiredService<CoverageService>().InWindowAsync(from, to, CancellationToken.None));
        rows.Should().NotBeEmpty();
        rows.Select(r => r.Rank).Should().Equal(Enumerable.Range(1, rows.Count));
        rows.Select(r => r.Risk).Should().BeInDescendingOrder();
        var weights = new MapControl.Core.Coverage.CoverageOptions().Risk;
        foreach (var r in rows)
        {
            var expected = await database.ScalarAsync<long>($"""
                SELECT count(*) FROM incident
                WHERE occurred_at >= '{from:O}' AND occurred_at < '{to:O}' AND ST_Contains(ST_SetSRID(ST_GeomFromGeoJSON('{r.GeoJson}'), 4326), geom)
                """);
            r.Incidents.Should().Be((int)expected, $"gap {r.DepartmentNames} {r.AreaM2:0} m²");
            r.Risk.Should().BeApproximately(weights.Score((int)expected, r.KeyWells, r.Wells, r.AreaM2), 0.01);
        }
    }

    [Fact]
    public async Task Gaps_overlaps_and_blank_strips_layers_keep_the_chosen_departments_features()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "commander");
        foreach (var layer in new[] { "gaps", "overlaps" })
        {
            var all = JsonDocument.Parse(await client.GetStringAsync($"/api/layers/{layer}")).RootElement.GetProperty("features").EnumerateArray().ToArray();
            all.Should().NotBeEmpty(layer);
            foreach (var code in new[] { "D1", "D2", "D3" })
            {
                var some = JsonDocument.Parse(await client.GetStringAsync($"/api/layers/{layer}?department={code}")).RootElement.GetProperty("features").EnumerateArray().ToArray();
                static IEnumerable<string> Departments(JsonElement f) => f.GetProperty("properties").GetProperty("departments") is var d && d.ValueKind == JsonValueKind.Array
                    ? d.EnumerateArray().Select(x => x.GetString()!) : d.GetString()!.Split(',');
                some.Length.Should().Be(all.Count(f => Departments(f).Contains(code)), $"{layer} of {code}");
                some.Select(f => Departments(f).Contains(code)).Should().NotContain(false);
            }
        }
    }

    [Fact]
    public async Task Kpi_csv_is_in_china_time_and_names_the_kind()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        var csv = await client.GetStringAsync("/api/analysis/kpi.csv?from=2026-08-31T16:00:00Z&to=2026-11-30T16:00:00Z&kind=casing_theft");
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var head = lines[0].Split(',');
        var row = lines[1].Split(',');
        row[Array.IndexOf(head, "from")].Should().Be("2026-09-01T00:00:00+08:00");
        row[Array.IndexOf(head, "to")].Should().Be("2026-12-01T00:00:00+08:00");
        row[Array.IndexOf(head, "kind")].Should().Be("casing_theft");
        var all = await client.GetStringAsync("/api/analysis/kpi.csv?from=2026-08-31T16:00:00Z&to=2026-11-30T16:00:00Z");
        all.Split('\n')[1].Split(',')[Array.IndexOf(head, "kind")].Should().Be("all");
    }
}
