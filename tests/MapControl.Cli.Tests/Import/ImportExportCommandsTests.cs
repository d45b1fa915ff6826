using System.Text;
using MapControl.Data.Tests.PostGis;

namespace MapControl.Cli.Tests.Import;

/// <summary>The import, export and tiles verbs in-process against a migrated PostGIS database.</summary>
public sealed class ImportExportCommandsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-cli-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(Program.CreateRoot(), [.. args, "--db", database.ConnectionString], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task SeedAsync()
    {
        await database.TruncateAsync();
        await using var cmd = database.DataSource.CreateCommand("""
            INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁', '#e41a1c');
            INSERT INTO oil_zone (code, name, geom) VALUES ('Z1', 'zone 1', ST_Multi(ST_MakeEnvelope(118.4, 37.3, 118.7, 37.6, 4326)));
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    private string Wells(string kindOfSecond = "gas", string stateOfSecond = "idle")
    {
        var path = Path.Combine(_dir, "wells.geojson");
        File.WriteAllText(path, $$$"""
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"WELL_ID":"W1","TYPE":"oil","STATE":"producing","KEY":"是","ZONE":"Z1"},"geometry":{"type":"Point","coordinates":[118.55,37.45]}},
             {"type":"Feature","properties":{"WELL_ID":"W2","TYPE":"{{{kindOfSecond}}}","STATE":"{{{stateOfSecond}}}","KEY":"否","ZONE":"Z1"},"geometry":{"type":"Point","coordinates":[118.56,37.44]}}]}
            """, new UTF8Encoding(false));
        return path;
    }

    private static readonly string[] Maps = ["--map", "code=WELL_ID", "--map", "kind=TYPE", "--map", "status=STATE", "--map", "is_key=KEY", "--map", "oil_zone_code=ZONE"];

    [Fact]
    public async Task Import_dry_run_then_import_then_export_shapefile()
    {
        await SeedAsync();
        var dry = await RunAsync(["import", "--layer", "wells", "--file", Wells(), "--dry-run", .. Maps]);
        dry.Code.Should().Be(0, dry.Err);
        dry.Out.Should().Contain("2 rows: 2 inserts, 0 updates, 0 rejected").And.Contain("dry run: nothing stored");
        (await database.ScalarAsync<long>("SELECT count(*) FROM well")).Should().Be(0);

        var real = await RunAsync(["import", "--layer", "wells", "--file", Wells(), .. Maps]);
        real.Code.Should().Be(0, real.Err);
        (await database.ScalarAsync<long>("SELECT count(*) FROM well WHERE is_key")).Should().Be(1);

        var xlsx = Path.Combine(_dir, "井.xlsx");
        var table = await RunAsync("export", "--layer", "wells", "--out", xlsx, "--headers", "zh");
        table.Code.Should().Be(0, table.Err);
        using (var reader = MapControl.Data.Files.TabularReader.Open(xlsx))
            reader.Header.Should().Contain(["井号", "井别", "井况", "重点井", "油区", "经度", "纬度"]);
        (await RunAsync("export", "--layer", "wells", "--out", xlsx, "--headers", "fr")).Code.Should().NotBe(0);

        var shp = Path.Combine(_dir, "out.shp");
        var export = await RunAsync("export", "--layer", "wells", "--out", shp);
        export.Code.Should().Be(0, export.Err);
        export.Out.Should().StartWith("2 features of wells");
        File.Exists(Path.ChangeExtension(shp, ".prj")).Should().BeTrue();
    }

    [Fact]
    public async Task Import_with_a_bad_row_exits_non_zero_lists_it_and_stores_nothing()
    {
        await SeedAsync();
        var result = await RunAsync(["import", "--layer", "wells", "--file", Wells(stateOfSecond: "burning"), .. Maps]);
        result.Code.Should().NotBe(0);
        result.Out.Should().Contain("rejected feature 2: status: 'burning' is not one of producing, shut_in, idle, workover");
        result.Err.Trim().Should().Be("mapcontrol: error: 1 rows rejected; nothing stored from wells.geojson");
        (await database.ScalarAsync<long>("SELECT count(*) FROM well")).Should().Be(0);
    }

    [Fact]
    public async Task Import_unknown_layer_or_mapping_target_is_one_line_error()
    {
        (await RunAsync("import", "--layer", "pipelines", "--file", Wells())).Err.Should().Contain("unknown layer 'pipelines'");
        (await RunAsync("import", "--layer", "wells", "--file", Wells(), "--map", "colour=X")).Err.Should().Contain("'colour' is not a field of wells");
    }

    [Fact]
    public async Task Tiles_build_writes_pbf_tiles_and_tilejson()
    {
        var basemap = Path.Combine(_dir, "basemap.geojson");
        File.WriteAllText(basemap, """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"layer":"river","name":"黄河","kind":"river"},"geometry":{"type":"LineString","coordinates":[[118.5,37.6],[118.7,37.7]]}},
             {"type":"Feature","properties":{"layer":"town","name":"东营区","kind":"district"},"geometry":{"type":"Point","coordinates":[118.58,37.45]}}]}
            """);
        var output = Path.Combine(_dir, "tiles");
        var result = await RunAsync("tiles", "build", "--source", basemap, "--zones", Path.Combine(_dir, "none.geojson"), "--out", output, "--min-zoom", "6", "--max-zoom", "8");
        result.Code.Should().Be(0, result.Err);
        File.Exists(Path.Combine(output, "basemap.json")).Should().BeTrue();
        // z6..8 over 118.5–118.7E 37.45–37.7N: one tile per zoom (hand-computed: x = 53, 106, 212; y = 24, 49, 99).
        Directory.EnumerateFiles(Path.Combine(output, "basemap"), "*.pbf", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f))
            .Should().BeEquivalentTo(Path.Combine("basemap", "6", "53", "24.pbf"), Path.Combine("basemap", "7", "106", "49.pbf"), Path.Combine("basemap", "8", "212", "99.pbf"));
    }
}
