using MapControl.Core.Crs;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.Tests.PostGis;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace MapControl.Data.Tests.Analysis;

/// <summary>
/// Patrol coverage on a small version of the scale workload (detailed jurisdictions sharing jittered edges, units driving a
/// road grid at 1 Hz with ±3 m jitter) against PostGIS computing the simplified definition on its own: tracks broken at
/// 10-minute gaps, ST_MakeLine, ST_Simplify 5 m in the same transverse Mercator, ST_Buffer 300 m (8 segments per quarter
/// circle), ST_Union, then each jurisdiction minus the union. Coverage ratios must agree within 0.001.
/// </summary>
public sealed class PatrolCoveragePostGisTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const double RatioTolerance = 0.001;
    private static readonly MetricProjection Projection = MetricProjection.CentredOn(118.55, 37.45);
    private const string Tm = "+proj=tmerc +lat_0=37.45 +lon_0=118.55 +k=1 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs";

    [Fact]
    public async Task Compute_coverageRatiosOfDetailedJurisdictions_agreeWithPostGisSimplifiedSql()
    {
        var (jurisdictions, units, fixes) = Workload();
        var report = PatrolCoverage.Compute(new PatrolCoverageInput(jurisdictions, fixes, units, []),
            new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: Projection));

        await LoadAsync(jurisdictions, fixes);
        var postgis = await PostGisRatiosAsync();

        postgis.Should().HaveCount(jurisdictions.Count);
        postgis.Values.Should().Contain(r => r > 0.2 && r < 0.9, "the workload covers jurisdictions partly");
        foreach (var department in report.Departments)
        {
            department.CoverageRatio.Should().BeApproximately(postgis[department.DepartmentCode], RatioTolerance, department.DepartmentCode);
            (department.OwnCoveredAreaM2 + department.NeighbourOnlyAreaM2).Should().BeApproximately(department.CoveredAreaM2, 1e-6);
        }

        report.Departments.Should().Contain(d => d.NeighbourOnlyAreaM2 > 1000, "units cross into neighbouring jurisdictions");
    }

    private async Task LoadAsync(IReadOnlyDictionary<string, Geometry> jurisdictions, IReadOnlyList<GpsFix> fixes)
    {
        await using (var create = database.DataSource.CreateCommand(
            "DROP TABLE IF EXISTS pc_dept, pc_gps; CREATE TABLE pc_dept (code text, geom geometry(Polygon, 4326)); " +
            "CREATE TABLE pc_gps (unit text, t timestamptz, lon float8, lat float8)"))
            await create.ExecuteNonQueryAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        foreach (var (code, geometry) in jurisdictions)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO pc_dept VALUES ($1, ST_GeomFromText($2, 4326))", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = code });
            insert.Parameters.Add(new NpgsqlParameter { Value = geometry.AsText() });
            await insert.ExecuteNonQueryAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY pc_gps (unit, t, lon, lat) FROM STDIN (FORMAT BINARY)"))
        {
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
    }

    private async Task<Dictionary<string, double>> PostGisRatiosAsync()
    {
        await using var command = database.DataSource.CreateCommand($"""
            WITH b AS (
              SELECT unit, t, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom,
                     CASE WHEN t - lag(t) OVER (PARTITION BY unit ORDER BY t) > interval '10 minutes' THEN 1 ELSE 0 END AS brk
              FROM pc_gps),
            f AS (SELECT unit, t, geom, sum(brk) OVER (PARTITION BY unit ORDER BY t) AS track FROM b),
            tracks AS (SELECT ST_Simplify(ST_Transform(ST_MakeLine(geom ORDER BY t), '{Tm}'), 5) AS g FROM f GROUP BY unit, track),
            cov AS (SELECT ST_Union(ST_Buffer(g, 300, 'quad_segs=8')) AS g FROM tracks),
            j AS (SELECT code, ST_Transform(geom, '{Tm}') AS g FROM pc_dept)
            SELECT code, 1 - ST_Area(ST_Difference(j.g, cov.g)) / ST_Area(j.g) FROM j, cov
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetDouble(1);
        return result;
    }

    /// <summary>
    /// 3 × 2 jurisdictions over 9 km × 6 km whose inner edges are 200 noisy segments each (generated once, shared by both
    /// neighbours, ~800 vertices per polygon); 12 units (2 per department) driving an 800 m road grid at 8–12 m/s, 1 Hz,
    /// ±3 m jitter, 1,500 fixes each, leaving their own jurisdiction now and then.
    /// </summary>
    internal static (IReadOnlyDictionary<string, Geometry> Jurisdictions, IReadOnlyList<PatrolUnit> Units, IReadOnlyList<GpsFix> Fixes) Workload()
    {
        const int cols = 3, rows = 2, segments = 200;
        const double width = 3000, height = 3000, x0 = 500_000 - 4500, y0 = 4_145_000;
        var random = new Random(1616);
        var nodes = new Coordinate[cols + 1, rows + 1];
        for (var i = 0; i <= cols; i++)
            for (var j = 0; j <= rows; j++)
                nodes[i, j] = new Coordinate(x0 + i * width + (i > 0 && i < cols ? (random.NextDouble() - 0.5) * 600 : 0),
                    y0 + j * height + (j > 0 && j < rows ? (random.NextDouble() - 0.5) * 600 : 0));
        Coordinate[] Edge(Coordinate a, Coordinate b, bool noisy)
        {
            double dx = b.X - a.X, dy = b.Y - a.Y, length = Math.Sqrt(dx * dx + dy * dy), phase = random.NextDouble() * 6;
            var edge = new Coordinate[segments + 1];
            for (var k = 0; k <= segments; k++)
            {
                var t = (double)k / segments;
                var offset = noisy && k > 0 && k < segments
                    ? Math.Sin(Math.PI * t) * (120 * Math.Sin(2 * Math.PI * 2 * t + phase) + 8 * (random.NextDouble() - 0.5))
                    : 0;
                edge[k] = new Coordinate(a.X + t * dx - offset * dy / length, a.Y + t * dy + offset * dx / length);
            }

            return edge;
        }

        var horizontal = new Coordinate[cols, rows + 1][];
        var vertical = new Coordinate[cols + 1, rows][];
        for (var i = 0; i < cols; i++)
            for (var j = 0; j <= rows; j++)
                horizontal[i, j] = Edge(nodes[i, j], nodes[i + 1, j], j > 0 && j < rows);
        for (var i = 0; i <= cols; i++)
            for (var j = 0; j < rows; j++)
                vertical[i, j] = Edge(nodes[i, j], nodes[i, j + 1], i > 0 && i < cols);
        var factory = new GeometryFactory();
        var jurisdictions = new SortedDictionary<string, Geometry>(StringComparer.Ordinal);
        for (var j = 0; j < rows; j++)
        {
            for (var i = 0; i < cols; i++)
            {
                var ring = new List<Coordinate>();
                ring.AddRange(horizontal[i, j][..^1]);
                ring.AddRange(vertical[i + 1, j][..^1]);
                ring.AddRange(horizontal[i, j + 1].Reverse().ToArray()[..^1]);
                ring.AddRange(vertical[i, j].Reverse().ToArray()[..^1]);
                ring.Add(ring[0].Copy());
                var metric = factory.CreatePolygon(ring.Select(c => c.Copy()).ToArray());
                metric.IsValid.Should().BeTrue();
                jurisdictions[$"D{j}{i}"] = Projection.Inverse(metric);
            }
        }

        var codes = jurisdictions.Keys.ToList();
        var units = Enumerable.Range(0, 2 * codes.Count).Select(u => new PatrolUnit($"U{u:00}", codes[u % codes.Count], $"Unit {u}", $"d{u}")).ToList();
        var fixes = new List<GpsFix>();
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
        (int X, int Y)[] directions = [(1, 0), (0, 1), (-1, 0), (0, -1)];
        const double spacing = 800;
        foreach (var unit in units)
        {
            var envelope = Projection.Forward(jurisdictions[unit.DepartmentCode]).EnvelopeInternal;
            int ix = (int)Math.Round(envelope.Centre.X / spacing), iy = (int)Math.Round(envelope.Centre.Y / spacing), heading = random.Next(4);
            double x = ix * spacing, y = iy * spacing;
            var time = start;
            var emitted = 0;
            while (emitted < 1500)
            {
                int next, nx, ny, guard = 0;
                do
                {
                    next = random.Next(4);
                    nx = ix + directions[next].X;
                    ny = iy + directions[next].Y;
                }
                while (++guard < 50 && (next == (heading + 2) % 4 || (!envelope.Contains(nx * spacing, ny * spacing) && random.NextDouble() > 0.1)));
                heading = next;
                var speed = 8 + random.NextDouble() * 4;
                var steps = (int)Math.Ceiling(spacing / speed);
                for (var s = 1; s <= steps; s++)
                {
                    var f = (double)s / steps;
                    var (lon, lat) = Projection.Inverse(x + (nx * spacing - x) * f + 3 * (random.NextDouble() * 2 - 1),
                        y + (ny * spacing - y) * f + 3 * (random.NextDouble() * 2 - 1));
                    time = time.AddSeconds(1);
                    fixes.Add(new GpsFix(unit.Code, time, lon, lat));
                    emitted++;
                }

                (ix, iy, x, y) = (nx, ny, nx * spacing, ny * spacing);
            }
        }

        return (jurisdictions, units, fixes);
    }
}
