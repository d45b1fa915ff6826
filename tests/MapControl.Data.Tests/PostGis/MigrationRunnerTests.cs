using MapControl.Data.PostGis;
using Npgsql;

namespace MapControl.Data.Tests.PostGis;

public sealed class MigrationRunnerTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public void Embedded_migrations_are_numbered_from_one_without_gaps()
    {
        MigrationRunner.Embedded.Should().NotBeEmpty();
        MigrationRunner.Embedded.Select(m => m.Version).Should().Equal(Enumerable.Range(1, MigrationRunner.Embedded.Count));
        MigrationRunner.Embedded[0].ToString().Should().Be("0001_schema");
    }

    [Fact]
    public async Task MigrateAsync_run_twice_second_run_is_a_no_op()
    {
        var first = await MigrationRunner.MigrateAsync(database.DataSource);
        var second = await MigrationRunner.MigrateAsync(database.DataSource);

        (first.Applied.Count + first.AlreadyApplied.Count).Should().Be(MigrationRunner.Embedded.Count);
        second.Applied.Should().BeEmpty();
        second.AlreadyApplied.Select(m => m.Version).Should().Equal(MigrationRunner.Embedded.Select(m => m.Version));
        (await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations")).Should().Be(MigrationRunner.Embedded.Count);
        (await database.ScalarAsync<string>("SELECT checksum FROM schema_migrations WHERE version = 1"))
            .Should().Be(MigrationRunner.Embedded[0].Checksum).And.HaveLength(64);
        (await MigrationRunner.GetAppliedVersionsAsync(database.DataSource)).Should().Contain(1);
    }

    [Fact]
    public async Task MigrateAsync_applied_file_changed_is_refused()
    {
        await MigrationRunner.MigrateAsync(database.DataSource);
        var edited = MigrationRunner.Embedded
            .Select(m => m.Version == 1 ? m with { Sql = m.Sql + "\n-- edited after it was applied\n" } : m).ToList();

        var act = () => MigrationRunner.MigrateAsync(database.DataSource, edited, CancellationToken.None);

        (await act.Should().ThrowAsync<MigrationException>()).Which.Message
            .Should().Contain("0001_schema was changed after it was applied");
    }

    [Fact]
    public async Task MigrateAsync_new_migration_is_applied_once_in_order()
    {
        await MigrationRunner.MigrateAsync(database.DataSource);
        var next = MigrationRunner.Embedded.Count + 100;
        var extended = MigrationRunner.Embedded
            .Append(new Migration(next, "probe", "CREATE TABLE migration_probe (id int); INSERT INTO migration_probe VALUES (1);"))
            .ToList();

        var result = await MigrationRunner.MigrateAsync(database.DataSource, extended, CancellationToken.None);
        var again = await MigrationRunner.MigrateAsync(database.DataSource, extended, CancellationToken.None);

        result.Applied.Select(m => m.Version).Should().Equal(next);
        again.Applied.Should().BeEmpty();
        (await database.ScalarAsync<long>("SELECT count(*) FROM migration_probe")).Should().Be(1);

        // The database now knows a migration the embedded list lacks: the plain build must refuse it.
        var act = () => MigrationRunner.MigrateAsync(database.DataSource);
        (await act.Should().ThrowAsync<MigrationException>()).Which.Message.Should().Contain("does not know");
        await using var cleanup = database.DataSource.CreateCommand($"DROP TABLE migration_probe; DELETE FROM schema_migrations WHERE version = {next}");
        await cleanup.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task MigrateAsync_failing_migration_rolls_back_and_is_not_recorded()
    {
        await MigrationRunner.MigrateAsync(database.DataSource);
        var next = MigrationRunner.Embedded.Count + 200;
        var broken = MigrationRunner.Embedded
            .Append(new Migration(next, "broken", "CREATE TABLE half_done (id int); SELECT no_such_function();")).ToList();

        var act = () => MigrationRunner.MigrateAsync(database.DataSource, broken, CancellationToken.None);

        (await act.Should().ThrowAsync<MigrationException>()).Which.Message.Should().Contain("broken").And.Contain("no_such_function");
        (await database.ScalarAsync<bool>("SELECT to_regclass('half_done') IS NULL")).Should().BeTrue();
        (await MigrationRunner.GetAppliedVersionsAsync(database.DataSource)).Should().NotContain(next);
    }

    [Fact]
    public async Task MigrateAsync_two_runners_at_once_apply_each_migration_once()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => MigrationRunner.MigrateAsync(database.DataSource))));

        runs.Sum(r => r.Applied.Count).Should().BeLessThanOrEqualTo(MigrationRunner.Embedded.Count);
        (await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations")).Should().Be(MigrationRunner.Embedded.Count);
    }

    [Fact]
    public async Task MigrateAsync_waits_while_another_session_holds_the_lock()
    {
        await using var holder = await database.DataSource.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationRunner.AdvisoryLockKey})", holder))
            await take.ExecuteNonQueryAsync();

        var migrate = MigrationRunner.MigrateAsync(database.DataSource);
        await Task.Delay(500);
        migrate.IsCompleted.Should().BeFalse("the runner must wait for the advisory lock");

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationRunner.AdvisoryLockKey})", holder))
            await release.ExecuteNonQueryAsync();
        await migrate.WaitAsync(TimeSpan.FromSeconds(60));
    }
}
