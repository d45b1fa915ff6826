using System.Text;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Data.Tests.PostGis;
using MiniExcelLibs;

namespace MapControl.Data.Tests.Import;

/// <summary>
/// The typed path of an incident import from a table (<see cref="LayerImport.RunFileAsync"/>: rows checked as they are read)
/// against the generic path (<see cref="FeatureFiles.Read"/> then <see cref="LayerImport.RunAsync(Npgsql.NpgsqlDataSource, ImportLayer, FeatureSet, ImportOptions, CancellationToken)"/>):
/// the same ledger gives the same report (rows, inserts, updates, every rejection, notes, unmapped labels) and the same stored rows.
/// </summary>
public sealed class IncidentTypedImportTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-typed-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task ResetAsync()
    {
        await database.TruncateAsync();
        await using var cmd = database.DataSource.CreateCommand("""
            DELETE FROM incident_kind WHERE NOT mapped;
            INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁', '#e41a1c');
            INSERT INTO oil_zone (code, name, geom) VALUES ('Z1', 'zone 1', ST_Multi(ST_MakeEnvelope(118.4, 37.3, 118.7, 37.6, 4326)));
            INSERT INTO jurisdiction (department_code, geom, valid_from, edited_by, reason) VALUES
              ('D1', ST_Multi(ST_MakeEnvelope(118.40, 37.30, 118.55, 37.60, 4326)), '2020-01-01', 'test', 'test');
            INSERT INTO incident (code, kind, occurred_at, discovered_by, geom, status)
              VALUES ('AJ-2', 'oil_theft', '2024-01-01T00:00:00Z', 'patrol', ST_SetSRID(ST_MakePoint(118.5, 37.5), 4326), 'open');
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<string> StoredAsync() => await database.ScalarAsync<string>("""
        SELECT count(*) || E'\n' || coalesce(string_agg(concat_ws('|', code, kind, occurred_at, discovered_at, discovered_by, oil_recovered_t, status,
               department_code, oil_zone_code, ST_AsText(geom)), E'\n' ORDER BY code), '')
          FROM incident
        """) + "\n" + await database.ScalarAsync<string>("SELECT coalesce(string_agg(code || ':' || mapped, ',' ORDER BY code), '') FROM incident_kind");

    private static string Describe(ImportReport r) =>
        $"{r.Layer} {r.SourceFormat} {r.SourceSrid} {r.SourceCrsName} rows={r.Rows} inserts={r.Inserts} updates={r.Updates} committed={r.Committed} dry={r.DryRun}\n"
        + string.Join("\n", r.Rejections.Select(x => $"rejected {x.Where}: {x.Reason}")) + "\n"
        + string.Join("\n", r.Notes.Select(n => "note " + n)) + "\n"
        + string.Join("\n", r.Unmapped.Select(u => $"unmapped {u.Field} {u.Label} {u.Rows}"));

    /// <summary>Imports the file both ways, each into the same starting table; the reports and the stored rows must be the same.</summary>
    private async Task<(string Report, string Stored)> BothWaysAsync(string path, ImportOptions? options = null)
    {
        options ??= new ImportOptions();
        await ResetAsync();
        var generic = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(path), options, default);
        var genericStored = await StoredAsync();
        await ResetAsync();
        var (set, typed) = await LayerImport.RunFileAsync(database.DataSource, ImportLayer.Incidents, path, new FeatureReadOptions(), options, default);
        var typedStored = await StoredAsync();

        Describe(typed).Should().Be(Describe(generic));
        typedStored.Should().Be(genericStored);
        set.Notes.Should().Equal(FeatureFiles.Read(path).Notes);
        return (Describe(typed), typedStored);
    }

    private string WriteGbk(string name, string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, Encoding.GetEncoding(936).GetBytes(text));
        return path;
    }

    [Fact]
    public async Task A_gbk_ledger_with_chinese_headers_is_stored_the_same_both_ways()
    {
        var path = WriteGbk("台账.csv",
            "案件编号,发案时间,发现时间,案件类型,发现方式,追回油量（吨）,状态,经度,纬度\r\n" +
            "AJ-1,2025/3/1 8:05,2025/3/1 9:00,套管油被盗,巡逻,1.5,open,118.55,37.45\r\n" +
            "AJ-2,2025年3月2日 22时10分,,破坏电缆,群众举报,,closed,118.45,37.46\r\n" +
            "AJ-3,2025-03-03 07:00,2025-03-03 10:00,fuel_theft,video,0,,118.65,37.47\r\n" +
            "AJ-4,2025-03-04T07:00:00+08:00,2025-03-04 10:00,破坏电缆,巡逻,2,open,119.9,38.9\r\n");

        var (report, stored) = await BothWaysAsync(path);

        report.Should().Contain("inserts=3 updates=1 committed=True");
        stored.Should().StartWith("4\n", "AJ-2 replaced the stored case");
    }

    [Fact]
    public async Task A_ledger_with_bad_values_is_refused_the_same_both_ways()
    {
        var path = WriteGbk("坏账.csv",
            "案件编号,发案时间,发现时间,案件类型,发现方式,追回油量（吨）,状态,经度,纬度\r\n" +
            "AJ-1,2025/3/1 8:05,2025/3/1 9:00,套管油被盗,巡逻,1.5,open,118.55,37.45\r\n" +
            "AJ-2,昨天,,破坏电缆,群众举报,,closed,118.45,37.46\r\n" +
            "AJ-3,2025-03-03 07:00,2025-03-03 06:00,打孔盗油,video,0,,118.65,37.47\r\n" +
            "AJ-4,2025-03-04 07:00,,打孔盗油,巡逻,-2,open,118.5,37.5\r\n" +
            "AJ-5,2025-03-04 07:00,,打孔盗油,巡逻,许多,open,118.5,37.5\r\n" +
            "AJ-6,2025-03-04 07:00,,打孔盗油,天眼,1,open,118.5,37.5\r\n" +
            "AJ-7,2025-03-04 07:00,,打孔盗油,巡逻,1,结了吗,118.5,37.5\r\n" +
            "AJ-1,2025-03-05 07:00,,打孔盗油,巡逻,1,open,118.5,37.5\r\n" +
            ",2025-03-05 07:00,,打孔盗油,巡逻,1,open,118.5,37.5\r\n" +
            "AJ-9,,,打孔盗油,巡逻,1,open,118.5,37.5\r\n" +
            "AJ-10,2025-03-05 07:00,,,巡逻,1,open,118.5,37.5\r\n" +
            "AJ-11,2025-03-05 07:00,,打孔盗油,巡逻,1,open,10.5,37.5\r\n" +
            $"AJ-12,2025-03-05 07:00,,{new string('长', 201)},巡逻,1,open,118.5,37.5\r\n" +
            "AJ-13,2025-03-05 07:00,,新型盗油,巡逻,1,open,118.5,37.5\r\n");

        var (report, stored) = await BothWaysAsync(path);

        report.Should().Contain("committed=False").And.Contain("rejected feature 2: occurred_at: '昨天' is not a date-time");
        report.Split('\n').Count(l => l.StartsWith("rejected ", StringComparison.Ordinal)).Should().Be(12);
        stored.Should().StartWith("1\n", "nothing stored: only the row the reset put there");
    }

    [Fact]
    public async Task An_xlsx_ledger_with_date_and_number_cells_is_stored_the_same_both_ways()
    {
        var path = Path.Combine(_dir, "台账.xlsx");
        MiniExcel.SaveAs(path, new[]
        {
            new Dictionary<string, object?> { ["案件编号"] = 1001, ["发案时间"] = new DateTime(2025, 3, 1, 8, 5, 30), ["发现时间"] = "2025/3/1 9:00", ["案件类型"] = "套管油被盗", ["发现方式"] = "巡逻", ["追回油量（吨）"] = 1.25, ["经度"] = 118.55, ["纬度"] = 37.45 },
            new Dictionary<string, object?> { ["案件编号"] = "AJ-2", ["发案时间"] = "2025年3月2日 22时10分", ["发现时间"] = new DateTime(2025, 3, 3, 1, 0, 0), ["案件类型"] = "破坏电缆", ["发现方式"] = "群众举报", ["追回油量（吨）"] = "3", ["经度"] = 118.45, ["纬度"] = 37.46 },
            new Dictionary<string, object?> { ["案件编号"] = "AJ-3", ["发案时间"] = new DateTime(2025, 3, 3, 7, 0, 0), ["发现时间"] = null, ["案件类型"] = 17, ["发现方式"] = "video", ["追回油量（吨）"] = null, ["经度"] = 118.65, ["纬度"] = 37.47 },
        });

        var (report, stored) = await BothWaysAsync(path);

        report.Should().Contain("XLSX").And.Contain("committed=True");
        stored.Should().Contain("1001|oil_theft".Replace("oil_theft", "casing_theft", StringComparison.Ordinal)).And.Contain("AJ-3|17|");
    }

    [Fact]
    public async Task A_dry_run_reports_the_same_both_ways()
    {
        var path = WriteGbk("dry.csv",
            "编号,日期,类型,发现方式,经度,纬度\r\n" +
            "AJ-1,2025/3/1 8:05,套管油被盗,巡逻,118.55,37.45\r\n" +
            "AJ-2,2025/3/2 8:05,别的,巡逻,118.56,37.45\r\n");

        var (report, stored) = await BothWaysAsync(path, new ImportOptions(DryRun: true));

        report.Should().Contain("inserts=1 updates=1").And.Contain("dry=True").And.Contain("no column for");
        stored.Should().StartWith("1\n");
    }
}
