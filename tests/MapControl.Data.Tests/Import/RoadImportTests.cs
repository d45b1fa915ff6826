using System.Diagnostics;
using System.Text;
using MapControl.Core.Model;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Data.Tests.PostGis;

namespace MapControl.Data.Tests.Import;

/// <summary>
/// The roads layer of the one import path: a GeoJSON or a Shapefile (made by GDAL) replaces the road network, noded in the import's
/// transaction; planners and admins of the centre only; a bad row or a refusal leaves the network as it was.
/// </summary>
public sealed class RoadImportTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-road-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // H and V cross at (118.51, 37.50) where neither has a vertex; "ring" is a MultiLineString of two parts, one touching V's north end.
    private const string RoadsGeoJson = """
        {"type":"FeatureCollection","features":[
         {"type":"Feature","properties":{"NAME":"东西路","highway":"primary"},"geometry":{"type":"LineString","coordinates":[[118.50,37.50],[118.52,37.50]]}},
         {"type":"Feature","properties":{"NAME":"南北路","highway":"secondary"},"geometry":{"type":"LineString","coordinates":[[118.51,37.49],[118.51,37.51]]}},
         {"type":"Feature","properties":{"NAME":"井场路","highway":""},"geometry":{"type":"MultiLineString","coordinates":[[[118.51,37.51],[118.53,37.51]],[[118.60,37.50],[118.61,37.50]]]}}]}
        """;

    private static readonly Dictionary<string, string> Mapping = new() { ["name"] = "NAME", ["kind"] = "highway" };
    private static readonly User Planner = new("planner", "规划员", Role.Planner, null);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private async Task<long> CountAsync(string sql) => Convert.ToInt64(await database.ScalarAsync<object>(sql));

    private Task<ImportReport> ImportAsync(string path, User? editor, bool dryRun = false) =>
        LayerImport.RunAsync(database.DataSource, ImportLayer.Roads, FeatureFiles.Read(path), new ImportOptions(Mapping, dryRun, Editor: editor), default);

    [Fact]
    public async Task A_planner_imports_roads_and_the_network_is_noded_in_the_same_transaction()
    {
        await database.TruncateAsync();
        var path = Write("roads.geojson", RoadsGeoJson);

        var dry = await ImportAsync(path, Planner, dryRun: true);
        dry.Rejections.Should().BeEmpty();
        dry.Committed.Should().BeFalse();
        dry.Notes.Should().Contain(n => n.Contains("4 lines noded into 6 segments between 8 vertices"));
        (await CountAsync("SELECT count(*) FROM road_segment")).Should().Be(0, "a dry run stores nothing");

        var report = await ImportAsync(path, Planner);
        report.Committed.Should().BeTrue();
        report.Inserts.Should().Be(3);
        // H and V cut at their crossing (2 + 2), the ring's first part (1) meets V's end, its second part (1) stands alone.
        (await CountAsync("SELECT count(*) FROM road_segment")).Should().Be(6);
        (await CountAsync("SELECT count(*) FROM road_vertex")).Should().Be(8);
        (await CountAsync("SELECT count(*) FROM road_segment WHERE name = '东西路' AND kind = 'primary'")).Should().Be(2);
        (await CountAsync("SELECT count(*) FROM road_segment WHERE name = '井场路' AND kind = 'road'")).Should().Be(2, "an empty kind takes the default");
        (await CountAsync("""
            SELECT count(*) FROM road_segment a JOIN road_segment b ON a.id < b.id AND ST_Relate(a.geom, b.geom, 'T********')
            """)).Should().Be(0, "segments meet only at their ends");
        (await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'import' AND entity = 'road_segment'")).Should().Be(1);
        // pgRouting finds the way from H's west end to the ring's east end: 1 km east, 1 km north, 2 km east (about 4 km).
        var metres = await database.ScalarAsync<double>("""
            SELECT agg_cost FROM pgr_dijkstraCost('SELECT id, source, target, cost, reverse_cost FROM road_segment',
                (SELECT id FROM road_vertex WHERE ST_Equals(geom, 'SRID=4326;POINT(118.50 37.50)'::geometry)),
                (SELECT id FROM road_vertex WHERE ST_Equals(geom, 'SRID=4326;POINT(118.53 37.51)'::geometry)))
            """);
        var expected = await database.ScalarAsync<double>("SELECT ST_Length('SRID=4326;LINESTRING(118.50 37.50, 118.51 37.50, 118.51 37.51, 118.53 37.51)'::geography)");
        metres.Should().BeApproximately(expected, 0.01);
    }

    [Fact]
    public async Task A_shapefile_replaces_the_network()
    {
        await database.TruncateAsync();
        await ImportAsync(Write("first.geojson", RoadsGeoJson), Planner);
        var source = Write("roads-src.geojson", """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"NAME":"新路","highway":"track"},"geometry":{"type":"LineString","coordinates":[[118.40,37.40],[118.42,37.40],[118.42,37.42]]}}]}
            """);
        var shp = Path.Combine(_dir, "roads.shp");
        var psi = new ProcessStartInfo("ogr2ogr") { RedirectStandardError = true, ArgumentList = { "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", shp, source } };
        using (var p = Process.Start(psi)!) { var err = p.StandardError.ReadToEnd(); p.WaitForExit(); p.ExitCode.Should().Be(0, err); }

        var report = await ImportAsync(shp, new User("admin", "管理员", Role.Admin, null));
        report.Committed.Should().BeTrue();
        (await CountAsync("SELECT count(*) FROM road_segment")).Should().Be(1, "the file replaces the whole network");
        (await CountAsync("SELECT count(*) FROM road_segment WHERE name = '新路' AND kind = 'track'")).Should().Be(1);
    }

    [Fact]
    public async Task Others_than_planners_and_admins_of_the_centre_and_bad_rows_leave_the_network_as_it_was()
    {
        await database.TruncateAsync();
        await ImportAsync(Write("first.geojson", RoadsGeoJson), Planner);
        var other = Write("other.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"NAME":"x"},"geometry":{"type":"LineString","coordinates":[[118.40,37.40],[118.42,37.40]]}}]}
            """);
        foreach (var editor in new[] { new User("cmd", "指挥", Role.Commander, null), new User("p1", "规划", Role.Planner, "D1"), new User("an", "分析", Role.Analyst, null) })
        {
            var refused = await ImportAsync(other, editor);
            refused.Forbidden.Should().BeTrue(editor.UserName);
            refused.Committed.Should().BeFalse();
        }
        var bad = await ImportAsync(Write("bad.geojson", $$$"""
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"NAME":"ok"},"geometry":{"type":"LineString","coordinates":[[118.40,37.40],[118.42,37.40]]}},
             {"type":"Feature","properties":{"NAME":"{{{new string('路', 201)}}}"},"geometry":{"type":"LineString","coordinates":[[118.40,37.40],[118.40,37.42]]}},
             {"type":"Feature","properties":{"NAME":"point"},"geometry":{"type":"Point","coordinates":[118.40,37.40]}},
             {"type":"Feature","properties":{"NAME":"paris"},"geometry":{"type":"LineString","coordinates":[[2.35,48.85],[2.36,48.86]]}}]}
            """), Planner);
        bad.Committed.Should().BeFalse();
        bad.Rejections.Select(r => r.Where).Should().Equal("feature 2", "feature 3", "feature 4");
        bad.Rejections[0].Reason.Should().Contain("at most 200");
        (await CountAsync("SELECT count(*) FROM road_segment")).Should().Be(6, "the network is as the first import left it");
    }
}
