using System.Diagnostics;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace MapControl.Benchmarks;

/// <summary>The PostGIS side: loads the same generated data (binary COPY) and times the peer queries client-side.</summary>
public sealed class PostGisPeer : IAsyncDisposable
{
    /// <summary>SRID of MapControl's Dongying transverse Mercator registered in the benchmark database.</summary>
    public const int LocalSrid = 990001;

    private const string LocalProj4 = "+proj=tmerc +lat_0=37.45 +lon_0=118.55 +k=1 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs";

    private readonly NpgsqlDataSource _dataSource;

    public PostGisPeer(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        _dataSource = builder.Build();
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public async Task<string> VersionAsync()
    {
        await using var cmd = _dataSource.CreateCommand("SELECT split_part(version(), ' on ', 1) || ' / ' || postgis_full_version()");
        var text = (string)(await cmd.ExecuteScalarAsync().ConfigureAwait(false))!;
        // Keep the short form: POSTGIS="3.3.2 ..." GEOS="3.11.1-CAPI-1.17.1" ...
        var parts = text.Split(' ').Where(p => p.StartsWith("POSTGIS=", StringComparison.Ordinal) || p.StartsWith("GEOS=", StringComparison.Ordinal) || p.StartsWith("PostgreSQL", StringComparison.Ordinal) || char.IsDigit(p.FirstOrDefault()) && p.Contains('.'));
        return string.Join(' ', parts.Take(5));
    }

    private async Task ExecAsync(string sql)
    {
        await using var cmd = _dataSource.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task LoadAsync(BenchData data)
    {
        await ExecAsync("CREATE EXTENSION IF NOT EXISTS postgis").ConfigureAwait(false);
        await ExecAsync($"""
            DELETE FROM spatial_ref_sys WHERE srid = {LocalSrid};
            INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
            VALUES ({LocalSrid}, 'MAPCONTROL', {LocalSrid}, NULL, '{LocalProj4}');
            DROP TABLE IF EXISTS frame, jur_a, jur_b, incidents, dept, gps;
            CREATE TABLE frame (id int, geom geometry(Polygon, 4326));
            CREATE TABLE jur_a (id int, geom geometry(Polygon, 4326));
            CREATE TABLE jur_b (id int, geom geometry(Polygon, 4326));
            CREATE TABLE incidents (id int, geom geometry(Point, 4326));
            CREATE TABLE dept (code text, geom geometry(Polygon, 4326));
            CREATE TABLE gps (unit text, t timestamptz, geom geometry(Point, 4326));
            """).ConfigureAwait(false);

        await using var conn = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await CopyPolygonsAsync(conn, "frame", [(Polygon)BenchData.LonLat.ToGeometry(BenchData.Frame)]).ConfigureAwait(false);
        await CopyPolygonsAsync(conn, "jur_a", data.Defective).ConfigureAwait(false);
        await CopyPolygonsAsync(conn, "jur_b", data.Tiling).ConfigureAwait(false);

        var factory = BenchData.LonLat;
        await using (var writer = await conn.BeginBinaryImportAsync("COPY incidents (id, geom) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
        {
            for (var i = 0; i < data.Lon.Length; i++)
            {
                await writer.StartRowAsync().ConfigureAwait(false);
                await writer.WriteAsync(i, NpgsqlDbType.Integer).ConfigureAwait(false);
                await writer.WriteAsync((Geometry)factory.CreatePoint(new Coordinate(data.Lon[i], data.Lat[i])), NpgsqlDbType.Geometry).ConfigureAwait(false);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }

        await using (var writer = await conn.BeginBinaryImportAsync("COPY dept (code, geom) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
        {
            foreach (var (code, geometry) in data.Departments)
            {
                await writer.StartRowAsync().ConfigureAwait(false);
                await writer.WriteAsync(code, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(geometry, NpgsqlDbType.Geometry).ConfigureAwait(false);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }

        await using (var writer = await conn.BeginBinaryImportAsync("COPY gps (unit, t, geom) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
        {
            foreach (var fix in data.Fixes)
            {
                await writer.StartRowAsync().ConfigureAwait(false);
                await writer.WriteAsync(fix.UnitCode, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(fix.Time, NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                await writer.WriteAsync((Geometry)factory.CreatePoint(new Coordinate(fix.Lon, fix.Lat)), NpgsqlDbType.Geometry).ConfigureAwait(false);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }

        await ExecAsync("""
            CREATE INDEX ON jur_a USING gist (geom);
            CREATE INDEX ON jur_b USING gist (geom);
            CREATE INDEX ON incidents USING gist (geom);
            CREATE INDEX ON gps (unit, t);
            ANALYZE frame; ANALYZE jur_a; ANALYZE jur_b; ANALYZE incidents; ANALYZE dept; ANALYZE gps;
            """).ConfigureAwait(false);
    }

    private static async Task CopyPolygonsAsync(NpgsqlConnection conn, string table, IReadOnlyList<Polygon> polygons)
    {
        await using var writer = await conn.BeginBinaryImportAsync($"COPY {table} (id, geom) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
        for (var i = 0; i < polygons.Count; i++)
        {
            await writer.StartRowAsync().ConfigureAwait(false);
            await writer.WriteAsync(i, NpgsqlDbType.Integer).ConfigureAwait(false);
            await writer.WriteAsync((Geometry)polygons[i], NpgsqlDbType.Geometry).ConfigureAwait(false);
        }

        await writer.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Gaps: frame minus the union of the jurisdictions, dumped to polygons.</summary>
    public const string GapsSql = """
        SELECT count(*), coalesce(sum(ST_Area(g::geography)), 0)
        FROM (SELECT (ST_Dump(ST_Difference(f.geom, (SELECT ST_Union(geom) FROM jur_a)))).geom AS g FROM frame f) s
        """;

    /// <summary>Overlaps: a bounding-box (&&) self-join, pairs whose interiors meet, their intersection.</summary>
    public const string OverlapsSql = """
        SELECT count(*), coalesce(sum(ST_Area(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3)::geography)), 0)
        FROM jur_a a JOIN jur_a b ON a.id < b.id AND a.geom && b.geom
        WHERE ST_Relate(a.geom, b.geom, '2********')
        """;

    /// <summary>Point assignment: the GiST join with GROUP BY.</summary>
    public const string AssignSql = """
        SELECT count(*), coalesce(sum(n), 0) FROM (
          SELECT j.id, count(*) AS n FROM jur_b j JOIN incidents i ON ST_Intersects(j.geom, i.geom) GROUP BY j.id) s
        """;

    /// <summary>
    /// Hot spots: the same pointy-top hexagons (size 500 m, cube rounding, cell (0,0) on the projection centre x = 500 000) in
    /// the same transverse Mercator, counts by
    /// GROUP BY, the study area (non-empty cells and their first ring), and Gi* z-scores with binary weights.
    /// </summary>
    public const string HotSpotSql = """
        WITH p AS (SELECT ST_X(g) - 500000.0 AS x, ST_Y(g) AS y FROM (SELECT ST_Transform(geom, 990001) AS g FROM incidents) s0),
        f AS (SELECT (sqrt(3.0) / 3.0 * x - y / 3.0) / 500.0 AS qf, (2.0 / 3.0 * y) / 500.0 AS rf FROM p),
        rd AS (SELECT qf, rf, -qf - rf AS sf, round(qf) AS q, round(rf) AS r, round(-qf - rf) AS s FROM f),
        cells AS (
          SELECT CASE WHEN abs(q - qf) > abs(r - rf) AND abs(q - qf) > abs(s - sf) THEN -r - s ELSE q END AS q,
                 CASE WHEN abs(q - qf) > abs(r - rf) AND abs(q - qf) > abs(s - sf) THEN r
                      WHEN abs(r - rf) > abs(s - sf) THEN -q - s ELSE r END AS r
          FROM rd),
        counts AS (SELECT q::int AS q, r::int AS r, count(*)::int AS c FROM cells GROUP BY 1, 2),
        offs(dq, dr) AS (VALUES (0, 0), (1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1)),
        study AS (SELECT DISTINCT c.q + o.dq AS q, c.r + o.dr AS r FROM counts c CROSS JOIN offs o),
        x AS (SELECT s.q, s.r, coalesce(c.c, 0) AS c FROM study s LEFT JOIN counts c USING (q, r)),
        st AS (SELECT count(*)::float8 AS n, avg(c)::float8 AS mean,
                      sqrt(greatest(0, avg(c::float8 * c) - avg(c::float8) ^ 2)) AS sd FROM x),
        nb AS (SELECT a.q, a.r, count(*)::float8 AS w, sum(b.c)::float8 AS wx
               FROM x a CROSS JOIN offs o JOIN x b ON b.q = a.q + o.dq AND b.r = a.r + o.dr GROUP BY a.q, a.r),
        gi AS (SELECT (nb.wx - st.mean * nb.w) / (st.sd * sqrt((st.n * nb.w - nb.w * nb.w) / (st.n - 1))) AS z FROM nb, st)
        SELECT count(*), count(*) FILTER (WHERE z > 1.96) FROM gi
        """;

    /// <summary>
    /// Patrol coverage: tracks broken at 10-minute gaps (window functions), ST_MakeLine per track, simplified by 5 m in
    /// the metric plane, 300 m buffers (8 segments per quarter circle), ST_Union, then each jurisdiction minus the union.
    /// </summary>
    public const string PatrolSql = """
        WITH b AS (
          SELECT unit, t, geom,
                 CASE WHEN t - lag(t) OVER (PARTITION BY unit ORDER BY t) > interval '10 minutes' THEN 1 ELSE 0 END AS brk
          FROM gps),
        f AS (SELECT unit, t, geom, sum(brk) OVER (PARTITION BY unit ORDER BY t) AS track FROM b),
        tracks AS (SELECT ST_Simplify(ST_Transform(ST_MakeLine(geom ORDER BY t), 990001), 5) AS g FROM f GROUP BY unit, track),
        cov AS (SELECT ST_Union(ST_Buffer(g, 300, 'quad_segs=8')) AS g FROM tracks)
        SELECT count(*), sum(ST_Area(ST_Difference(ST_Transform(d.geom, 990001), cov.g))) FROM dept d, cov
        """;

    /// <summary>Loads the patrol scale workload (<see cref="PatrolScaleData"/>) into dept_s and gps_s.</summary>
    public async Task LoadPatrolScaleAsync(PatrolScaleData data)
    {
        await ExecAsync("CREATE EXTENSION IF NOT EXISTS postgis").ConfigureAwait(false);
        await ExecAsync($"""
            DELETE FROM spatial_ref_sys WHERE srid = {LocalSrid};
            INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
            VALUES ({LocalSrid}, 'MAPCONTROL', {LocalSrid}, NULL, '{LocalProj4}');
            DROP TABLE IF EXISTS dept_s, gps_s;
            CREATE TABLE dept_s (code text, geom geometry(Polygon, 4326));
            CREATE TABLE gps_s (unit text, t timestamptz, geom geometry(Point, 4326));
            """).ConfigureAwait(false);
        await using var conn = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (var writer = await conn.BeginBinaryImportAsync("COPY dept_s (code, geom) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
        {
            foreach (var (code, geometry) in data.Jurisdictions)
            {
                await writer.StartRowAsync().ConfigureAwait(false);
                await writer.WriteAsync(code, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(geometry, NpgsqlDbType.Geometry).ConfigureAwait(false);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }

        await using (var writer = await conn.BeginBinaryImportAsync("COPY gps_s (unit, t, geom) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
        {
            foreach (var fix in data.Fixes)
            {
                await writer.StartRowAsync().ConfigureAwait(false);
                await writer.WriteAsync(fix.UnitCode, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(fix.Time, NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                await writer.WriteAsync((Geometry)BenchData.LonLat.CreatePoint(new Coordinate(fix.Lon, fix.Lat)), NpgsqlDbType.Geometry).ConfigureAwait(false);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }

        await ExecAsync("CREATE INDEX ON gps_s (unit, t); ANALYZE dept_s; ANALYZE gps_s;").ConfigureAwait(false);
    }

    /// <summary><see cref="PatrolSql"/> over the scale workload's tables (dept_s, gps_s).</summary>
    public static string PatrolScaleSql => PatrolSql.Replace("FROM gps)", "FROM gps_s)", StringComparison.Ordinal).Replace("FROM dept d", "FROM dept_s d", StringComparison.Ordinal);

    /// <summary>Per department: code, jurisdiction area and uncovered area in the same TM (the simplified SQL's coverage).</summary>
    public static string PatrolScaleRatiosSql => PatrolScaleSql.Replace(
        "SELECT count(*), sum(ST_Area(ST_Difference(ST_Transform(d.geom, 990001), cov.g))) FROM dept_s d, cov",
        "SELECT d.code, ST_Area(ST_Transform(d.geom, 990001)), ST_Area(ST_Difference(ST_Transform(d.geom, 990001), cov.g)) FROM dept_s d, cov ORDER BY d.code",
        StringComparison.Ordinal);

    /// <summary>Rows of (code, jurisdiction area, uncovered area).</summary>
    public async Task<List<(string Code, double Area, double Uncovered)>> RatiosAsync(string sql)
    {
        await using var cmd = _dataSource.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        var rows = new List<(string, double, double)>();
        while (await reader.ReadAsync().ConfigureAwait(false)) rows.Add((reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2)));
        return rows;
    }

    /// <summary>Runs a query returning one row of (count, number) and times it client-side.</summary>
    public async Task<(double Ms, long Count, double Value)> TimeAsync(string sql)
    {
        var clock = Stopwatch.StartNew();
        await using var cmd = _dataSource.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        var count = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        var value = reader.IsDBNull(1) ? 0 : Convert.ToDouble(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        return (clock.Elapsed.TotalMilliseconds, count, value);
    }

    /// <summary>EXPLAIN (no ANALYZE) of a query, for the record.</summary>
    public async Task<string> ExplainAsync(string sql)
    {
        await using var cmd = _dataSource.CreateCommand("EXPLAIN " + sql);
        await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        var lines = new List<string>();
        while (await reader.ReadAsync().ConfigureAwait(false)) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
