using MapControl.Data.PostGis;
using Npgsql;

namespace MapControl.Data.Tests.PostGis;

/// <summary>
/// A PostGIS database for one test class: a fresh database created from MAPCONTROL_TEST_ADMIN_DB (dropped afterwards),
/// or the shared MAPCONTROL_TEST_DB. Fails — never skips — when neither is set.
/// </summary>
public class TestDatabase : IAsyncLifetime
{
    /// <summary>The message of the failure when no test database is configured.</summary>
    public const string Unavailable = "PostGIS not available: run ./build.sh test (or set MAPCONTROL_TEST_DB)";

    private readonly bool _migrate;
    private string? _adminConnectionString;
    private NpgsqlDataSource? _dataSource;

    /// <summary>A database without the MapControl schema.</summary>
    public TestDatabase() : this(migrate: false) { }

    protected TestDatabase(bool migrate) => _migrate = migrate;

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException(Unavailable);

    public string ConnectionString { get; private set; } = "";

    /// <summary>Database name; null when the shared MAPCONTROL_TEST_DB is used.</summary>
    public string? CreatedDatabase { get; private set; }

    public async Task InitializeAsync()
    {
        var admin = Environment.GetEnvironmentVariable("MAPCONTROL_TEST_ADMIN_DB");
        var shared = Environment.GetEnvironmentVariable("MAPCONTROL_TEST_DB");
        if (!string.IsNullOrWhiteSpace(admin))
        {
            _adminConnectionString = admin;
            var name = "mc_test_" + Guid.NewGuid().ToString("N")[..16];
            await using (var adminSource = NpgsqlDataSource.Create(admin))
            await using (var create = adminSource.CreateCommand($"CREATE DATABASE \"{name}\""))
                await create.ExecuteNonQueryAsync();
            CreatedDatabase = name;
            ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            await using (var plain = NpgsqlDataSource.Create(ConnectionString))
            await using (var extension = plain.CreateCommand("CREATE EXTENSION IF NOT EXISTS postgis"))
                await extension.ExecuteNonQueryAsync();
        }
        else if (!string.IsNullOrWhiteSpace(shared))
        {
            ConnectionString = shared;
        }
        else
        {
            throw new InvalidOperationException(Unavailable);
        }

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

    /// <summary>Empties every MapControl table (for classes that share the database between tests).</summary>
    public async Task TruncateAsync()
    {
        await using var command = DataSource.CreateCommand("""
            TRUNCATE gps_point, incident, audit_log, app_user, basemap_feature, patrol_route, patrol_unit, idle_site, camera, well,
                     patrol_zone, jurisdiction, department, oil_zone RESTART IDENTITY CASCADE
            """);
        await command.ExecuteNonQueryAsync();
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
