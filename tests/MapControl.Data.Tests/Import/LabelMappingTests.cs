using System.Text;
using MapControl.Core.Kpi;
using MapControl.Core.Labels;
using MapControl.Core.Model;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Tests.PostGis;

namespace MapControl.Data.Tests.Import;

/// <summary>An admin maps labels kept as written (<see cref="LabelMappingRepository"/>), on PostGIS.</summary>
public sealed class LabelMappingTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private static readonly User Admin = new("admin", "管理员", Role.Admin, null);
    private static readonly DateTimeOffset From = new(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-label-map-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Five cases: 2 × 破坏电缆 and 1 × 电缆被剪 (both unknown), 1 × vandalism, 1 × casing theft; wells with an unknown kind 观察井.</summary>
    private async Task<LabelMappingRepository> LoadAsync()
    {
        await database.TruncateAsync();
        await using (var cmd = database.DataSource.CreateCommand("""
            DELETE FROM incident_kind WHERE NOT mapped OR code = 'cable_cut';
            DELETE FROM field_label WHERE NOT mapped OR code = 'observation';
            DELETE FROM audit_log;
            UPDATE incident_kind SET synonyms = array_remove(synonyms, '破坏电缆') WHERE code = 'vandalism';
            UPDATE field_label SET synonyms = array_remove(synonyms, '观察井') WHERE code = 'oil';
            INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁', '#e41a1c');
            INSERT INTO oil_zone (code, name, geom) VALUES ('Z1', 'zone 1', ST_Multi(ST_MakeEnvelope(118.4, 37.3, 118.7, 37.6, 4326)));
            """)) await cmd.ExecuteNonQueryAsync();
        var ledger = Path.Combine(_dir, "台账.csv");
        File.WriteAllText(ledger,
            "案件编号,发案时间,案件类型,发现方式,经度,纬度\r\n" +
            "AJ-1,2025/3/1 8:05,破坏电缆,巡逻,118.55,37.45\r\n" +
            "AJ-2,2025/3/2 9:00,破坏电缆,巡逻,118.56,37.46\r\n" +
            "AJ-3,2025/3/3 9:00,电缆被剪,巡逻,118.56,37.46\r\n" +
            "AJ-4,2025/3/4 9:00,故意破坏,巡逻,118.57,37.47\r\n" +
            "AJ-5,2025/3/5 9:00,套管油被盗,巡逻,118.57,37.47\r\n", Encoding.UTF8);
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(ledger), new ImportOptions(), default);
        report.Committed.Should().BeTrue(string.Join("; ", report.Rejections));
        var wells = Path.Combine(_dir, "wells.csv");
        File.WriteAllText(wells,
            "井号,井别,井况,重点井,油区,经度,纬度\r\n" +
            "W1,油井,开井,否,Z1,118.55,37.45\r\n" +
            "W2,观察井,开井,否,Z1,118.56,37.44\r\n" +
            "W3,观察井,关井,是,Z1,118.57,37.44\r\n", Encoding.UTF8);
        report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Wells, FeatureFiles.Read(wells), new ImportOptions(), default);
        report.Committed.Should().BeTrue(string.Join("; ", report.Rejections));
        return new LabelMappingRepository(database.DataSource);
    }

    /// <summary>Cases the KPI table counts for a <c>kind=</c> filter resolved through the stored vocabulary (as the web's filters do).</summary>
    private async Task<int> CasesAsync(string kind)
    {
        var vocabulary = await new IncidentKindRepository(database.DataSource).LoadAsync(default);
        var incidents = await new IncidentRepository(database.DataSource).GetAllAsync();
        var report = KpiCalculator.Compute(new KpiInput { Incidents = incidents },
            new KpiOptions { From = From, To = From.AddMonths(1), Kinds = [vocabulary.Resolve(kind, out _)] });
        return report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Centre).Cases;
    }

    [Fact]
    public async Task Unmapped_labels_are_listed_with_their_row_counts()
    {
        var repository = await LoadAsync();

        var list = await repository.ListUnmappedAsync();

        list.Should().Equal(
            new KeptLabel("incident_kind", "破坏电缆", 2),
            new KeptLabel("incident_kind", "电缆被剪", 1),
            new KeptLabel("well_kind", "观察井", 2));
        (await repository.ListTargetsAsync()).Should().Contain(new LabelTarget("incident_kind", "vandalism", "破坏设施", "Vandalism"))
            .And.Contain(new LabelTarget("well_kind", "oil", "油井", "Oil well"))
            .And.NotContain(t => t.Code == "破坏电缆");
    }

    [Fact]
    public async Task Mapping_a_label_onto_a_code_moves_its_rows_in_one_audited_transaction()
    {
        var repository = await LoadAsync();
        (await CasesAsync("vandalism"), await CasesAsync("破坏电缆")).Should().Be((1, 2));

        var result = await repository.MapAsync(Admin, "incident_kind", "破坏电缆", "vandalism");

        result.Should().Be(new LabelMappingResult(LabelMappingOutcome.Done, "", 2));
        (await CasesAsync("vandalism")).Should().Be(3, "the two 破坏电缆 cases now count as vandalism");
        (await CasesAsync("破坏电缆")).Should().Be(3, "the label is now a synonym of vandalism");
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE kind = 'vandalism'")).Should().Be(3);
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident_kind WHERE code = '破坏电缆'")).Should().Be(0);
        (await repository.ListUnmappedAsync()).Select(l => l.Label).Should().Equal("电缆被剪", "观察井");
        (await database.ScalarAsync<string>("SELECT actor || ':' || action || ':' || entity || ':' || entity_key || ':' || (after->>'code') || ':' || (after->>'rows') FROM audit_log WHERE action LIKE '%_label'"))
            .Should().Be("admin:map_label:incident_kind:破坏电缆:vandalism:2");
        (await repository.MapAsync(Admin, "incident_kind", "破坏电缆", "vandalism")).Outcome.Should().Be(LabelMappingOutcome.NotFound, "it is mapped already");
    }

    [Fact]
    public async Task Keeping_a_label_as_a_new_code_and_mapping_a_well_kind()
    {
        var repository = await LoadAsync();

        (await repository.KeepAsync(Admin, "incident_kind", "电缆被剪", "cable_cut", "电缆被剪", "Cable cut")).Outcome.Should().Be(LabelMappingOutcome.Done);
        (await repository.MapAsync(Admin, "well_kind", "观察井", "oil")).Rows.Should().Be(2);

        (await database.ScalarAsync<string>("SELECT kind FROM incident WHERE code = 'AJ-3'")).Should().Be("cable_cut");
        (await CasesAsync("Cable cut")).Should().Be(1);
        var kinds = await new IncidentKindRepository(database.DataSource).LoadAsync(default);
        kinds.Terms.Single(t => t.Code == "cable_cut").Should().Match<VocabularyTerm>(t => t.Mapped && t.LabelEn == "Cable cut" && t.Synonyms.Contains("电缆被剪"));
        (await database.ScalarAsync<long>("SELECT count(*) FROM well WHERE kind = 'oil'")).Should().Be(3);
        (await new FieldLabelRepository(database.DataSource).LoadAsync(FieldLabelRepository.WellKind, default)).Resolve("观察井").Code.Should().Be("oil");
        (await repository.ListUnmappedAsync()).Should().Equal(new KeptLabel("incident_kind", "破坏电缆", 2));
        (await database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action LIKE '%_label'")).Should().Be(2);
    }

    [Fact]
    public async Task Non_admins_and_bad_requests_change_nothing()
    {
        var repository = await LoadAsync();

        (await repository.MapAsync(new User("analyst", "分析员", Role.Analyst, null), "incident_kind", "破坏电缆", "vandalism")).Outcome
            .Should().Be(LabelMappingOutcome.Forbidden);
        (await repository.MapAsync(new User("planner", "规划员", Role.Planner, null), "well_kind", "观察井", "oil")).Outcome
            .Should().Be(LabelMappingOutcome.Forbidden);
        (await repository.MapAsync(Admin, "incident_kind", "破坏电缆", "no_such_kind")).Outcome.Should().Be(LabelMappingOutcome.Invalid);
        (await repository.MapAsync(Admin, "incident_kind", "破坏电缆", "电缆被剪")).Outcome.Should().Be(LabelMappingOutcome.Invalid, "an unmapped label is no target");
        (await repository.MapAsync(Admin, "incident; DROP TABLE incident", "破坏电缆", "vandalism")).Outcome.Should().Be(LabelMappingOutcome.Invalid);
        (await repository.KeepAsync(Admin, "incident_kind", "破坏电缆", "vandalism", "x", "x")).Outcome.Should().Be(LabelMappingOutcome.Invalid, "an existing code");
        (await repository.KeepAsync(Admin, "incident_kind", "破坏电缆", "Bad Code", "x", "x")).Outcome.Should().Be(LabelMappingOutcome.Invalid);
        (await repository.KeepAsync(Admin, "incident_kind", "破坏电缆", null, "", "x")).Outcome.Should().Be(LabelMappingOutcome.Invalid);

        (await repository.ListUnmappedAsync()).Should().HaveCount(3);
        (await CasesAsync("vandalism")).Should().Be(1);
        (await database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action LIKE '%_label'")).Should().Be(0);
    }
}
