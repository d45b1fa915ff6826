using MapControl.Data.PostGis;

namespace MapControl.Data.Tests.PostGis;

/// <summary>
/// Versions by day (migration 0009): a statement on gps_point or incident changes the versions of the UTC days its rows' times
/// fall in, and only those; TRUNCATE and a dropped partition change every day of their span.
/// </summary>
public sealed class DataDayVersionsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset Nov17 = new(2026, 11, 17, 0, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await Sql("""
            INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁护卫部', '#e41a1c') ON CONFLICT DO NOTHING;
            INSERT INTO patrol_unit (code, department_code, name, device_key) VALUES ('U1', 'D1', '巡逻车1', 'dev-1') ON CONFLICT DO NOTHING;
            TRUNCATE gps_point;
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task Sql(string sql)
    {
        await using var cmd = database.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    private static string Fix(string at) =>
        $"INSERT INTO gps_point (unit_code, department_code, recorded_at, geom) VALUES ('U1', 'D1', '{at}', ST_SetSRID(ST_MakePoint(118.5, 37.4), 4326))";

    /// <summary>The version of gps_point over each of the days Nov 16 … Nov 20 (UTC), read by a fresh reader.</summary>
    private async Task<long[]> Days()
    {
        var reader = new DataDayVersions(database.DataSource);
        var table = await database.ScalarAsync<long>("SELECT version FROM data_change WHERE table_name = 'gps_point'");
        var set = await reader.AtLeastAsync("gps_point", table);
        set.TableVersion.Should().Be(table);
        return Enumerable.Range(-1, 5).Select(d => set.Of(Nov17.AddDays(d), Nov17.AddDays(d + 1))).ToArray();
    }

    [Fact]
    public async Task A_statement_changes_the_days_of_its_rows_old_and_new_and_no_other()
    {
        var before = await Days();

        await Sql(Fix("2026-11-17T23:59:59.999Z"));
        var afterInsert = await Days();
        afterInsert[1].Should().BeGreaterThan(before[1], "Nov 17 got a fix");
        afterInsert.Where((_, i) => i != 1).Should().Equal(before.Where((_, i) => i != 1), "no other day did");

        // Moving the fix to the next day changes both days.
        await Sql("UPDATE gps_point SET recorded_at = '2026-11-18T00:00:00Z'");
        var afterUpdate = await Days();
        afterUpdate[1].Should().BeGreaterThan(afterInsert[1]);
        afterUpdate[2].Should().BeGreaterThan(afterInsert[2]);
        afterUpdate[0].Should().Be(before[0]);
        afterUpdate[4].Should().Be(before[4]);

        await Sql("DELETE FROM gps_point");
        var afterDelete = await Days();
        afterDelete[2].Should().BeGreaterThan(afterUpdate[2]);
        afterDelete[1].Should().Be(afterUpdate[1]);

        // A window over several days takes the newest of them; an open window takes every day.
        var reader = new DataDayVersions(database.DataSource);
        var set = await reader.AtLeastAsync("gps_point", 0);
        set.Of(Nov17.AddDays(-1), Nov17.AddDays(3)).Should().Be(afterDelete.Max());
        set.Of(null, null).Should().Be(afterDelete.Max());
        set.Of(Nov17.AddDays(-1), Nov17).Should().Be(before[0], "a window ends before its end: Nov 17 00:00 is not in it");
    }

    [Fact]
    public async Task Copy_and_truncate_change_the_days_copy_of_its_rows_truncate_all()
    {
        var before = await Days();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var writer = await connection.BeginTextImportAsync("COPY gps_point (unit_code, department_code, recorded_at, geom) FROM STDIN"))
        {
            await writer.WriteLineAsync("U1\tD1\t2026-11-19T06:00:00Z\tSRID=4326;POINT(118.5 37.4)");
        }
        var afterCopy = await Days();
        afterCopy[3].Should().BeGreaterThan(before[3]);
        afterCopy[1].Should().Be(before[1]);

        await Sql("TRUNCATE gps_point");
        var afterTruncate = await Days();
        afterTruncate.Should().OnlyContain(v => v > afterCopy.Max(), "a truncate changes every day");
    }

    [Fact]
    public async Task A_reader_reuses_its_read_while_the_table_is_unchanged_and_reads_again_after_a_write()
    {
        var reader = new DataDayVersions(database.DataSource);
        var table = await database.ScalarAsync<long>("SELECT version FROM data_change WHERE table_name = 'gps_point'");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => reader.AtLeastAsync("gps_point", table)));
        reader.Reads.Should().Be(1);

        await Sql(Fix("2026-11-20T08:00:00Z"));
        var newer = await database.ScalarAsync<long>("SELECT version FROM data_change WHERE table_name = 'gps_point'");
        var sets = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => reader.AtLeastAsync("gps_point", newer)));
        sets.Should().OnlyContain(s => s.TableVersion >= newer);
        reader.Reads.Should().Be(2, "requests that need the newer version share one read");
        sets[0].Of(Nov17.AddDays(3), Nov17.AddDays(4)).Should().BeGreaterThan(sets[0].Of(Nov17, Nov17.AddDays(1)));
    }

    [Fact]
    public async Task Touch_changes_the_table_and_every_day_of_the_span()
    {
        var before = await Days();
        var table = await database.ScalarAsync<long>("SELECT version FROM data_change WHERE table_name = 'gps_point'");
        await Sql("SELECT data_change_touch('gps_point', '2026-11-17T00:00:00Z', '2026-11-19T00:00:00Z')");
        (await database.ScalarAsync<long>("SELECT version FROM data_change WHERE table_name = 'gps_point'")).Should().BeGreaterThan(table);
        var after = await Days();
        after[1].Should().BeGreaterThan(before[1]);
        after[2].Should().BeGreaterThan(before[2]);
        after[0].Should().Be(before[0]);
        after[3].Should().Be(before[3], "the span ends before Nov 19");
    }

    [Fact]
    public async Task A_tables_versions_follow_commit_order_even_when_a_writer_is_slow_between_drawing_and_storing()
    {
        // A session with the setting waits half a second inside every write of data_change: after drawing its number in the
        // old bump (before it met the other writer's row lock), after taking the row in the fixed one.
        await Sql("""
            CREATE FUNCTION test_slow_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('mapcontrol.test_slow', true) = '1' THEN PERFORM pg_sleep(0.5); END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_slow_change BEFORE INSERT OR UPDATE ON data_change FOR EACH ROW EXECUTE FUNCTION test_slow_change();
            """);
        try
        {
            await using var slow = await database.DataSource.OpenConnectionAsync();
            await using (var set = new Npgsql.NpgsqlCommand("SET mapcontrol.test_slow = '1'", slow)) await set.ExecuteNonQueryAsync();
            async Task<long> WriteAsync(Npgsql.NpgsqlConnection connection)
            {
                await using var tx = await connection.BeginTransactionAsync();
                await using (var write = new Npgsql.NpgsqlCommand("UPDATE department SET name = name", connection, tx)) await write.ExecuteNonQueryAsync();
                await using var read = new Npgsql.NpgsqlCommand("SELECT version FROM data_change WHERE table_name = 'department'", connection, tx);
                var drawn = (long)(await read.ExecuteScalarAsync())!;
                await tx.CommitAsync();
                return drawn;
            }

            var first = Task.Run(() => WriteAsync(slow));
            await Task.Delay(150);
            await using var quick = await database.DataSource.OpenConnectionAsync();
            var second = await WriteAsync(quick);
            var firstDrawn = await first;

            var final = await database.ScalarAsync<long>("SELECT version FROM data_change WHERE table_name = 'department'");
            final.Should().Be(Math.Max(firstDrawn, second), "the table's version never goes back to a smaller number");
        }
        finally
        {
            await Sql("DROP TRIGGER test_slow_change ON data_change; DROP FUNCTION test_slow_change()");
        }
    }

    [Fact]
    public async Task The_tables_with_versions_by_day_are_those_with_day_triggers()
    {
        await using var cmd = database.DataSource.CreateCommand(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE action_statement LIKE '%days_bump%'");
        var triggered = new HashSet<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) triggered.Add(r.GetString(0));
        triggered.Should().BeEquivalentTo(DataDayVersions.Tracked.Keys);
    }
}
