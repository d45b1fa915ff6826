using MapControl.Data.PostGis;
using MapControl.Data.Tests.PostGis;

namespace MapControl.Cli.Tests.Commands;

/// <summary>Runs the CLI in-process against a fresh PostGIS database.</summary>
public sealed class DatabaseCommandsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(Program.CreateRoot(), [.. args, "--db", database.ConnectionString], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Migrate_then_stats_then_users()
    {
        var first = await RunAsync("migrate");
        first.Code.Should().Be(0, first.Err);
        first.Out.Should().Contain("applied 0001_schema");

        var second = await RunAsync("migrate");
        second.Code.Should().Be(0);
        second.Out.Should().Contain("database is up to date");
        (await MigrationRunner.GetAppliedVersionsAsync(database.DataSource)).Should().Equal(MigrationRunner.Embedded.Select(m => m.Version));

        await using (var insert = database.DataSource.CreateCommand("INSERT INTO department VALUES ('D1', '河口护卫部', '#123456')"))
            await insert.ExecuteNonQueryAsync();
        var stats = await RunAsync("stats");
        stats.Code.Should().Be(0, stats.Err);
        var lines = stats.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].Should().MatchRegex(@"^postgis\s+3\.\d+\.\d+$");
        lines.Should().Contain(l => l.StartsWith("departments") && l.EndsWith(" 1"));
        lines.Should().Contain(l => l.StartsWith("gps_points") && l.EndsWith(" 0"));
        lines.Should().HaveCount(11);

        (await RunAsync("users", "add", "planner1", "--role", "planner", "--department", "D1", "--display-name", "规划员",
            "--password", "mapcontrol-demo")).Code.Should().Be(0);
        var duplicate = await RunAsync("users", "add", "planner1", "--role", "planner", "--password", "mapcontrol-demo");
        duplicate.Code.Should().Be(1);
        duplicate.Err.Trim().Should().Be("mapcontrol: error: user 'planner1' already exists");
        var list = await RunAsync("users", "list");
        list.Out.Should().MatchRegex(@"planner1\s+planner\s+D1\s+规划员");
        (await RunAsync("users", "passwd", "planner1", "--password", "another-secret")).Code.Should().Be(0);
        var token = await RunAsync("users", "token", "planner1");
        token.Code.Should().Be(0);
        token.Out.Trim().Should().StartWith("mct_");
        (await new Data.PostGis.Repositories.UserRepository(database.DataSource).FindByApiTokenAsync(token.Out.Trim()))!
            .UserName.Should().Be("planner1");
    }

    [Fact]
    public async Task Stats_unreachable_database_one_line_on_stderr_and_exit_1()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CliApp.RunAsync(Program.CreateRoot(),
            ["stats", "--db", "Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2"], output, error);

        code.Should().Be(1);
        error.ToString().Trim().Should().StartWith("mapcontrol: error: Failed to connect to 127.0.0.1:1").And.NotContain("\n");
        output.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task Stats_database_without_schema_reports_the_missing_table()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        await using (var create = database.DataSource.CreateCommand("CREATE SCHEMA IF NOT EXISTS empty_probe"))
            await create.ExecuteNonQueryAsync();
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = "empty_probe" }.ConnectionString;

        var code = await CliApp.RunAsync(Program.CreateRoot(), ["stats", "--db", connectionString], output, error);

        code.Should().Be(1);
        error.ToString().Trim().Should().MatchRegex("^mapcontrol: error: .*does not exist");
    }
}
