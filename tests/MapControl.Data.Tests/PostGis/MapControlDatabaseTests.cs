using MapControl.Data.PostGis;
using Npgsql;

namespace MapControl.Data.Tests.PostGis;

/// <summary>The settings every MapControl connection carries.</summary>
public sealed class MapControlDatabaseTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Connections_run_without_jit_and_keep_the_options_given()
    {
        // The fixture's data source comes from MapControlDatabase.CreateDataSource.
        await using (var cmd = database.DataSource.CreateCommand("SHOW jit"))
            ((string)(await cmd.ExecuteScalarAsync())!).Should().Be("off");

        var withOptions = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Options = "-c statement_timeout=12345" }.ConnectionString;
        await using var source = MapControlDatabase.CreateDataSource(withOptions);
        await using (var cmd = source.CreateCommand("SELECT current_setting('jit') || ' ' || current_setting('statement_timeout')"))
            ((string)(await cmd.ExecuteScalarAsync())!).Should().Be("off 12345ms");
    }
}
