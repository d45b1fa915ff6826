using System.Globalization;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Core.Tests.Spatial;
using MapControl.Data.Analysis;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Data.Tests.PostGis;

/// <summary>
/// Incident attribution with real PostGIS on the awkward cases (overlap, shared boundary, hole, redraw, outside, before any
/// version): every way an incident is written stores what the Core rule gives, which an independent PostGIS formulation of the
/// documented rule confirms, and the KPIs loaded from the database count the same departments.
/// </summary>
public sealed class IncidentAttributionPostGisTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly IReadOnlyList<IncidentAttributionCases.Case> Cases = IncidentAttributionCases.All;

    /// <summary>
    /// The documented rule written directly in SQL (test oracle, not used by the application): the map in force at occurred_at, or
    /// the first one after it when none was in force; ST_Covers (boundary included); the smallest code in byte order.
    /// </summary>
    internal const string OracleSql = """
        WITH m AS (
            SELECT i.code, i.geom,
                   CASE WHEN EXISTS (SELECT 1 FROM jurisdiction j
                                      WHERE j.valid_from <= i.occurred_at AND (j.valid_to IS NULL OR i.occurred_at < j.valid_to))
                        THEN i.occurred_at
                        ELSE (SELECT min(j.valid_from) FROM jurisdiction j WHERE j.valid_from > i.occurred_at) END AS t
              FROM incident i)
        SELECT m.code,
               (SELECT j.department_code FROM jurisdiction j
                 WHERE j.valid_from <= m.t AND (j.valid_to IS NULL OR m.t < j.valid_to) AND ST_Covers(j.geom, m.geom)
                 ORDER BY j.department_code COLLATE "C" LIMIT 1),
               (SELECT z.code FROM oil_zone z WHERE ST_Covers(z.geom, m.geom) ORDER BY z.code COLLATE "C" LIMIT 1)
          FROM m ORDER BY m.code
        """;

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        foreach (var code in new[] { "A", "B", "C", "D" })
            await DepartmentRepository.InsertAsync(connection, new Department(code, "部门 " + code, "#123456"));
        foreach (var zone in IncidentAttributionCases.OilZones) await OilZoneRepository.InsertAsync(connection, zone);
        foreach (var j in IncidentAttributionCases.Jurisdictions) await JurisdictionRepository.InsertAsync(connection, j);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Dictionary<string, (string? Department, string? Zone)>> StoredAsync() =>
        await ReadAsync("SELECT code, department_code, oil_zone_code FROM incident ORDER BY code");

    private async Task<Dictionary<string, (string? Department, string? Zone)>> ReadAsync(string sql)
    {
        var result = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        await using var command = database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        return result;
    }

    private static Dictionary<string, (string? Department, string? Zone)> Expected() =>
        Cases.ToDictionary(c => c.Code, c => (c.Department, c.OilZone), StringComparer.Ordinal);

    /// <summary>The stored columns are the expected ones, the Core rule's and the SQL oracle's.</summary>
    private async Task StoredShouldFollowTheRuleAsync()
    {
        var stored = await StoredAsync();
        stored.Should().BeEquivalentTo(Expected());
        (await ReadAsync(OracleSql)).Should().BeEquivalentTo(Expected(), "PostGIS, asked the documented rule directly, agrees");
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var rule = await IncidentRepository.LoadAttributionAsync(connection);
        foreach (var c in Cases) rule.Attribute(c.Incident).Should().Be(stored[c.Code], c.What);
    }

    [Fact]
    public async Task InsertAsync_storesTheRulesDepartmentAndZone()
    {
        var repository = new IncidentRepository(database.DataSource);
        foreach (var c in Cases) await repository.InsertAsync(c.Incident);

        await StoredShouldFollowTheRuleAsync();
    }

    [Fact]
    public async Task BulkInsertAsync_storesTheRulesDepartmentAndZone()
    {
        await new IncidentRepository(database.DataSource).BulkInsertAsync(Cases.Select(c => c.Incident).ToList());

        await StoredShouldFollowTheRuleAsync();
    }

    [Fact]
    public async Task SeedLoader_storesTheRulesDepartmentAndZone()
    {
        await database.TruncateAsync();
        var dataset = new SampleDataset(IncidentAttributionCases.OilZones,
            new[] { "A", "B", "C", "D" }.Select(d => new Department(d, "部门 " + d, "#123456")).ToList(),
            IncidentAttributionCases.Jurisdictions, [], [], [], [], Cases.Select(c => c.Incident).ToList(), [], [], [], []);

        await SeedLoader.LoadAsync(database.DataSource, dataset);

        await StoredShouldFollowTheRuleAsync();
    }

    [Fact]
    public async Task LayerImport_incidents_attributedByTheRule_fileAttributionIgnored()
    {
        // Every feature claims department D and zone Z2: the file's attribution is not the rule's and is not stored.
        var features = string.Join(",\n", Cases.Select(c => string.Create(CultureInfo.InvariantCulture,
            $$$"""{"type":"Feature","properties":{"code":"{{{c.Code}}}","kind":"casing_theft","occurred_at":"{{{c.At.UtcDateTime:O}}}","discovered_by":"patrol","department_code":"D","oil_zone_code":"Z2"},"geometry":{"type":"Point","coordinates":[{{{c.Lon}}},{{{c.Lat}}}]}}""")));
        var set = FeatureFiles.ReadGeoJson($$"""{"type":"FeatureCollection","features":[{{features}}]}""");

        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, set, new ImportOptions(), default);

        report.Rejections.Should().BeEmpty();
        report.Committed.Should().BeTrue();
        await StoredShouldFollowTheRuleAsync();
    }

    [Fact]
    public async Task AttributeAsync_afterAnOilZoneEdit_reattributesOnlyWhatChanged()
    {
        await new IncidentRepository(database.DataSource).BulkInsertAsync(Cases.Select(c => c.Incident).ToList());
        // Z2 now starts at lon 118.9: the incidents between 118.6 and 118.9 leave it.
        await using (var shrink = database.DataSource.CreateCommand(
            "UPDATE oil_zone SET geom = ST_Multi(ST_MakeEnvelope(118.9, 37.0, 119.2, 37.6, 4326)) WHERE code = 'Z2'"))
            await shrink.ExecuteNonQueryAsync();

        var changed = await new IncidentRepository(database.DataSource).AttributeAsync();

        var leaving = Cases.Where(c => c.OilZone == "Z2" && c.Lon < 118.9).Select(c => c.Code).ToList();
        leaving.Should().NotBeEmpty();
        changed.Should().Be(leaving.Count);
        var stored = await StoredAsync();
        foreach (var c in Cases) stored[c.Code].Zone.Should().Be(leaving.Contains(c.Code) ? null : c.OilZone, c.What);
        (await ReadAsync(OracleSql)).Should().BeEquivalentTo(stored);
        (await new IncidentRepository(database.DataSource).AttributeAsync()).Should().Be(0, "nothing is left to change");
    }

    [Fact]
    public async Task Kpi_loadedFromTheDatabase_countsTheStoredDepartment()
    {
        await new IncidentRepository(database.DataSource).BulkInsertAsync(Cases.Select(c => c.Incident).ToList());
        var from = Cases.Min(c => c.At).AddDays(-1);
        var to = Cases.Max(c => c.At).AddDays(1);

        var input = await new AnalysisSource(database.DataSource).LoadKpiInputAsync(from, to);
        var report = KpiCalculator.Compute(input, new KpiOptions { From = from, To = to });

        var stored = await StoredAsync();
        foreach (var department in new[] { "A", "B", "C", "D" })
            report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == department).Cases
                .Should().Be(stored.Values.Count(v => v.Department == department), department)
                .And.Be(Cases.Count(c => c.Department == department));
        foreach (var zone in new[] { "Z1", "Z2" })
            report.Rows.Single(r => r.ScopeKind == KpiScopeKind.OilZone && r.ScopeKey == zone).Cases
                .Should().Be(stored.Values.Count(v => v.Zone == zone), zone);
        report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Centre).Cases.Should().Be(Cases.Count);
        report.IncidentsWithoutDepartment.Should().Be(stored.Values.Count(v => v.Department is null));
        report.IncidentsWithoutOilZone.Should().Be(stored.Values.Count(v => v.Zone is null));
    }

    [Fact]
    public async Task LoadKpiInputAsync_readsExactlyTheIncidentWindow()
    {
        // from = 2025-03-01 02:00 CST = 2025-02-28 18:00 UTC: one CST year earlier is 2024-03-01 02:00 CST = 2024-02-29 18:00 UTC,
        // while from.AddYears(-1) on the UTC clock would be 2024-02-28 18:00 UTC (a day too early).
        var from = new DateTimeOffset(2025, 2, 28, 18, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(10);
        var (windowFrom, windowTo) = KpiCalculator.IncidentWindow(from, to);
        windowFrom.Should().Be(new DateTimeOffset(2024, 2, 29, 18, 0, 0, TimeSpan.Zero));
        windowTo.Should().Be(to);
        var pt = IncidentAttributionCases.All[0];
        Incident At(string code, DateTimeOffset t) => pt.Incident with { Code = code, OccurredAt = t, DiscoveredAt = t };
        await new IncidentRepository(database.DataSource).BulkInsertAsync(
        [
            At("BEFORE", windowFrom.AddTicks(-10)), At("FIRST", windowFrom), At("LAST", windowTo.AddTicks(-10)), At("AFTER", windowTo),
        ]);

        var input = await new AnalysisSource(database.DataSource).LoadKpiInputAsync(from, to);

        input.Cases.Select(i => i.OccurredAt).Order().Should().Equal([windowFrom, windowTo.AddTicks(-10)], "FIRST and LAST");
        var report = KpiCalculator.Compute(input, new KpiOptions { From = from, To = to });
        report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Centre).CasesLastYear.Should().Be(1, "FIRST opens the year-before period");
    }
}
