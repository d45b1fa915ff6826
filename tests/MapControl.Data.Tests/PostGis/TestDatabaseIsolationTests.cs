using MapControl.Data.PostGis;
using Npgsql;

namespace MapControl.Data.Tests.PostGis;

/// <summary>Tests never touch a database they did not create: the fixture's own rule, checked against a real server.</summary>
public sealed class TestDatabaseIsolationTests
{
    private static string Admin =>
        Environment.GetEnvironmentVariable(TestDatabase.AdminVariable) is { Length: > 0 } admin ? admin : throw new InvalidOperationException(TestDatabase.Unavailable);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var command = source.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_database_with_data_named_in_the_environment_is_never_used_nor_emptied()
    {
        // A user's database: migrated, one department in it.
        var given = "mc_given_" + Guid.NewGuid().ToString("N")[..16];
        var givenConnection = new NpgsqlConnectionStringBuilder(Admin) { Database = given }.ConnectionString;
        await ExecuteAsync(Admin, $"CREATE DATABASE \"{given}\"");
        try
        {
            await ExecuteAsync(givenConnection, "CREATE EXTENSION IF NOT EXISTS postgis");
            await using (var source = MapControlDatabase.CreateDataSource(givenConnection))
                await MigrationRunner.MigrateAsync(source);
            await ExecuteAsync(givenConnection, "INSERT INTO department (code, name, colour) VALUES ('KEEP', '留存', '#123456')");

            // Every variable points at it; it is even the admin connection's maintenance database.
            var environment = new Dictionary<string, string?>
            {
                [TestDatabase.AdminVariable] = givenConnection,
                ["MAPCONTROL_TEST_DB"] = givenConnection,
                [MapControlDatabase.EnvironmentVariable] = givenConnection,
            };
            var fixture = new TestDatabase(migrate: true, environment.GetValueOrDefault);
            string? created;
            try
            {
                await fixture.InitializeAsync();
                created = fixture.CreatedDatabase;
                created.Should().NotBeNull().And.StartWith(TestDatabase.NamePrefix).And.NotBe(given);
                (await fixture.ScalarAsync<string>("SELECT current_database()")).Should().Be(created);
                (await fixture.ScalarAsync<long>("SELECT count(*) FROM department")).Should().Be(0);

                await fixture.ScalarAsync<int>("INSERT INTO department (code, name, colour) VALUES ('TMP', '临时', '#654321') RETURNING 1");
                await fixture.TruncateAsync();
                (await fixture.ScalarAsync<long>("SELECT count(*) FROM department")).Should().Be(0);
            }
            finally
            {
                await fixture.DisposeAsync();
            }

            (await CountAsync(givenConnection, "SELECT count(*) FROM department WHERE code = 'KEEP'")).Should().Be(1);
            (await CountAsync(givenConnection, "SELECT count(*) FROM department")).Should().Be(1);
            (await CountAsync(Admin, $"SELECT count(*) FROM pg_database WHERE datname = '{created}'")).Should().Be(0, "the fixture drops what it created");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(Admin, $"DROP DATABASE IF EXISTS \"{given}\" WITH (FORCE)");
        }
    }

    [Fact]
    public async Task Without_the_admin_connection_the_fixture_fails_even_when_a_database_is_named()
    {
        var environment = new Dictionary<string, string?>
        {
            ["MAPCONTROL_TEST_DB"] = Admin,
            [MapControlDatabase.EnvironmentVariable] = Admin,
        };
        var fixture = new TestDatabase(migrate: false, environment.GetValueOrDefault);

        var act = () => fixture.InitializeAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Be(TestDatabase.Unavailable);
        fixture.CreatedDatabase.Should().BeNull();
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task TruncateAsync_refuses_a_fixture_that_created_no_database()
    {
        var fixture = new TestDatabase(migrate: true, _ => null);

        var act = () => fixture.TruncateAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("created none");
    }
}
