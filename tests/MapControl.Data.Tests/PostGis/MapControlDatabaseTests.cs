using MapControl.Data.PostGis;

namespace MapControl.Data.Tests.PostGis;

/// <summary>The settings the migrated database gives every session.</summary>
public sealed class MapControlDatabaseTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Sessions_of_a_migrated_database_run_without_jit_set_by_the_database_not_by_the_client()
    {
        // A new pool, so a new session: the setting comes from ALTER DATABASE (migration 0013), not from postgresql.conf or the client.
        await using var source = MapControlDatabase.CreateDataSource(database.ConnectionString);
        await using var cmd = source.CreateCommand("SELECT setting || ' ' || source FROM pg_settings WHERE name = 'jit'");
        ((string)(await cmd.ExecuteScalarAsync())!).Should().Be("off database");
    }
}
