using System.Diagnostics;
using System.Text;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Data.Tests.PostGis;

namespace MapControl.Data.Tests.Import;

/// <summary>Imports and exports against the real PostGIS; source files are made by ogr2ogr (GDAL) from a GeoJSON in EPSG:4326.</summary>
public sealed class LayerImportTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-import-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string ZonesGeoJson = """
        {"type":"FeatureCollection","features":[
         {"type":"Feature","properties":{"ZONE_ID":"Z1","ZONE_NAME":"东营油区"},"geometry":{"type":"Polygon","coordinates":[[[118.50,37.40],[118.60,37.40],[118.60,37.48],[118.50,37.48],[118.50,37.40]]]}},
         {"type":"Feature","properties":{"ZONE_ID":"Z2","ZONE_NAME":"孤岛油区"},"geometry":{"type":"Polygon","coordinates":[[[118.80,37.82],[118.90,37.82],[118.90,37.90],[118.80,37.90],[118.80,37.82]]]}}]}
        """;

    private const string WellsGeoJson = """
        {"type":"FeatureCollection","features":[
         {"type":"Feature","properties":{"code":"W1","kind":"oil","status":"producing","is_key":true,"oil_zone_code":"Z1"},"geometry":{"type":"Point","coordinates":[118.55,37.45]}},
         {"type":"Feature","properties":{"code":"W2","kind":"water_injection","status":"idle","is_key":false,"oil_zone_code":"Z1"},"geometry":{"type":"Point","coordinates":[118.56,37.44]}},
         {"type":"Feature","properties":{"code":"W3","kind":"gas","status":"workover","is_key":false,"oil_zone_code":"Z2"},"geometry":{"type":"Point","coordinates":[118.85,37.85]}}]}
        """;

    private async Task ResetAsync()
    {
        await database.TruncateAsync();
        await using var cmd = database.DataSource.CreateCommand("""
            INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁', '#e41a1c'), ('D2', '河口', '#377eb8');
            INSERT INTO oil_zone (code, name, geom) VALUES
              ('Z1', 'zone 1', ST_Multi(ST_MakeEnvelope(118.4, 37.3, 118.7, 37.6, 4326))),
              ('Z2', 'zone 2', ST_Multi(ST_MakeEnvelope(118.7, 37.7, 119.0, 38.0, 4326)));
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static void Ogr2Ogr(params string[] args)
    {
        var psi = new ProcessStartInfo("ogr2ogr") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.Should().Be(0, err);
    }

    private async Task<long> CountAsync(string sql) => Convert.ToInt64(await database.ScalarAsync<object>(sql));

    [Fact]
    public async Task Import_gbk_shapefile_in_EPSG4549_stores_chinese_names_and_lonlat_within_a_micro_degree()
    {
        await ResetAsync();
        await using (var clear = database.DataSource.CreateCommand("DELETE FROM oil_zone")) await clear.ExecuteNonQueryAsync();
        var source = Write("zones.geojson", ZonesGeoJson);
        var shp = Path.Combine(_dir, "zones.shp");
        Ogr2Ogr("-f", "ESRI Shapefile", "-t_srs", "EPSG:4549", "-lco", "ENCODING=GBK", shp, source);
        File.ReadAllText(Path.ChangeExtension(shp, ".cpg")).Should().Contain("GBK");
        // The .dbf really holds GBK bytes: 孤岛 is B9 C2 B5 BA in GBK.
        File.ReadAllBytes(Path.ChangeExtension(shp, ".dbf")).AsSpan().IndexOf(new byte[] { 0xB9, 0xC2, 0xB5, 0xBA }).Should().BeGreaterThan(0);

        var set = FeatureFiles.Read(shp);
        set.SourceSrid.Should().Be(4549);
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.OilZones, set,
            new ImportOptions(new Dictionary<string, string> { ["code"] = "ZONE_ID", ["name"] = "ZONE_NAME" }), default);

        report.Rejections.Should().BeEmpty();
        report.Committed.Should().BeTrue();
        report.Inserts.Should().Be(2);
        (await database.ScalarAsync<string>("SELECT name FROM oil_zone WHERE code = 'Z2'")).Should().Be("孤岛油区");
        // Corner of Z1 back in lon/lat (PROJ via ogr2ogr forward, ProjNet back): within 1e-6° of the GeoJSON source.
        (await database.ScalarAsync<double>("SELECT ST_Distance(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1), 'SRID=4326;POINT(118.5 37.4)'::geometry) FROM oil_zone WHERE code = 'Z1'"))
            .Should().BeLessThan(1e-6);
        (await database.ScalarAsync<double>("SELECT ST_Area(geom::geography) / ST_Area(ST_MakeEnvelope(118.5, 37.4, 118.6, 37.48, 4326)::geography) FROM oil_zone WHERE code = 'Z1'"))
            .Should().BeApproximately(1.0, 1e-6);
    }

    [Theory]
    [InlineData("GPKG", "wells.gpkg")]
    [InlineData("ESRI Shapefile", "wells.shp")]
    [InlineData("KML", "wells.kml")]
    [InlineData("CSV", "wells.csv")]
    [InlineData("GeoJSON", "wells.geojson")]
    public async Task Import_every_format_made_by_gdal_stores_the_three_wells(string driver, string file)
    {
        await ResetAsync();
        var source = Write("wells-src.geojson", WellsGeoJson);
        var path = Path.Combine(_dir, file);
        var extra = driver == "CSV" ? new[] { "-lco", "GEOMETRY=AS_XY" } : [];
        Ogr2Ogr(["-f", driver, path, source, .. extra]);
        var set = FeatureFiles.Read(path);
        // CSV from GDAL names the columns X and Y; KML keeps attributes in ExtendedData.
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Wells, set, new ImportOptions(), default);
        report.Rejections.Should().BeEmpty(string.Join("; ", report.Rejections));
        report.Inserts.Should().Be(3);
        (await CountAsync("SELECT count(*) FROM well")).Should().Be(3);
        (await CountAsync("SELECT count(*) FROM well WHERE is_key")).Should().Be(1);
        (await database.ScalarAsync<double>("SELECT ST_Distance(geom, 'SRID=4326;POINT(118.85 37.85)'::geometry) FROM well WHERE code = 'W3'")).Should().BeLessThan(1e-7);
        (await database.ScalarAsync<string>("SELECT kind FROM well WHERE code = 'W2'")).Should().Be("water_injection");
    }

    [Theory]
    [InlineData("out.geojson")]
    [InlineData("out.shp")]
    [InlineData("out.gpkg")]
    public async Task Export_then_import_round_trips_as_updates(string file)
    {
        await ResetAsync();
        await LayerImport.RunAsync(database.DataSource, ImportLayer.Wells, FeatureFiles.Read(Write("w.geojson", WellsGeoJson)), new ImportOptions(), default);
        var path = Path.Combine(_dir, file);
        (await LayerExport.ExportAsync(database.DataSource, "wells", path, default)).Should().Be(3);

        var again = await LayerImport.RunAsync(database.DataSource, ImportLayer.Wells, FeatureFiles.Read(path), new ImportOptions(), default);
        again.Rejections.Should().BeEmpty(string.Join("; ", again.Rejections));
        again.Inserts.Should().Be(0);
        again.Updates.Should().Be(3);
        (await CountAsync("SELECT count(*) FROM well WHERE is_key AND code = 'W1' AND status = 'producing'")).Should().Be(1);
    }

    [Fact]
    public async Task Import_dry_run_reports_inserts_and_updates_and_stores_nothing()
    {
        await ResetAsync();
        await using (var one = database.DataSource.CreateCommand("INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code) VALUES ('W1', 'SRID=4326;POINT(118.5 37.4)', 'oil', 'idle', false, 'Z1')"))
            await one.ExecuteNonQueryAsync();
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Wells, FeatureFiles.Read(Write("w.geojson", WellsGeoJson)),
            new ImportOptions(DryRun: true), default);
        report.Inserts.Should().Be(2);
        report.Updates.Should().Be(1);
        report.Committed.Should().BeFalse();
        (await CountAsync("SELECT count(*) FROM well")).Should().Be(1);
        (await database.ScalarAsync<string>("SELECT status FROM well WHERE code = 'W1'")).Should().Be("idle");
    }

    [Fact]
    public async Task Import_with_bad_rows_reports_each_and_stores_nothing_from_the_file()
    {
        await ResetAsync();
        var path = Write("bad.geojson", """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"code":"R1","department_code":"D1","name":"good"},"geometry":{"type":"LineString","coordinates":[[118.5,37.4],[118.6,37.5]]}},
             {"type":"Feature","properties":{"code":"R2","department_code":"D9","name":"unknown department"},"geometry":{"type":"LineString","coordinates":[[118.5,37.4],[118.6,37.5]]}},
             {"type":"Feature","properties":{"code":"R3","department_code":"D1","name":"far away"},"geometry":{"type":"LineString","coordinates":[[18.5,37.4],[18.6,37.5]]}},
             {"type":"Feature","properties":{"code":"R4","department_code":"D1","name":"polygon"},"geometry":{"type":"Polygon","coordinates":[[[118.5,37.4],[118.6,37.4],[118.6,37.5],[118.5,37.4]]]}},
             {"type":"Feature","properties":{"department_code":"D1","name":"no code"},"geometry":{"type":"LineString","coordinates":[[118.5,37.4],[118.6,37.5]]}}]}
            """);
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.PatrolRoutes, FeatureFiles.Read(path), new ImportOptions(), default);
        report.Committed.Should().BeFalse();
        report.Rejections.Select(r => r.Where).Should().Equal("feature 2", "feature 3", "feature 4", "feature 5");
        report.Rejections[0].Reason.Should().Be("unknown department 'D9'");
        report.Rejections[1].Reason.Should().StartWith("coordinates out of range");
        report.Rejections[2].Reason.Should().Contain("expected LineString");
        report.Rejections[3].Reason.Should().Be("missing code");
        (await CountAsync("SELECT count(*) FROM patrol_route")).Should().Be(0);
    }

    [Fact]
    public async Task Import_invalid_polygon_is_rejected_with_its_reason()
    {
        await ResetAsync();
        var path = Write("bowtie.geojson", """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"code":"S1","name":"ok","kind":"yard"},"geometry":{"type":"Polygon","coordinates":[[[118.5,37.4],[118.51,37.4],[118.51,37.41],[118.5,37.41],[118.5,37.4]]]}},
             {"type":"Feature","properties":{"code":"S2","name":"bowtie","kind":"yard"},"geometry":{"type":"Polygon","coordinates":[[[118.5,37.4],[118.51,37.41],[118.51,37.4],[118.5,37.41],[118.5,37.4]]]}}]}
            """);
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.IdleSites, FeatureFiles.Read(path), new ImportOptions(), default);
        report.Rejections.Should().ContainSingle(string.Join("; ", report.Rejections)).Which.Should().Match<ImportRejection>(r =>
            r.Where == "feature 2" && r.Reason.Contains("invalid geometry") && r.Reason.Contains("Self-intersection"));
        (await CountAsync("SELECT count(*) FROM idle_site")).Should().Be(0);
    }

    [Fact]
    public async Task Import_jurisdictions_closes_the_current_version_and_adds_a_new_one()
    {
        await ResetAsync();
        await using (var v1 = database.DataSource.CreateCommand("INSERT INTO jurisdiction (department_code, geom, valid_from, edited_by, reason) VALUES ('D1', ST_Multi(ST_MakeEnvelope(118.4, 37.3, 118.5, 37.6, 4326)), '2025-01-01Z', 'planner', 'v1')"))
            await v1.ExecuteNonQueryAsync();
        var path = Write("j.geojson", """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"dept":"D1"},"geometry":{"type":"Polygon","coordinates":[[[118.4,37.3],[118.55,37.3],[118.55,37.6],[118.4,37.6],[118.4,37.3]]]}},
             {"type":"Feature","properties":{"dept":"D2"},"geometry":{"type":"Polygon","coordinates":[[[118.55,37.3],[118.7,37.3],[118.7,37.6],[118.55,37.6],[118.55,37.3]]]}}]}
            """);
        var report = await LayerImport.RunAsync(database.DataSource, ImportLayer.Jurisdictions, FeatureFiles.Read(path),
            new ImportOptions(new Dictionary<string, string> { ["department_code"] = "dept" }, EditedBy: "tester", Reason: "redraw"), default);
        report.Updates.Should().Be(1);
        report.Inserts.Should().Be(1);
        (await CountAsync("SELECT count(*) FROM jurisdiction WHERE valid_to IS NULL")).Should().Be(2);
        (await CountAsync("SELECT count(*) FROM jurisdiction WHERE department_code = 'D1'")).Should().Be(2);
        (await database.ScalarAsync<string>("SELECT reason FROM jurisdiction WHERE department_code = 'D1' AND valid_to IS NULL")).Should().Be("redraw");
    }
}
