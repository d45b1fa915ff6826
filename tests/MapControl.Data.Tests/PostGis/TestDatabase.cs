using MapControl.Data.PostGis;
using Npgsql;

namespace MapControl.Data.Tests.PostGis;

/// <summary>
/// A PostGIS database for one test class (or one collection): created from <see cref="AdminVariable"/> — a connection to
/// a server whose role may CREATE DATABASE — and dropped afterwards. It is the only database a test uses: MAPCONTROL_DB
/// (and the retired shared MAPCONTROL_TEST_DB) are never read, the admin connection only creates and drops this
/// fixture's own database, and <see cref="TruncateAsync"/> refuses to run anywhere else. Fails — never skips — when
/// <see cref="AdminVariable"/> is not set.
/// </summary>
public class TestDatabase : IAsyncLifetime
{
    /// <summary>The environment variable with the admin connection (./build.sh test sets it).</summary>
    public const string AdminVariable = "MAPCONTROL_TEST_ADMIN_DB";

    /// <summary>The prefix of every database a fixture creates.</summary>
    public const string NamePrefix = "mc_test_";

    /// <summary>The message of the failure when no test server is configured.</summary>
    public const string Unavailable =
        "PostGIS not available: run ./build.sh test (or set MAPCONTROL_TEST_ADMIN_DB to a server connection whose role may CREATE DATABASE)";

    private readonly bool _migrate;
    private readonly Func<string, string?> _environment;
    private string? _adminConnectionString;
    private NpgsqlDataSource? _dataSource;

    /// <summary>A database without the MapControl schema.</summary>
    public TestDatabase() : this(migrate: false) { }

    protected TestDatabase(bool migrate) : this(migrate, Environment.GetEnvironmentVariable) { }

    /// <summary>With an environment other than the process's (for the fixture's own tests).</summary>
    internal TestDatabase(bool migrate, Func<string, string?> environment)
    {
        _migrate = migrate;
        _environment = environment;
    }

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException(Unavailable);

    public string ConnectionString { get; private set; } = "";

    /// <summary>The name of the database this fixture created; null before <see cref="InitializeAsync"/>.</summary>
    public string? CreatedDatabase { get; private set; }

    public async Task InitializeAsync()
    {
        var admin = _environment(AdminVariable);
        if (string.IsNullOrWhiteSpace(admin))
            throw new InvalidOperationException(Unavailable);

        _adminConnectionString = admin;
        var name = NamePrefix + Guid.NewGuid().ToString("N")[..16];
        await using (var adminSource = NpgsqlDataSource.Create(admin))
        {
            await using (var create = adminSource.CreateCommand($"CREATE DATABASE \"{name}\""))
                await create.ExecuteNonQueryAsync();
            CreatedDatabase = name;
            await using var comment = adminSource.CreateCommand($"COMMENT ON DATABASE \"{name}\" IS 'MapControl test fixture, dropped when its test class ends'");
            await comment.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        await using (var plain = NpgsqlDataSource.Create(ConnectionString))
        await using (var extension = plain.CreateCommand("CREATE EXTENSION IF NOT EXISTS postgis"))
            await extension.ExecuteNonQueryAsync();

        _dataSource = MapControlDatabase.CreateDataSource(ConnectionString);
        if (_migrate)
            await MigrationRunner.MigrateAsync(_dataSource);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
            await _dataSource.DisposeAsync();
        if (CreatedDatabase is not null && _adminConnectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var adminSource = NpgsqlDataSource.Create(_adminConnectionString);
            await using var drop = adminSource.CreateCommand($"DROP DATABASE IF EXISTS \"{CreatedDatabase}\" WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Empties every MapControl table (for classes that share their database between tests). Runs only on the database
    /// this fixture created: it checks the server's <c>current_database()</c> first and throws otherwise.
    /// </summary>
    public async Task TruncateAsync()
    {
        if (CreatedDatabase is null)
            throw new InvalidOperationException("TruncateAsync runs only on a database the fixture created; this fixture created none");
        var current = await ScalarAsync<string>("SELECT current_database()");
        if (current != CreatedDatabase)
            throw new InvalidOperationException($"TruncateAsync refused: connected to \"{current}\", not to the fixture's own \"{CreatedDatabase}\"");
        // A server under test may be writing meanwhile (the live engine, the retention pass): a deadlock with it is retried.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = DataSource.CreateCommand("""
                    TRUNCATE gps_point, gps_daily_track, gps_reduced_day, incident, audit_log, app_user, basemap_feature, road_segment, road_vertex, patrol_route, patrol_unit, idle_site, camera, well,
                             patrol_zone, jurisdiction, department, oil_zone RESTART IDENTITY CASCADE
                    """);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    /// <summary>Runs a scalar query.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? default! : (T)value!;
    }
}

/// <summary>A test database with every migration applied.</summary>
public sealed class MigratedDatabase() : TestDatabase(migrate: true);
