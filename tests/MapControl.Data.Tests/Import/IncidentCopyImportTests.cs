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

    // The oracle of the attribution: PostGIS's own point-in-polygon (covers: the shared edge belongs to both, the smaller code wins).
    private async Task<long> MisattributedAsync() => await database.ScalarAsync<long>("""
        SELECT count(*) FROM incident i
         WHERE i.department_code IS DISTINCT FROM (SELECT min(j.department_code) FROM jurisdiction j WHERE ST_Covers(j.geom, i.geom) AND j.valid_to IS NULL)
            OR i.oil_zone_code IS DISTINCT FROM (SELECT min(z.code) FROM oil_zone z WHERE ST_Covers(z.geom, i.geom))
        """);

    [Fact]
    public async Task A_file_attributed_while_it_is_read_stores_the_rows_as_postgis_attributes_them()
    {
        await ResetAsync();
        var lines = new List<string>();
        var (_, report) = await LayerImport.RunFileAsync(database.DataSource, ImportLayer.Incidents, WriteLedger("typed.csv", Rows), new FeatureReadOptions(),
            new ImportOptions { Trace = lines.Add }, default);

        report.Committed.Should().BeTrue(string.Join("; ", report.Rejections.Take(5)));
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident")).Should().Be(Rows);
        (await MisattributedAsync()).Should().Be(0);
        lines.Should().Contain("jurisdictions and oil zones unchanged since the rows were attributed while reading");
    }

    [Fact]
    public async Task Oil_zones_changed_between_the_read_and_the_copy_attribute_the_rows_as_they_are_at_the_copy()
    {
        await ResetAsync();
        // Right after the file is read (and attributed), before the import's transaction: another session adds an oil zone over all
        // points whose code is smaller than Z1's, and commits.
        void Trace(string line)
        {
            if (!line.StartsWith("read and checked", StringComparison.Ordinal)) return;
            using var conn = database.DataSource.OpenConnection();
            using var cmd = new NpgsqlCommand("INSERT INTO oil_zone (code, name, geom) VALUES ('Z0', 'zone 0', ST_Multi(ST_MakeEnvelope(118.30, 37.20, 118.80, 37.70, 4326)))", conn);
            cmd.ExecuteNonQuery();
        }
        var (_, report) = await LayerImport.RunFileAsync(database.DataSource, ImportLayer.Incidents, WriteLedger("changed.csv", Rows), new FeatureReadOptions(),
            new ImportOptions { Trace = Trace }, default);

        report.Committed.Should().BeTrue(string.Join("; ", report.Rejections.Take(5)));
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE oil_zone_code = 'Z0'")).Should().Be(Rows);
        (await MisattributedAsync()).Should().Be(0);
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

    // ---- The large-import path (IncidentBulkLoad): keys and indexes dropped and put back inside the import's transaction ----------
    // The same code path as a file of 10⁶ rows: the tests lower ImportOptions.LargeImportRows so that a few thousand rows take it.

    private const int LargeRows = 5_000;

    private static ImportOptions Large(List<string>? trace = null) => new() { LargeImportRows = 1_000, Trace = trace is null ? null : trace.Add };

    // The keys and indexes of incident and of each partition, with whether each key is validated: what the migrations made.
    private Task<string> KeysAndIndexesAsync() => database.ScalarAsync<string>("""
        WITH t AS (SELECT 'incident'::regclass AS oid UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = 'incident'::regclass)
        SELECT (SELECT string_agg(c.conrelid::regclass || ' ' || c.conname || ' ' || c.contype::text || ' ' || c.convalidated || ' ' || pg_get_constraintdef(c.oid), '; '
                                  ORDER BY c.conrelid::regclass::text, c.conname) FROM pg_constraint c JOIN t ON t.oid = c.conrelid)
               || ' | ' ||
               (SELECT string_agg(pg_get_indexdef(i.indexrelid), '; ' ORDER BY pg_get_indexdef(i.indexrelid)) FROM pg_index i JOIN t ON t.oid = i.indrelid)
        """);

    // The days of data_change_day bumped since version v, and whether the table's own version moved past it.
    private Task<string> BumpsSinceAsync(long v) => database.ScalarAsync<string>($"""
        SELECT (SELECT version > {v} FROM data_change WHERE table_name = 'incident') || ' ' ||
               coalesce((SELECT string_agg(day::text, ',' ORDER BY day) FROM data_change_day WHERE table_name = 'incident' AND version > {v}), '')
        """);

    [Fact]
    public async Task A_large_import_puts_back_every_key_and_index_validated_and_bumps_the_versions_as_a_small_one_does()
    {
        await ResetAsync();
        var schema = await KeysAndIndexesAsync();
        schema.Should().Contain("incident incident_department_code_fkey f true").And.Contain("incident_geom_gix");
        var file = WriteLedger("large.csv", LargeRows);

        // The small path (row count below the threshold) as the reference.
        var v0 = await database.ScalarAsync<long>("SELECT last_value FROM data_change_version");
        var small = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(file), new ImportOptions(), default);
        small.Committed.Should().BeTrue();
        var smallRows = await DigestAsync();
        var smallBumps = await BumpsSinceAsync(v0);

        await ResetAsync();
        var trace = new List<string>();
        var v1 = await database.ScalarAsync<long>("SELECT last_value FROM data_change_version");
        var large = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(file), Large(trace), default);

        large.Committed.Should().BeTrue(string.Join("; ", large.Rejections.Take(5)));
        trace.Should().Contain("keys and indexes of incident dropped").And.Contain("keys and indexes of incident built and validated");
        (await DigestAsync()).Should().Be(smallRows, "the same rows, attributed the same");
        (await KeysAndIndexesAsync()).Should().Be(schema, "every key (validated) and index is back, on the parent and each partition");
        (await database.ScalarAsync<long>("""
            SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated
               AND conrelid IN (SELECT 'incident'::regclass UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = 'incident'::regclass)
            """)).Should().Be(2 * (1 + await database.ScalarAsync<long>("SELECT count(*) FROM pg_inherits WHERE inhparent = 'incident'::regclass")));
        var bumps = await BumpsSinceAsync(v1);
        bumps.Should().Be(smallBumps, "the table's version and the same days' versions move as with a small import");
        bumps.Should().StartWith("true ").And.Contain(await database.ScalarAsync<string>(
            "SELECT min((occurred_at AT TIME ZONE 'UTC')::date)::text FROM incident"));
        (await database.ScalarAsync<long>($"SELECT count(*) FROM data_change_day WHERE table_name = 'incident' AND version > {v1}"))
            .Should().Be(await database.ScalarAsync<long>("SELECT count(DISTINCT (occurred_at AT TIME ZONE 'UTC')::date) FROM incident"));

        // Again over the stored cases (all replaced): the deletion and the COPY run without the keys too.
        var again = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(file), Large(), default);
        (again.Committed, again.Updates).Should().Be((true, LargeRows));
        (await DigestAsync()).Should().Be(smallRows);
        (await KeysAndIndexesAsync()).Should().Be(schema);

        // A file of fewer than a third as many rows as the table holds keeps the keys (putting them back would cost more).
        await using (var analyse = database.DataSource.CreateCommand("ANALYZE incident")) await analyse.ExecuteNonQueryAsync();
        var few = new List<string>();
        var fewReport = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(WriteLedger("few.csv", 1_500)), Large(few), default);
        fewReport.Committed.Should().BeTrue();
        few.Should().NotContain("keys and indexes of incident dropped").And.NotContain(l => l.Contains("locked"));
        (await KeysAndIndexesAsync()).Should().Be(schema);
    }

    [Theory]
    [InlineData("department_code")]
    [InlineData("oil_zone_code")]
    public async Task A_row_with_an_unknown_code_fails_a_large_import_with_nothing_stored_and_the_keys_intact(string column)
    {
        await ResetAsync();
        await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(WriteLedger("stored.csv", 100)), new ImportOptions(), default);
        var before = await DigestAsync();
        var schema = await KeysAndIndexesAsync();
        // The file cannot carry a code (the rule attributes each case); a trigger of the test's own writes an unknown one into one row.
        await using (var cmd = database.DataSource.CreateCommand($"""
            CREATE FUNCTION test_unknown_code() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.code = 'AJ-004000' THEN NEW.{column} := 'NOPE'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER test_unknown_code BEFORE INSERT ON incident FOR EACH ROW EXECUTE FUNCTION test_unknown_code();
            """)) await cmd.ExecuteNonQueryAsync();
        try
        {
            var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(WriteLedger("unknown.csv", LargeRows)), Large(), default);

            report.Committed.Should().BeFalse();
            report.Accepted.Should().BeFalse();
            report.Rejections.Should().ContainSingle().Which.Reason.Should().Contain($"violates foreign key constraint \"incident_{column}_fkey\"");
            (await DigestAsync()).Should().Be(before, "nothing of the file is stored");
            (await KeysAndIndexesAsync()).Should().Be(schema, "the dropped keys and indexes are back with the rollback");
        }
        finally
        {
            await using var drop = database.DataSource.CreateCommand("DROP TRIGGER test_unknown_code ON incident; DROP FUNCTION test_unknown_code()");
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Readers_of_incidents_wait_for_a_large_import_and_then_see_all_of_it()
    {
        await ResetAsync();
        await LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, FeatureFiles.Read(WriteLedger("stored.csv", 100)), new ImportOptions(), default);
        var file = FeatureFiles.Read(WriteLedger("large.csv", 4 * LargeRows));
        var import = Task.Run(() => LayerImport.RunAsync(database.DataSource, ImportLayer.Incidents, file, Large(), default));

        // Wait until the import holds its lock, then read on other connections while it works.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await database.ScalarAsync<long>("""
                   SELECT count(*) FROM pg_locks WHERE relation = 'incident'::regclass AND mode = 'AccessExclusiveLock' AND granted AND pid <> pg_backend_pid()
                   """) == 0)
        {
            import.IsCompleted.Should().BeFalse("the import ends only after its lock was seen");
            DateTime.UtcNow.Should().BeBefore(deadline);
            await Task.Delay(10);
        }
        import.IsCompleted.Should().BeFalse();
        var readers = new[]
        {
            database.ScalarAsync<long>("SELECT count(*) FROM incident"),
            database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE department_code = 'D2' AND occurred_at >= '2019-01-01'"),
            database.ScalarAsync<long>("SELECT count(*) FROM department"),
        };
        await Task.Delay(200);
        readers.Should().OnlyContain(r => !r.IsCompleted, "readers wait while the import holds the lock");

        (await import).Committed.Should().BeTrue();
        var counts = await Task.WhenAll(readers);
        counts[0].Should().Be(4 * LargeRows, "a reader sees the whole import (the 100 stored cases replaced) once it commits, never a part");
        counts[1].Should().Be(await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE department_code = 'D2' AND occurred_at >= '2019-01-01'"));
        counts[2].Should().Be(2);
    }
}
