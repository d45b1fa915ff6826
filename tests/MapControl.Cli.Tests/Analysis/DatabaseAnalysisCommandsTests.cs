using MapControl.Data.PostGis;
using MapControl.Data.Tests.PostGis;
using static MapControl.Cli.Tests.Analysis.AnalysisTestData;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Cli.Tests.Analysis;

/// <summary>The analysis verbs reading from PostGIS: kpi, coverage-check --from-db, hotspots --from-db.</summary>
public sealed class DatabaseAnalysisCommandsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime, IDisposable
{
    private readonly string _folder = TempFolder();

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await SeedLoader.LoadAsync(database.DataSource, Dataset());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_folder, name);

    private Task<(int Code, string Out, string Err)> Db(params string[] args) => RunAsync([.. args, "--db", database.ConnectionString]);

    [Fact]
    public async Task Kpi_by_department_table_csv_and_json()
    {
        var table = await Db("kpi", "--from", "2025-05-31", "--to", "2025-06-11", "--by", "department");
        table.Code.Should().Be(0, table.Err);
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("scope");
        // I2 in D2; I3 in the D1/D2 overlap counts once, for D1 (smallest code: incident attribution); I4 outside every
        // jurisdiction; I1 a year earlier in D1.
        lines.Should().Contain(l => l.StartsWith("D1 ") && System.Text.RegularExpressions.Regex.IsMatch(l, @"^D1\s+\S+\s+1\s+1\s"));
        lines.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^D2\s+\S+\s+1\s+0\s"));

        (await Db("kpi", "--from", "2025-05-31", "--to", "2025-06-11", "--by", "centre", "--out", Path("k.csv"))).Code.Should().Be(0);
        File.ReadAllLines(Path("k.csv"))[1].Should().StartWith("centre,2025-05-31/2025-06-11,3,1,200,");
        (await Db("kpi", "--from", "2025-05-31", "--to", "2025-06-11", "--out", Path("k.json"))).Code.Should().Be(0);
        File.ReadAllText(Path("k.json")).Should().Contain("\"scope\": \"D1\"");

        var bad = await Db("kpi", "--from", "2025-05-31", "--to", "2025-06-11", "--period", "fortnight");
        bad.Code.Should().NotBe(0);
        bad.Err.Trim().Should().Be("mapcontrol: error: --period: unknown \"fortnight\" (month, quarter, season, whole)");
    }

    [Fact]
    public async Task Kpi_patrol_hours_and_cases_per_patrol_hour_from_gps_fixes()
    {
        // U1 drives 118.51 → 118.52 (≈ 0.9 km, inside D1 only) in the one minute from T0: 1/60 h for D1; D1 has one case (I3).
        var run = await Db("kpi", "--from", "2025-05-31", "--to", "2025-06-11", "--by", "department", "--out", Path("h.csv"));

        run.Code.Should().Be(0, run.Err);
        var lines = File.ReadAllLines(Path("h.csv"));
        lines[0].Should().EndWith(",cases_per_100_wells,patrol_hours,cases_per_patrol_hour,cases_without_discovery_time");
        lines.Should().Contain(l => l.StartsWith("D1,", StringComparison.Ordinal)).Which.Should().EndWith(",0.017,60,0");
        lines.Should().Contain(l => l.StartsWith("D2,", StringComparison.Ordinal)).Which.Should().EndWith(",,,0", "D2's unit has no fix in the window");
        var json = await Db("kpi", "--from", "2025-05-31", "--to", "2025-06-11", "--by", "centre", "--out", Path("h.json"));
        json.Code.Should().Be(0, json.Err);
        File.ReadAllText(Path("h.json")).Should().Contain("\"cases_per_patrol_hour\": 180");
    }

    [Fact]
    public async Task CoverageCheck_from_db_reports_the_D1_D2_overlap()
    {
        var run = await Db("coverage-check", "--from-db", "--out", Path("c.geojson"));

        run.Code.Should().Be(0, run.Err);
        var feature = ReadOutput(Path("c.geojson")).Should().ContainSingle().Subject;
        feature.Properties.GetProperty("kind").GetString().Should().Be("overlap");
        Departments(feature.Properties).Should().Equal("D1", "D2");
        var expected = await database.ScalarAsync<double>(
            "SELECT ST_Area(ST_Intersection(a.geom, b.geom)::geography) FROM jurisdiction a, jurisdiction b WHERE a.department_code = 'D1' AND b.department_code = 'D2'");
        feature.Properties.GetProperty("area_m2").GetDouble().Should().BeApproximately(expected, expected * 0.001);
    }

    [Fact]
    public async Task Hotspots_from_db_counts_the_window()
    {
        var run = await Db("hotspots", "--from-db", "--cell-m", "500", "--from", "2025-05-31", "--to", "2025-06-11", "--out", Path("h.geojson"));

        run.Code.Should().Be(0, run.Err);
        ReadOutput(Path("h.geojson")).Sum(f => f.Properties.GetProperty("count").GetInt32()).Should().Be(3);
    }
}
