using MapControl.Core.Crs;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.Tests.PostGis;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace MapControl.Data.Tests.Analysis;

/// <summary>
/// Patrol coverage of jurisdictions that are not simple polygons, against PostGIS computing the simplified definition on its
/// own (tracks broken at 10-minute gaps, ST_MakeLine, ST_Simplify 5 m, ST_Buffer 300 m with 8 segments per quarter circle,
/// ST_Union): the workload of <see cref="PatrolCoveragePostGisTests"/> with one jurisdiction a MultiPolygon of two parts
/// that do not touch, one a polygon with a hole, and the hole a jurisdiction of its own that only neighbouring units patrol.
/// Coverage ratios and own-coverage ratios (J ∩ the union of the department's own units' buffers) must agree within 0.001.
/// </summary>
public sealed class PatrolCoverageShapesPostGisTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const double RatioTolerance = 0.001;
    private static readonly MetricProjection Projection = MetricProjection.CentredOn(118.55, 37.45);
    private const string Tm = "+proj=tmerc +lat_0=37.45 +lon_0=118.55 +k=1 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs";

    [Fact]
    public async Task Compute_multiPolygonAndHoleJurisdictions_ratiosAndOwnRatiosAgreeWithPostGis()
    {
        var (jurisdictions, units, fixes) = Workload();
        var report = PatrolCoverage.Compute(new PatrolCoverageInput(jurisdictions, fixes, units, []),
            new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: Projection));

        await LoadAsync(jurisdictions, units, fixes);
        var postgis = await PostGisRatiosAsync();

        postgis.Should().HaveCount(jurisdictions.Count);
        foreach (var department in report.Departments)
        {
            var (ratio, ownRatio) = postgis[department.DepartmentCode];
            department.CoverageRatio.Should().BeApproximately(ratio, RatioTolerance, department.DepartmentCode);
            (department.OwnCoveredAreaM2 / department.JurisdictionAreaM2).Should().BeApproximately(ownRatio, RatioTolerance, department.DepartmentCode);
            (department.OwnCoveredAreaM2 + department.NeighbourOnlyAreaM2).Should().BeApproximately(department.CoveredAreaM2, 1e-6);
        }

        var hole = report.Departments.Single(d => d.DepartmentCode == "H");
        hole.CoverageRatio.Should().BeGreaterThan(0.3, "the units of the jurisdiction around it drive through it");
        hole.NeighbourShare.Should().Be(1.0, "no unit of its own");
        report.Departments.Single(d => d.DepartmentCode == "M").CoverageRatio.Should().BeInRange(0.2, 0.95);
        postgis["D00"].Ratio.Should().BeInRange(0.2, 0.95);
    }

    /// <summary>
    /// The 3 × 2 workload with D10 and D02 (not touching) merged into the MultiPolygon M, and a 1.6 km square H cut out of
    /// D00 (a hole there) as a jurisdiction of its own with no units.
    /// </summary>
    private static (IReadOnlyDictionary<string, Geometry> Jurisdictions, IReadOnlyList<PatrolUnit> Units, IReadOnlyList<GpsFix> Fixes) Workload()
    {
        var (original, units, fixes) = PatrolCoveragePostGisTests.Workload();
        var metric = original.ToDictionary(j => j.Key, j => Projection.Forward(j.Value), StringComparer.Ordinal);
        var factory = new GeometryFactory();
        metric["D10"].Intersects(metric["D02"]).Should().BeFalse();
        var centre = metric["D00"].EnvelopeInternal.Centre;
        var square = factory.CreatePolygon(
        [
            new Coordinate(centre.X - 800, centre.Y - 800), new Coordinate(centre.X + 800, centre.Y - 800),
            new Coordinate(centre.X + 800, centre.Y + 800), new Coordinate(centre.X - 800, centre.Y + 800),
            new Coordinate(centre.X - 800, centre.Y - 800),
        ]);
        var d00 = (Polygon)metric["D00"];
        d00.Contains(square).Should().BeTrue();
        var result = new SortedDictionary<string, Geometry>(StringComparer.Ordinal)
        {
            ["D00"] = Projection.Inverse(factory.CreatePolygon(d00.Shell, [(LinearRing)square.Shell.Reverse()])),
            ["H"] = Projection.Inverse(square),
            ["M"] = Projection.Inverse(factory.CreateMultiPolygon([(Polygon)metric["D10"], (Polygon)metric["D02"]])),
        };
        foreach (var code in new[] { "D01", "D11", "D12" }) result[code] = original[code];
        result.Values.Should().OnlyContain(g => g.IsValid);
        var renamed = units.Select(u => u.DepartmentCode is "D10" or "D02" ? u with { DepartmentCode = "M" } : u).ToList();
        return (result, renamed, fixes);
    }

    private async Task LoadAsync(IReadOnlyDictionary<string, Geometry> jurisdictions, IReadOnlyList<PatrolUnit> units, IReadOnlyList<GpsFix> fixes)
    {
        await using (var create = database.DataSource.CreateCommand(
            "DROP TABLE IF EXISTS ps_dept, ps_unit, ps_gps; CREATE TABLE ps_dept (code text, geom geometry(Geometry, 4326)); " +
            "CREATE TABLE ps_unit (unit text, dept text); CREATE TABLE ps_gps (unit text, t timestamptz, lon float8, lat float8)"))
            await create.ExecuteNonQueryAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        foreach (var (code, geometry) in jurisdictions)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO ps_dept VALUES ($1, ST_GeomFromText($2, 4326))", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = code });
            insert.Parameters.Add(new NpgsqlParameter { Value = geometry.AsText() });
            await insert.ExecuteNonQueryAsync();
        }

        foreach (var unit in units)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO ps_unit VALUES ($1, $2)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = unit.Code });
            insert.Parameters.Add(new NpgsqlParameter { Value = unit.DepartmentCode });
            await insert.ExecuteNonQueryAsync();
        }

        await using var writer = await connection.BeginBinaryImportAsync("COPY ps_gps (unit, t, lon, lat) FROM STDIN (FORMAT BINARY)");
        foreach (var fix in fixes)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(fix.UnitCode, NpgsqlDbType.Text);
            await writer.WriteAsync(fix.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(fix.Lon, NpgsqlDbType.Double);
            await writer.WriteAsync(fix.Lat, NpgsqlDbType.Double);
        }

        await writer.CompleteAsync();
    }

    // Per jurisdiction: (covered / area, (J ∩ own units' coverage) / area).
    private async Task<Dictionary<string, (double Ratio, double OwnRatio)>> PostGisRatiosAsync()
    {
        await using var command = database.DataSource.CreateCommand($"""
            WITH b AS (
              SELECT unit, t, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom,
                     CASE WHEN t - lag(t) OVER (PARTITION BY unit ORDER BY t) > interval '10 minutes' THEN 1 ELSE 0 END AS brk
              FROM ps_gps),
            f AS (SELECT unit, t, geom, sum(brk) OVER (PARTITION BY unit ORDER BY t) AS track FROM b),
            tracks AS (SELECT u.dept, ST_Simplify(ST_Transform(ST_MakeLine(f.geom ORDER BY f.t), '{Tm}'), 5) AS g
                       FROM f JOIN ps_unit u USING (unit) GROUP BY u.dept, f.unit, f.track),
            buffers AS (SELECT dept, ST_Buffer(g, 300, 'quad_segs=8') AS g FROM tracks),
            cov AS (SELECT ST_Union(g) AS g FROM buffers),
            own AS (SELECT dept, ST_Union(g) AS g FROM buffers GROUP BY dept),
            j AS (SELECT code, ST_Transform(geom, '{Tm}') AS g FROM ps_dept)
            SELECT j.code, 1 - ST_Area(ST_Difference(j.g, cov.g)) / ST_Area(j.g),
                   coalesce(ST_Area(ST_Intersection(j.g, own.g)), 0) / ST_Area(j.g)
            FROM j CROSS JOIN cov LEFT JOIN own ON own.dept = j.code
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) result[reader.GetString(0)] = (reader.GetDouble(1), reader.GetDouble(2));
        return result;
    }
}
