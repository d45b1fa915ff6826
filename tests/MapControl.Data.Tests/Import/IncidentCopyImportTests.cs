using System.Globalization;
using System.Text;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Data.Tests.PostGis;
using Npgsql;

namespace MapControl.Data.Tests.Import;

/// <summary>
/// The incident import's binary COPY path on files large enough to need it: rows stored with the attribution PostGIS gives,
/// stored codes replaced, and all or nothing — a bad row late in the file, or a failure inside the COPY, leaves the table as it was.
/// </summary>
public sealed class IncidentCopyImportTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private const int Rows = 20_000;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-copy-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Two departments side by side in one oil zone; points on both sides, on the shared edge and outside both.
    private async Task ResetAsync()
    {
        await database.TruncateAsync();
        await using var cmd = database.DataSource.CreateCommand("""
            DELETE FROM incident_kind WHERE NOT mapped;
            INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁', '#e41a1c'), ('D2', '河口', '#377eb8');
            INSERT INTO oil_zone (code, name, geom) VALUES ('Z1', 'zone 1', ST_Multi(ST_MakeEnvelope(118.40, 37.30, 118.70, 37.60, 4326)));
            INSERT INTO jurisdiction (department_code, geom, valid_from, edited_by, reason) VALUES
              ('D1', ST_Multi(ST_MakeEnvelope(118.40, 37.30, 118.55, 37.60, 4326)), '2020-01-01', 'test', 'test'),
              ('D2', ST_Multi(ST_MakeEnvelope(118.55, 37.30, 118.70, 37.60, 4326)), '2020-01-01', 'test', 'test');
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    private string WriteLedger(string name, int rows, Func<int, string>? kind = null, Func<int, string>? time = null)
    {
        var text = new StringBuilder("案件编号,经度,纬度,发案时间,发现时间,案件类型,发现方式,追回油量（吨）\n");
        string[] kinds = ["套管油被盗", "打孔盗油", "破坏电缆", "盗窃设备"];
        string[] sources = ["巡逻", "视频监控", "群众举报"];
        for (var i = 0; i < rows; i++)
        {
            var lon = 118.35 + 0.4 * ((i * 7919) % 1000) / 1000.0; // 118.35 … 118.75: outside, D1, the edge at 118.55, D2, outside
            var lat = 37.35 + 0.2 * ((i * 104729) % 997) / 997.0;
            var at = new DateTime(2019, 1, 1).AddHours(i * 1.7);
            text.Append(Inv, $"AJ-{i + 1:D6},{lon:F6},{lat:F6},{time?.Invoke(i) ?? at.ToString("yyyy/M/d H:mm", Inv)},");
            text.Append(Inv, $"{(i % 9 == 0 ? "" : at.AddMinutes(30).ToString("yyyy-MM-dd HH:mm", Inv))},{kind?.Invoke(i) ?? kinds[i % 4]},{sources[i % 3]},{i % 5 * 0.5}\n");
        }
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }

    private async Task<string> DigestAsync() => await database.ScalarAsync<string>("""
        SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', code, kind, occurred_at, discovered_at, discovered_by, oil_recovered_t, status,
               department_code, oil_zone_code, ST_AsText(geom)), ',' ORDER BY code)), '')
          FROM incident
        """);

    [Fact]
    public async Task Large_import_stores_every_row_attributed_as_postgis_attributes_them_and_replaces_stored_codes()
    {
        await ResetAsync();
        var first = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(WriteLedger("first.csv", Rows)), new ImportOptions(), default);

        first.Committed.Should().BeTrue(string.Join("; ", first.Rejections.Take(5)));
        (first.Inserts, first.Updates).Should().Be((Rows, 0));
        first.Unmapped.Should().Equal(new UnmappedLabel("kind", "破坏电缆", Rows / 4));
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident")).Should().Be(Rows);
        // The oracle: PostGIS's own point-in-polygon (covers: the shared edge belongs to both, the smaller code wins).
        (await database.ScalarAsync<long>("""
            SELECT count(*) FROM incident i
             WHERE i.department_code IS DISTINCT FROM (SELECT min(j.department_code) FROM jurisdiction j WHERE ST_Covers(j.geom, i.geom))
                OR i.oil_zone_code IS DISTINCT FROM (SELECT min(z.code) FROM oil_zone z WHERE ST_Covers(z.geom, i.geom))
            """)).Should().Be(0);
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE department_code IS NULL")).Should().BeGreaterThan(0, "some points lie outside both");
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE department_code = 'D2'")).Should().BeGreaterThan(0);
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE discovered_at IS NULL")).Should().Be((Rows + 8) / 9);
        (await database.ScalarAsync<string>("SELECT kind || ':' || discovered_by || ':' || oil_recovered_t || ':' || status FROM incident WHERE code = 'AJ-000002'"))
            .Should().Be("pipeline_tapping:video:0.5:open");
        (await database.ScalarAsync<bool>("SELECT NOT mapped FROM incident_kind WHERE code = '破坏电缆'")).Should().BeTrue();
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident_default")).Should().Be(0, "the years of the rows got their partitions");

        // A second file with half the codes again (other kinds, other times in another year): those cases are replaced, the others kept.
        var again = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents,
            FeatureFiles.Read(WriteLedger("again.csv", Rows / 2, kind: _ => "盗窃原油", time: i => $"2018年3月{1 + i % 28}日 {i % 24}时{i % 60}分")), new ImportOptions(), default);

        again.Committed.Should().BeTrue(string.Join("; ", again.Rejections.Take(5)));
        (again.Inserts, again.Updates).Should().Be((0, Rows / 2));
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident")).Should().Be(Rows, "a case of a stored code replaces it, wherever its year");
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE kind = 'oil_theft'")).Should().Be(Rows / 2);
        (await database.ScalarAsync<long>("SELECT count(DISTINCT code) FROM incident")).Should().Be(Rows);
    }

    [Fact]
    public async Task A_bad_row_at_the_end_of_a_large_file_rejects_the_file_and_stores_nothing()
    {
        await ResetAsync();
        await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(WriteLedger("stored.csv", 100)), new ImportOptions(), default);
        var before = await DigestAsync();

        var bad = WriteLedger("bad.csv", Rows, time: i => i == Rows - 2 ? "2019年13月40日" : new DateTime(2019, 1, 1).AddHours(i).ToString("yyyy/M/d H:mm", Inv));
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(bad), new ImportOptions(), default);

        report.Committed.Should().BeFalse();
        report.Rejections.Should().ContainSingle().Which.Should().Be(new ImportRejection($"feature {Rows - 1}", "occurred_at: '2019年13月40日' is not a date-time"));
        (await DigestAsync()).Should().Be(before, "nothing of the file is stored, the stored cases are untouched");
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident_kind WHERE NOT mapped")).Should().Be(1, "only the first file's unmapped label");
    }

    [Fact]
    public async Task A_kind_longer_than_the_column_allows_is_a_rejection_not_a_database_error()
    {
        await ResetAsync();
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents,
            FeatureFiles.Read(WriteLedger("long.csv", 50, kind: i => i == 40 ? new string('盗', 201) : "盗油")), new ImportOptions(), default);

        report.Rejections.Should().ContainSingle().Which.Should().Be(new ImportRejection("feature 41", "kind: 201 characters, at most 200"));
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident")).Should().Be(0);
    }

    [Fact]
    public async Task A_failure_inside_the_copy_rolls_back_the_whole_import()
    {
        await ResetAsync();
        await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(WriteLedger("stored.csv", 100)), new ImportOptions(), default);
        var before = await DigestAsync();
        var audits = await database.ScalarAsync<long>("SELECT count(*) FROM audit_log");
        // The database refuses one row near the end of the COPY (what no check in C# foresees: here a trigger of the test's own).
        await using (var cmd = database.DataSource.CreateCommand("""
            CREATE FUNCTION test_refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.code = 'AJ-019990' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER test_refuse_row BEFORE INSERT ON incident FOR EACH ROW EXECUTE FUNCTION test_refuse_row();
            """)) await cmd.ExecuteNonQueryAsync();
        try
        {
            var act = () => LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents,
                FeatureFiles.Read(WriteLedger("refused.csv", Rows, kind: i => i % 2 == 0 ? "新的类型" : "盗油")), new ImportOptions(), default);

            (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Be("refused by the test");
            (await DigestAsync()).Should().Be(before, "the replaced cases are back and none of the file's rows is stored");
            (await database.ScalarAsync<long>("SELECT count(*) FROM incident_kind WHERE code = '新的类型'")).Should().Be(0);
            (await database.ScalarAsync<long>("SELECT count(*) FROM audit_log")).Should().Be(audits);
        }
        finally
        {
            await using var drop = database.DataSource.CreateCommand("DROP TRIGGER test_refuse_row ON incident; DROP FUNCTION test_refuse_row()");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
