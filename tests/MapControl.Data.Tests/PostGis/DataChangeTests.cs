using MapControl.Data.PostGis;

namespace MapControl.Data.Tests.PostGis;

/// <summary>DataChange: the tables it names are the ones migration 0002 keeps versions for.</summary>
public sealed class DataChangeTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Tracked_tables_are_the_tables_with_a_change_trigger()
    {
        await using var cmd = database.DataSource.CreateCommand(
            "SELECT event_object_table FROM information_schema.triggers WHERE action_statement LIKE '%data_change_bump%'");
        var triggered = new HashSet<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) triggered.Add(r.GetString(0));

        triggered.Should().BeEquivalentTo(DataChange.Tracked);
    }

    [Fact]
    public async Task VersionsSql_reads_one_version_per_table()
    {
        var text = await database.ScalarAsync<string>($"SELECT {DataChange.VersionsSql("well", "jurisdiction")}");

        text.Should().MatchRegex("^jurisdiction=[0-9]+,well=[0-9]+$");
    }

    [Fact]
    public void VersionsSql_refuses_a_table_without_a_version()
    {
        var act = () => DataChange.VersionsSql("well", "audit_log");
        act.Should().Throw<ArgumentException>().WithMessage("*audit_log*");
    }
}
