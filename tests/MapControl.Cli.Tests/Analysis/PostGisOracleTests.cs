using MapControl.Data.Files;
using MapControl.Data.Tests.PostGis;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Cli.Tests.Analysis.AnalysisTestData;

namespace MapControl.Cli.Tests.Analysis;

/// <summary>
/// The CLI's answers against PostGIS computing the same definitions independently: geodesic areas from ST_Area(geography),
/// buffers from ST_Buffer in the same transverse Mercator (a proj string), hexagon counts from ST_Contains + GROUP BY.
/// </summary>
public sealed class PostGisOracleTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private const double Tolerance = 0.001;
    private readonly string _folder = TempFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_folder, name);

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<double>> DoublesAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<double>();
        while (await reader.ReadAsync()) list.Add(reader.GetDouble(0));
        return list;
    }

    /// <summary>Loads zones and jurisdictions into fresh tables <c>o_zone</c> and <c>o_jur</c> (prefix keeps them apart per test).</summary>
    private async Task LoadAsync(string prefix, IReadOnlyList<FeatureRecord> zones, IReadOnlyList<FeatureRecord> jurisdictions)
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {prefix}_zone, {prefix}_jur; CREATE TABLE {prefix}_zone (id serial, geom geometry(Geometry, 4326)); " +
                           $"CREATE TABLE {prefix}_jur (id serial, dept text, geom geometry(Geometry, 4326))");
        foreach (var zone in zones)
            await ExecuteAsync($"INSERT INTO {prefix}_zone (geom) VALUES (ST_GeomFromText($1, 4326))", zone.Geometry.AsText());
        foreach (var jurisdiction in jurisdictions)
            await ExecuteAsync($"INSERT INTO {prefix}_jur (dept, geom) VALUES ($1, ST_GeomFromText($2, 4326))",
                (string)jurisdiction.Properties["department"]!, jurisdiction.Geometry.AsText());
    }

    private static string Gaps(string prefix) => $"""
        SELECT ST_Area(d.geom::geography) FROM (
          SELECT (ST_Dump(ST_Difference((SELECT ST_Union(geom) FROM {prefix}_zone), (SELECT ST_Union(geom) FROM {prefix}_jur)))).geom) d
         WHERE ST_Dimension(d.geom) = 2 ORDER BY 1 DESC
        """;

    // Area covered twice or more inside the frame: the union of the pairwise intersections.
    private static string Overlaps(string prefix) => $"""
        WITH frame AS (SELECT ST_Union(geom) AS geom FROM {prefix}_zone)
        SELECT coalesce(ST_Area(ST_Union(ST_CollectionExtract(ST_Intersection(ST_Intersection(a.geom, b.geom), frame.geom), 3))::geography), 0)
          FROM {prefix}_jur a JOIN {prefix}_jur b ON a.id < b.id AND ST_Intersects(a.geom, b.geom), frame
        """;

    [Fact]
    public async Task CoverageCheck_gaps_and_overlaps_agree_with_PostGIS_geography_areas()
    {
        FeatureFiles.WriteGeoJson(Path("zones.geojson"), ZoneFeatures());
        FeatureFiles.WriteGeoJson(Path("jur.geojson"), JurisdictionFeatures());
        var run = await RunAsync("coverage-check", "--zones", Path("zones.geojson"), "--jurisdictions", Path("jur.geojson"), "--out", Path("out.geojson"));
        run.Code.Should().Be(0, run.Err);
        var output = ReadOutput(Path("out.geojson"));

        await LoadAsync("syn", ZoneFeatures(), JurisdictionFeatures());
        var gaps = await DoublesAsync(Gaps("syn"));
        var overlapTotal = (await DoublesAsync(Overlaps("syn"))).Single();

        var cliGaps = output.Where(f => f.Properties.GetProperty("kind").GetString() == "gap").Select(f => f.Properties.GetProperty("area_m2").GetDouble()).ToList();
        var cliOverlaps = output.Where(f => f.Properties.GetProperty("kind").GetString() == "overlap").Sum(f => f.Properties.GetProperty("area_m2").GetDouble());
        cliGaps.Should().HaveCount(gaps.Count);
        for (var i = 0; i < gaps.Count; i++) cliGaps[i].Should().BeApproximately(gaps[i], gaps[i] * Tolerance);
        overlapTotal.Should().BeGreaterThan(1e6);
        cliOverlaps.Should().BeApproximately(overlapTotal, overlapTotal * Tolerance);
    }

    [Fact]
    public async Task CoverageCheck_sample_data_agrees_with_PostGIS_within_0_1_percent()
    {
        var sample = SampleFolder();
        var zones = FeatureFiles.Read(System.IO.Path.Combine(sample, "oil_zones.geojson")).Features;
        // The file holds the version history: current versions only (valid_to null), as the CLI takes them.
        var jurisdictions = FeatureFiles.Read(System.IO.Path.Combine(sample, "jurisdictions.geojson")).Features
            .Where(f => f.Properties.GetValueOrDefault("valid_to") is null).ToList();
        jurisdictions.Should().HaveCount(8);
        var run = await RunAsync("coverage-check", "--zones", System.IO.Path.Combine(sample, "oil_zones.geojson"),
            "--jurisdictions", System.IO.Path.Combine(sample, "jurisdictions.geojson"), "--out", Path("out.geojson"), "--min-area-m2", "0");
        run.Code.Should().Be(0, run.Err);
        var output = ReadOutput(Path("out.geojson"));

        await LoadAsync("smp", zones, jurisdictions);
        var gaps = await DoublesAsync(Gaps("smp"));
        var overlapTotal = (await DoublesAsync(Overlaps("smp"))).Single();

        // Large gaps one by one; slivers (< 100 m², on the 1 mm snap grid vs PostGIS floating point) only in the total.
        var cliGaps = output.Where(f => f.Properties.GetProperty("kind").GetString() == "gap").Select(f => f.Properties.GetProperty("area_m2").GetDouble())
            .OrderByDescending(a => a).ToList();
        var large = gaps.Where(a => a > 100).ToList();
        large.Should().HaveCountGreaterThanOrEqualTo(3);
        for (var i = 0; i < large.Count; i++) cliGaps[i].Should().BeApproximately(large[i], large[i] * Tolerance);
        cliGaps.Sum().Should().BeApproximately(gaps.Sum(), gaps.Sum() * Tolerance);
        var cliOverlaps = output.Where(f => f.Properties.GetProperty("kind").GetString() == "overlap").Sum(f => f.Properties.GetProperty("area_m2").GetDouble());
        cliOverlaps.Should().BeApproximately(overlapTotal, overlapTotal * Tolerance);
    }

    [Fact]
    public async Task PatrolCoverage_covered_areas_agree_with_PostGIS_buffers_in_the_same_TM()
    {
        FeatureFiles.WriteGeoJson(Path("jur.geojson"), JurisdictionFeatures());
        FeatureFiles.WriteGeoJson(Path("tracks.geojson"), TrackFeatures());
        // Exact buffers (no simplification, 16 segments per quarter) as the SQL below draws them.
        var run = await RunAsync("patrol-coverage", "--tracks", Path("tracks.geojson"), "--jurisdictions", Path("jur.geojson"), "--radius-m", "300",
            "--simplify-m", "0", "--quadrant-segments", "16", "--out", Path("out.geojson"));
        run.Code.Should().Be(0, run.Err);
        var output = ReadOutput(Path("out.geojson"));

        // The CLI centres its TM on the jurisdictions' envelope: 118.50..118.67 E, 37.40..37.50 N.
        const string Tm = "+proj=tmerc +lat_0=37.45 +lon_0=118.585 +k=1 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +no_defs";
        await LoadAsync("pat", ZoneFeatures(), JurisdictionFeatures());
        await ExecuteAsync("DROP TABLE IF EXISTS pat_track; CREATE TABLE pat_track (geom geometry(Geometry, 4326))");
        foreach (var track in TrackFeatures())
            await ExecuteAsync("INSERT INTO pat_track (geom) VALUES (ST_GeomFromText($1, 4326))", track.Geometry.AsText());
        foreach (var department in new[] { "A", "B", "C" })
        {
            await using var command = database.DataSource.CreateCommand($"""
                WITH c AS (SELECT ST_Union(ST_Buffer(ST_Transform(geom, '{Tm}'), 300, 'quad_segs=16')) AS geom FROM pat_track),
                     j AS (SELECT ST_Union(geom) AS geom FROM pat_jur WHERE dept = $1)
                SELECT ST_Area(j.geom::geography),
                       ST_Area(ST_Transform(ST_Intersection(ST_Transform(j.geom, '{Tm}'), c.geom), '{Tm}', 4326)::geography)
                  FROM c, j
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = department });
            await using var reader = await command.ExecuteReaderAsync();
            (await reader.ReadAsync()).Should().BeTrue();
            var (jurisdiction, covered) = (reader.GetDouble(0), reader.GetDouble(1));
            var feature = output.Single(f => f.Properties.GetProperty("department").GetString() == department).Properties;
            feature.GetProperty("jurisdiction_area_m2").GetDouble().Should().BeApproximately(jurisdiction, jurisdiction * Tolerance, department);
            covered.Should().BeGreaterThan(1e6);
            feature.GetProperty("covered_area_m2").GetDouble().Should().BeApproximately(covered, covered * Tolerance, department);
        }
    }

    [Fact]
    public async Task Hotspots_counts_per_cell_agree_with_PostGIS_ST_Contains()
    {
        File.WriteAllText(Path("incidents.csv"), IncidentsCsv());
        var run = await RunAsync("hotspots", "--incidents", Path("incidents.csv"), "--cell-m", "500", "--out", Path("out.geojson"));
        run.Code.Should().Be(0, run.Err);
        var output = ReadOutput(Path("out.geojson"));

        await ExecuteAsync("DROP TABLE IF EXISTS hs_cell, hs_incident; CREATE TABLE hs_cell (id int, geom geometry(Polygon, 4326)); " +
                           "CREATE TABLE hs_incident (geom geometry(Point, 4326))");
        for (var i = 0; i < output.Count; i++)
            await ExecuteAsync("INSERT INTO hs_cell VALUES ($1, ST_GeomFromText($2, 4326))", i, output[i].Geometry.AsText());
        foreach (var incident in Incidents())
            await ExecuteAsync("INSERT INTO hs_incident VALUES (ST_SetSRID(ST_MakePoint($1, $2), 4326))", incident.Lon, incident.Lat);

        var counts = await DoublesAsync("SELECT count(i.geom)::float8 FROM hs_cell c LEFT JOIN hs_incident i ON ST_Contains(c.geom, i.geom) GROUP BY c.id ORDER BY c.id");
        counts.Select(c => (int)c).Should().Equal(output.Select(f => f.Properties.GetProperty("count").GetInt32()));
        counts.Sum().Should().Be(600);
        // Hexagons tile: no overlaps between cells (PostGIS sees the same geometry).
        (await DoublesAsync("SELECT count(*)::float8 FROM hs_cell a JOIN hs_cell b ON a.id < b.id AND ST_Overlaps(a.geom, b.geom) AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1"))
            .Single().Should().Be(0);
    }

    private static string SampleFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "MapControl.sln")))
                return System.IO.Path.Combine(folder.FullName, "data", "sample");
        throw new InvalidOperationException("repository root (MapControl.sln) not found");
    }
}
