using MapControl.Data.Files;
using static MapControl.Cli.Tests.Analysis.AnalysisTestData;

namespace MapControl.Cli.Tests.Analysis;

/// <summary>The file-based analysis verbs in-process: same answers from GeoJSON, a Shapefile in EPSG:4549 and a GeoPackage; bad input → one line.</summary>
public sealed class AnalysisCommandsTests : IDisposable
{
    private readonly string _folder = TempFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_folder, name);

    /// <summary>Writes zones, jurisdictions and tracks in one format; returns the three paths.</summary>
    private (string Zones, string Jurisdictions, string Tracks) WriteInputs(string format)
    {
        var zones = Path($"zones.{format}");
        var jurisdictions = Path($"jurisdictions.{format}");
        var tracks = Path($"tracks.{format}");
        switch (format)
        {
            case "geojson":
                FeatureFiles.WriteGeoJson(zones, ZoneFeatures());
                FeatureFiles.WriteGeoJson(jurisdictions, JurisdictionFeatures());
                FeatureFiles.WriteGeoJson(tracks, TrackFeatures());
                break;
            case "shp":
                FeatureFiles.WriteShapefile(zones, ZoneFeatures(), 4549);
                FeatureFiles.WriteShapefile(jurisdictions, JurisdictionFeatures(), 4549);
                FeatureFiles.WriteShapefile(tracks, TrackFeatures(), 4549);
                break;
            default:
                FeatureFiles.WriteGeoPackage(zones, ZoneFeatures(), "zones");
                FeatureFiles.WriteGeoPackage(jurisdictions, JurisdictionFeatures(), "jurisdictions");
                FeatureFiles.WriteGeoPackage(tracks, TrackFeatures(), "tracks");
                break;
        }
        return (zones, jurisdictions, tracks);
    }

    [Fact]
    public async Task CoverageCheck_geojson_one_gap_one_overlap_with_departments()
    {
        var (zones, jurisdictions, _) = WriteInputs("geojson");
        var result = await RunAsync("coverage-check", "--zones", zones, "--jurisdictions", jurisdictions, "--out", Path("out.geojson"));

        result.Code.Should().Be(0, result.Err);
        result.Out.Should().BeEmpty();
        var features = ReadOutput(Path("out.geojson"));
        features.Select(f => f.Properties.GetProperty("kind").GetString()).Should().Equal("gap", "overlap");
        Departments(features[0].Properties).Should().Equal("A", "B");
        Departments(features[1].Properties).Should().Equal("A", "B");
        // Gap 0.045° × 0.04° and overlap 0.005° × 0.06° at 37.45 N: ~3,977 m × 4,440 m and ~442 m × 6,660 m.
        features[0].Properties.GetProperty("area_m2").GetDouble().Should().BeApproximately(17.66e6, 0.05e6);
        features[1].Properties.GetProperty("area_m2").GetDouble().Should().BeApproximately(2.944e6, 0.01e6);
    }

    [Theory]
    [InlineData("shp")]
    [InlineData("gpkg")]
    public async Task CoverageCheck_other_formats_same_answer_as_geojson(string format)
    {
        var reference = WriteInputs("geojson");
        var other = WriteInputs(format);
        (await RunAsync("coverage-check", "--zones", reference.Zones, "--jurisdictions", reference.Jurisdictions, "--out", Path("a.geojson"))).Code.Should().Be(0);
        var run = await RunAsync("coverage-check", "--zones", other.Zones, "--jurisdictions", other.Jurisdictions, "--out", Path("b.geojson"));
        run.Code.Should().Be(0, run.Err);

        var expected = ReadOutput(Path("a.geojson"));
        var actual = ReadOutput(Path("b.geojson"));
        actual.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            actual[i].Properties.GetProperty("kind").GetString().Should().Be(expected[i].Properties.GetProperty("kind").GetString());
            Departments(actual[i].Properties).Should().Equal(Departments(expected[i].Properties));
            var area = expected[i].Properties.GetProperty("area_m2").GetDouble();
            actual[i].Properties.GetProperty("area_m2").GetDouble().Should().BeApproximately(area, area * 1e-6);
        }
    }

    [Theory]
    [InlineData("geojson")]
    [InlineData("shp")]
    [InlineData("gpkg")]
    public async Task PatrolCoverage_formats_agree_and_areas_add_up(string format)
    {
        var reference = WriteInputs("geojson");
        var inputs = WriteInputs(format);
        (await RunAsync("patrol-coverage", "--tracks", reference.Tracks, "--jurisdictions", reference.Jurisdictions, "--radius-m", "300",
            "--out", Path("a.geojson"))).Code.Should().Be(0);
        var run = await RunAsync("patrol-coverage", "--tracks", inputs.Tracks, "--jurisdictions", inputs.Jurisdictions, "--radius-m", "300",
            "--out", Path("b.geojson"));
        run.Code.Should().Be(0, run.Err);

        var expected = ReadOutput(Path("a.geojson"));
        var actual = ReadOutput(Path("b.geojson"));
        actual.Select(f => f.Properties.GetProperty("department").GetString()).Should().Equal("A", "B", "C");
        for (var i = 0; i < expected.Count; i++)
        {
            foreach (var name in new[] { "jurisdiction_area_m2", "covered_area_m2" })
            {
                var value = expected[i].Properties.GetProperty(name).GetDouble();
                actual[i].Properties.GetProperty(name).GetDouble().Should().BeApproximately(value, value * 1e-6, name);
            }
            var p = actual[i].Properties;
            p.GetProperty("coverage_ratio").GetDouble().Should().BeApproximately(
                p.GetProperty("covered_area_m2").GetDouble() / p.GetProperty("jurisdiction_area_m2").GetDouble(), 1e-5);
            p.GetProperty("coverage_ratio").GetDouble().Should().BeInRange(0.05, 0.6);
            actual[i].Geometry.GeometryType.Should().BeOneOf("Polygon", "MultiPolygon");
        }
    }

    [Fact]
    public async Task PatrolCoverage_gps_points_csv_builds_tracks()
    {
        var (_, jurisdictions, _) = WriteInputs("geojson");
        // Unit U1 drives north along 118.52 with a fix every minute; a 20-minute pause breaks the track (no coverage across the pause).
        var lines = new List<string> { "unit,time,lon,lat,department" };
        var t0 = new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.FromHours(8));
        for (var i = 0; i <= 10; i++) lines.Add(FormattableString.Invariant($"U1,{t0.AddMinutes(i):yyyy-MM-dd'T'HH:mm:sszzz},118.52,{37.41 + i * 0.002},A"));
        for (var i = 0; i <= 10; i++) lines.Add(FormattableString.Invariant($"U1,{t0.AddMinutes(40 + i):yyyy-MM-dd'T'HH:mm:sszzz},118.52,{37.45 + i * 0.002},A"));
        File.WriteAllLines(Path("gps.csv"), lines);

        var run = await RunAsync("patrol-coverage", "--tracks", Path("gps.csv"), "--jurisdictions", jurisdictions, "--radius-m", "100", "--out", Path("p.geojson"));

        run.Code.Should().Be(0, run.Err);
        var a = ReadOutput(Path("p.geojson")).Single(f => f.Properties.GetProperty("department").GetString() == "A");
        // Two tracks of 0.02° (~2,220 m) each: covered ≈ 2 × (2,220 × 200 + π 100²) = 950,800 m² (less where polygons are clipped: none here).
        a.Properties.GetProperty("covered_area_m2").GetDouble().Should().BeApproximately(2 * (2220.6 * 200 + Math.PI * 100 * 100), 3000);
    }

    [Fact]
    public async Task Hotspots_csv_and_geojson_same_cells_cluster_is_hot()
    {
        File.WriteAllText(Path("incidents.csv"), IncidentsCsv());
        FeatureFiles.WriteGeoJson(Path("incidents.geojson"), Incidents().Select(i => new FeatureRecord(
            Wkt(FormattableString.Invariant($"POINT ({i.Lon:R} {i.Lat:R})")),
            new Dictionary<string, object?> { ["id"] = i.Id, ["occurred_at"] = i.At, ["type"] = i.Type })));

        var csv = await RunAsync("hotspots", "--incidents", Path("incidents.csv"), "--cell-m", "500", "--out", Path("a.geojson"));
        var json = await RunAsync("hotspots", "--incidents", Path("incidents.geojson"), "--cell-m", "500", "--out", Path("b.geojson"));

        csv.Code.Should().Be(0, csv.Err);
        json.Code.Should().Be(0, json.Err);
        var a = ReadOutput(Path("a.geojson"));
        var b = ReadOutput(Path("b.geojson"));
        a.Select(f => f.Properties.GetProperty("count").GetInt32()).Should().Equal(b.Select(f => f.Properties.GetProperty("count").GetInt32()));
        a.Sum(f => f.Properties.GetProperty("count").GetInt32()).Should().Be(600);
        var hottest = a.MaxBy(f => f.Properties.GetProperty("gi_z").GetDouble());
        hottest.Properties.GetProperty("hot").GetBoolean().Should().BeTrue();
        hottest.Geometry.Distance(Wkt("POINT (118.53 37.45)")).Should().BeLessThan(0.01);
        a.Should().OnlyContain(f => f.Geometry.GeometryType == "Polygon" && f.Geometry.NumPoints == 7);
    }

    [Fact]
    public async Task Hotspots_window_and_kind_filter_counts()
    {
        File.WriteAllText(Path("incidents.csv"), IncidentsCsv());
        var from = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var to = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var expected = Incidents().Count(i => i.At >= from && i.At < to && i.Type == "pipeline_tapping");

        var run = await RunAsync("hotspots", "--incidents", Path("incidents.csv"), "--cell-m", "1000", "--from", "2025-03-01", "--to", "2025-06-01",
            "--kind", "pipeline_tapping", "--out", Path("h.geojson"));

        run.Code.Should().Be(0, run.Err);
        expected.Should().BeGreaterThan(10);
        ReadOutput(Path("h.geojson")).Sum(f => f.Properties.GetProperty("count").GetInt32()).Should().Be(expected);
    }

    [Fact]
    public async Task Bad_inputs_one_line_non_zero_exit_out_untouched()
    {
        var (zones, jurisdictions, tracks) = WriteInputs("geojson");
        File.WriteAllText(Path("incidents.csv"), IncidentsCsv());
        FeatureFiles.WriteGeoJson(Path("nodept.geojson"), JurisdictionFeatures().Select(f => f with { Properties = new Dictionary<string, object?> { ["name"] = "x" } }));
        File.WriteAllText(Path("broken.geojson"), "{\"type\": \"FeatureCollection\", \"features\": [");
        FeatureFiles.WriteShapefile(Path("crs.shp"), ZoneFeatures(), 4549);
        File.WriteAllText(Path("crs.prj"), "PROJCS[\"Martian grid\",GEOGCS[\"Mars\",DATUM[\"Mars\",SPHEROID[\"Mars\",3396190,169.89]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Stereographic\"],UNIT[\"metre\",1]]");
        File.WriteAllText(Path("out.geojson"), "previous");

        string[][] cases =
        [
            ["coverage-check", "--zones", zones, "--jurisdictions", Path("nodept.geojson"), "--out", Path("out.geojson")],
            ["coverage-check", "--zones", Path("missing.geojson"), "--jurisdictions", jurisdictions, "--out", Path("out.geojson")],
            ["coverage-check", "--zones", Path("broken.geojson"), "--jurisdictions", jurisdictions, "--out", Path("out.geojson")],
            ["coverage-check", "--zones", Path("crs.shp"), "--jurisdictions", jurisdictions, "--out", Path("out.geojson")],
            ["patrol-coverage", "--tracks", tracks, "--jurisdictions", Path("nodept.geojson"), "--radius-m", "300", "--out", Path("out.geojson")],
            ["patrol-coverage", "--tracks", tracks, "--jurisdictions", jurisdictions, "--radius-m", "-3", "--out", Path("out.geojson")],
            ["hotspots", "--incidents", Path("incidents.csv"), "--cell-m", "500", "--from", "2025-02-30", "--out", Path("out.geojson")],
            ["hotspots", "--incidents", Path("incidents.csv"), "--cell-m", "500", "--kind", "burglary", "--out", Path("out.geojson")],
            ["hotspots", "--incidents", zones, "--cell-m", "500", "--out", Path("out.geojson")],
        ];
        foreach (var args in cases)
        {
            var run = await RunAsync(args);
            run.Code.Should().NotBe(0, string.Join(' ', args));
            run.Err.TrimEnd().Split('\n').Where(l => l.StartsWith("mapcontrol: error:", StringComparison.Ordinal)).Should().ContainSingle(string.Join(' ', args));
            run.Err.Should().NotContain("   at ", "no stack traces");
            run.Out.Should().BeEmpty();
            File.ReadAllText(Path("out.geojson")).Should().Be("previous");
        }
        Directory.GetFiles(_folder, "*.tmp*").Should().BeEmpty();
        var missing = await RunAsync(cases[0]);
        missing.Err.Should().Contain("has no string property \"department\"");
    }
}
