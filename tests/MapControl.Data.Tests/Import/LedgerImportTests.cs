using System.Text;
using MapControl.Core.Labels;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Tests.PostGis;
using MiniExcelLibs;

namespace MapControl.Data.Tests.Import;

/// <summary>The incident-kind vocabulary in PostGIS and the import of ledgers as centres keep them.</summary>
public sealed class LedgerImportTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-ledger-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task ResetAsync()
    {
        await database.TruncateAsync();
        await using var cmd = database.DataSource.CreateCommand("""
            DELETE FROM incident_kind WHERE NOT mapped;
            INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁', '#e41a1c');
            INSERT INTO oil_zone (code, name, geom) VALUES ('Z1', 'zone 1', ST_Multi(ST_MakeEnvelope(118.4, 37.3, 118.7, 37.6, 4326)));
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Migrated_vocabulary_is_the_built_in_one()
    {
        var stored = await new IncidentKindRepository(database.DataSource).LoadAsync(default);

        stored.Terms.Where(t => t.Mapped).Should().BeEquivalentTo(IncidentKinds.Defaults, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Import_of_a_gbk_ledger_stores_codes_keeps_unknown_labels_and_reads_local_times_as_china_time()
    {
        await ResetAsync();
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var path = Path.Combine(_dir, "台账.csv");
        File.WriteAllBytes(path, Encoding.GetEncoding(936).GetBytes(
            "案件编号,发案时间,发现时间,案件类型,发现方式,经度,纬度\r\n" +
            "AJ-1,2025/3/1 8:05,2025/3/1 9:00,套管油被盗,巡逻,118.55,37.45\r\n" +
            "AJ-2,2025年3月2日 22时10分,,破坏电缆,群众举报,118.56,37.46\r\n" +
            "AJ-3,2025-03-03 07:00,2025-03-03 10:00,fuel_theft,video,118.57,37.47\r\n"));

        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(path), new ImportOptions(), default);

        report.Rejections.Should().BeEmpty(string.Join("; ", report.Rejections));
        report.Committed.Should().BeTrue();
        report.Notes.Should().Contain(n => n.Contains("\"破坏电缆\" ×1"));
        (await database.ScalarAsync<string>("SELECT string_agg(code || '=' || kind || '@' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), ' ' ORDER BY code) FROM incident"))
            .Should().Be("AJ-1=casing_theft@2025-03-01 00:05 AJ-2=破坏电缆@2025-03-02 14:10 AJ-3=oil_theft@2025-03-02 23:00");
        (await database.ScalarAsync<string>("SELECT string_agg(discovered_by, ',' ORDER BY code) FROM incident")).Should().Be("patrol,public_report,video");
        // A missing discovery time stays unknown (never the occurrence time), so the timely-discovery rate can leave the case out.
        (await database.ScalarAsync<string>("SELECT string_agg(code, ',' ORDER BY code) FROM incident WHERE discovered_at IS NULL")).Should().Be("AJ-2");
        report.Notes.Should().Contain(n => n.Contains("1 cases without a discovery time", StringComparison.Ordinal));
        var stored = await new IncidentRepository(database.DataSource).GetAllAsync();
        stored.Single(i => i.Code == "AJ-2").DiscoveredAt.Should().BeNull();
        var kpi = MapControl.Core.Kpi.KpiCalculator.Compute(new MapControl.Core.Kpi.KpiInput { Incidents = stored },
            new MapControl.Core.Kpi.KpiOptions { From = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8)), To = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.FromHours(8)) });
        var centre = kpi.Rows.Single(r => r.ScopeKind == MapControl.Core.Kpi.KpiScopeKind.Centre);
        (centre.Cases, centre.CasesWithoutDiscoveryTime, centre.TimelyRate).Should().Be((3, 1, 1.0), "AJ-1 (patrol, 55 min) and AJ-3 (video, 3 h) are timely; AJ-2 is out of the rate");
        (await database.ScalarAsync<bool>("SELECT NOT mapped FROM incident_kind WHERE code = '破坏电缆'")).Should().BeTrue();

        var repository = new IncidentKindRepository(database.DataSource);
        (await new LabelMappingRepository(database.DataSource).MapAsync(new MapControl.Core.Model.User("admin", "Admin", MapControl.Core.Model.Role.Admin, null),
            "incident_kind", "破坏电缆", "vandalism", default)).Outcome.Should().Be(LabelMappingOutcome.Done);
        (await database.ScalarAsync<string>("SELECT kind FROM incident WHERE code = 'AJ-2'")).Should().Be("vandalism");
        (await repository.LoadAsync(default)).Resolve("破坏电缆").Code.Should().Be("vandalism");
    }

    [Fact]
    public async Task Import_of_an_xlsx_ledger_with_date_cells_and_chinese_well_labels()
    {
        await ResetAsync();
        var path = Path.Combine(_dir, "wells.xlsx");
        MiniExcel.SaveAs(path, new[]
        {
            new Dictionary<string, object> { ["井号"] = "W1", ["井别"] = "油井", ["井况"] = "开井", ["重点井"] = "是", ["油区"] = "Z1", ["经度"] = 118.55, ["纬度"] = 37.45 },
            new Dictionary<string, object> { ["井号"] = "W2", ["井别"] = "注水井", ["井况"] = "关井", ["重点井"] = "否", ["油区"] = "Z1", ["经度"] = 118.56, ["纬度"] = 37.44 },
        });

        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Wells, FeatureFiles.Read(path), new ImportOptions(), default);

        report.Rejections.Should().BeEmpty(string.Join("; ", report.Rejections));
        (await database.ScalarAsync<string>("SELECT string_agg(code || ':' || kind || ':' || status || ':' || is_key, ' ' ORDER BY code) FROM well"))
            .Should().Be("W1:oil:producing:true W2:water_injection:shut_in:false");
    }

    [Fact]
    public async Task Migrated_well_and_idle_site_kind_vocabularies_are_the_built_in_ones()
    {
        var repository = new FieldLabelRepository(database.DataSource);
        (await repository.LoadAsync(FieldLabelRepository.WellKind, default)).Terms.Where(t => t.Mapped)
            .Should().BeEquivalentTo(FieldVocabularies.WellKinds.Terms, o => o.WithStrictOrdering());
        (await repository.LoadAsync(FieldLabelRepository.IdleSiteKind, default)).Terms.Where(t => t.Mapped)
            .Should().BeEquivalentTo(FieldVocabularies.IdleSiteKinds.Terms, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Unknown_well_and_idle_site_kinds_are_kept_counted_and_listed_never_a_refusal()
    {
        await ResetAsync();
        await using (var clear = database.DataSource.CreateCommand("DELETE FROM field_label WHERE NOT mapped")) await clear.ExecuteNonQueryAsync();
        var wells = Path.Combine(_dir, "井.csv");
        File.WriteAllText(wells, "井号,井别,井况,油区,经度,纬度\n" +
            "W1,油井,开井,Z1,118.55,37.45\n" +
            "W2,观察井,关井,Z1,118.56,37.44\n" +
            "W3,观察井,关井,Z1,118.57,37.44\n" +
            "W4,ＣＯ２注入井,开井,Z1,118.58,37.44\n", new UTF8Encoding(true));

        var dry = await LayerImport.RunAsync(database.DataSource, ImportLayer.Wells, FeatureFiles.Read(wells), new ImportOptions(DryRun: true), default);
        dry.Rejections.Should().BeEmpty(string.Join("; ", dry.Rejections));
        dry.Unmapped.Should().Equal(new UnmappedLabel("kind", "观察井", 2), new UnmappedLabel("kind", "CO2注入井", 1));
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Wells, FeatureFiles.Read(wells), new ImportOptions(), default);

        report.Committed.Should().BeTrue(string.Join("; ", report.Rejections));
        report.Notes.Should().Contain(n => n.Contains("\"观察井\" ×2", StringComparison.Ordinal));
        (await database.ScalarAsync<string>("SELECT string_agg(code || ':' || kind, ' ' ORDER BY code) FROM well")).Should().Be("W1:oil W2:观察井 W3:观察井 W4:CO2注入井");
        (await database.ScalarAsync<string>("SELECT string_agg(code, ',' ORDER BY code) FROM field_label WHERE field = 'well_kind' AND NOT mapped")).Should().Be("CO2注入井,观察井");
        (await new WellRepository(database.DataSource).GetAllAsync()).Select(w => w.Kind.Code).Should().Contain("观察井", "a stored unmapped kind reads back");
        // Once stored, the label is part of the vocabulary the next import resolves through: not listed again.
        (await LayerImport.RunAsync(database.DataSource, ImportLayer.Wells, FeatureFiles.Read(wells), new ImportOptions(DryRun: true), default)).Unmapped
            .Should().BeEmpty();

        var sites = Path.Combine(_dir, "sites.geojson");
        File.WriteAllText(sites, """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"code":"S1","name":"甲","kind":"井场"},"geometry":{"type":"Polygon","coordinates":[[[118.50,37.40],[118.501,37.40],[118.501,37.401],[118.50,37.401],[118.50,37.40]]]}},
             {"type":"Feature","properties":{"code":"S2","name":"乙","kind":"废弃泵房"},"geometry":{"type":"Polygon","coordinates":[[[118.51,37.40],[118.511,37.40],[118.511,37.401],[118.51,37.401],[118.51,37.40]]]}}]}
            """);
        var siteReport = await LayerImport.RunAsync(database.DataSource, ImportLayer.IdleSites, FeatureFiles.Read(sites), new ImportOptions(), default);
        siteReport.Committed.Should().BeTrue(string.Join("; ", siteReport.Rejections));
        siteReport.Unmapped.Should().Equal(new UnmappedLabel("kind", "废弃泵房", 1));
        (await database.ScalarAsync<string>("SELECT string_agg(code || ':' || kind, ' ' ORDER BY code) FROM idle_site")).Should().Be("S1:well_pad S2:废弃泵房");
        (await new IdleSiteRepository(database.DataSource).GetAllAsync()).Single(x => x.Code == "S2").Kind.Code.Should().Be("废弃泵房");
        (await database.ScalarAsync<bool>("SELECT NOT mapped FROM field_label WHERE field = 'idle_site_kind' AND code = '废弃泵房'")).Should().BeTrue();
    }
}
