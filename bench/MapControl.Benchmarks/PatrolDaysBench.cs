using System.Diagnostics;
using System.Globalization;
using System.Text;
using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace MapControl.Benchmarks;

/// <summary>
/// Patrol coverage of 30 days × 500 units (issue 16 item 3): a database of its own (created and dropped on the given
/// cluster) holding 200 jurisdictions of ~2,000 vertices, 500 units and 30 reduced China days of daily tracks — each unit
/// patrols 8 hours a day at 10 m/s on an 800 m road grid, what 28,800 fixes at 1 Hz reduce to (a vertex per turn, ±2 m) —
/// then the 30-day window through <see cref="AnalysisSource"/>: read as ready daily tracks (no cache), through the
/// per-department-day cache cold, warm, and after one more day arrives (the window slid by a day).
/// </summary>
public static class PatrolDaysBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly DateOnly FirstDay = new(2026, 10, 1);

    /// <param name="keep">Leave the database in place at the end (for a later run with <paramref name="reuse"/>).</param>
    /// <param name="reuse">Use the database as it is when it exists and holds the daily tracks (no build), else build it.</param>
    public static async Task<string> RunAsync(string adminConnection, int units, int days, string database, bool keep = false, bool reuse = false, bool trace = false, bool plain = true)
    {
        var admin = new NpgsqlConnectionStringBuilder(adminConnection);
        var cs = new NpgsqlConnectionStringBuilder(adminConnection) { Database = database, CommandTimeout = 0 };
        var built = false;
        if (reuse)
        {
            try
            {
                await using var existing = NpgsqlDataSource.Create(cs.ConnectionString);
                await using var count = existing.CreateCommand("SELECT count(*) FROM gps_daily_track");
                built = Convert.ToInt64(await count.ExecuteScalarAsync().ConfigureAwait(false), Inv) == (long)units * (days + 1);
            }
            catch (PostgresException) { built = false; }
            Log(built ? $"reusing database {database}" : $"database {database} missing or not of {units} units × {days + 1} days: building it");
        }

        if (!built)
        {
            await using var dataSource = NpgsqlDataSource.Create(admin.ConnectionString);
            await using var drop = dataSource.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
            await using var create = dataSource.CreateCommand($"CREATE DATABASE {database}");
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        try
        {
            await using var ds = MapControlDatabase.CreateDataSource(cs.ConnectionString);
            long vertices = 0;
            int tracks = units * (days + 1);
            if (!built)
            {
                await using (var ext = ds.CreateCommand("CREATE EXTENSION IF NOT EXISTS postgis")) await ext.ExecuteNonQueryAsync().ConfigureAwait(false);
                await MigrationRunner.MigrateAsync(ds).ConfigureAwait(false);
                var clock = Stopwatch.StartNew();
                (vertices, tracks) = await LoadAsync(ds, units, days + 1).ConfigureAwait(false);
                Log($"built: {units} units × {days + 1} days: {tracks:N0} daily tracks, {vertices:N0} vertices in {clock.Elapsed.TotalSeconds:F0} s (with migrations before)");
            }

            var source = new AnalysisSource(ds);
            var options = new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: GpsRetention.Projection);
            // --trace: the stage timings of each run (PatrolCoverageOptions.Trace) on stderr.
            var computeOptions = trace ? options with { Trace = m => Log("  " + m) } : options;
            var (from, to) = (ChinaTime.StartOf(FirstDay), ChinaTime.StartOf(FirstDay.AddDays(days)));
            var rows = new List<string>();

            async Task<(double Ms, double Cpu, PatrolCoverageReport Report)> Time(string name, Func<Task<PatrolCoverageInput>> load)
            {
                GC.Collect();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var input = await load().ConfigureAwait(false);
                var loaded = watch.Elapsed.TotalMilliseconds;
                var report = PatrolCoverage.Compute(input, computeOptions);
                var ms = watch.Elapsed.TotalMilliseconds;
                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                Log(string.Create(Inv, $"{name}: {ms:F0} ms wall (load {loaded:F0} ms), {cpuMs:F0} ms CPU"));
                rows.Add(string.Create(Inv, $"| {name} | {ms / 1000:F2} s | {loaded / 1000:F2} s | {cpuMs / 1000:F2} s | {report.Departments.Average(d => d.CoverageRatio):F4} |"));
                return (ms, cpuMs, report);
            }

            // --no-plain (profiling runs): the uncached run is skipped and the cached runs are compared with themselves.
            var plainRun = plain ? await Time("no cache: daily tracks read as ready tracks (`LoadPatrolInputAsync`)", () => source.LoadPatrolInputAsync(from, to)).ConfigureAwait(false) : default;
            var cache = new PatrolDayCache();
            var cold = await Time($"cache cold (computes {units}-unit department-days)", () => source.LoadPatrolInputCachedAsync(from, to, cache, options)).ConfigureAwait(false);
            var computedCold = cache.Computed;
            var warm = await Time("cache warm (same window again)", () => source.LoadPatrolInputCachedAsync(from, to, cache, options)).ConfigureAwait(false);
            var (from2, to2) = (from.AddDays(1), to.AddDays(1));
            var before = cache.Computed;
            var slid = await Time("cache, window slid by one day (one new day computed)", () => source.LoadPatrolInputCachedAsync(from2, to2, cache, options)).ConfigureAwait(false);
            var maxDiff = (plain ? plainRun : warm).Report.Departments.Zip(warm.Report.Departments).Max(p => Math.Abs(p.First.CoverageRatio - p.Second.CoverageRatio));

            var md = new StringBuilder();
            md.AppendLine(string.Create(Inv, $"{days} days × {units} units (8 h a day at 1 Hz each = {units * 28_800L * days:N0} fixes as {tracks * days / (days + 1):N0} daily tracks), 200 jurisdictions × ~2,000 vertices, r = 300 m, analyses' defaults; the database on loopback."));
            md.AppendLine();
            md.AppendLine("| 30-day patrol coverage | wall | of which loading | CPU | mean coverage ratio |");
            md.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var row in rows) md.AppendLine(row);
            md.AppendLine();
            md.AppendLine(string.Create(Inv, $"Department-days computed: cold {computedCold:N0}, warm {cache.Computed - computedCold - (cache.Computed - before):N0}, slid {cache.Computed - before:N0}; cache holds {cache.Count:N0}. Largest difference of a department's coverage ratio, cached vs not: {maxDiff:F5} (repeat passes are dropped within a day, not across days)."));
            md.AppendLine();
            md.AppendLine(string.Create(Inv, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average {LoadAverage()} (shared machine)."));
            return md.ToString();
        }
        finally
        {
            if (!keep)
            {
                await using var dataSource = NpgsqlDataSource.Create(admin.ConnectionString);
            await using var drop = dataSource.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<(long Vertices, int Tracks)> LoadAsync(NpgsqlDataSource ds, int unitCount, int days)
    {
        var data = PatrolScaleData.Create(unitCount * PatrolScaleData.FixesPerUnit);
        var lonLat = new GeometryFactory(new PrecisionModel(), 4326);
        var frame = lonLat.ToGeometry(BenchData.Frame);
        var since = new VersionInfo(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), null, "bench", "initial");
        var dataset = new SampleDataset(
            [new OilZone("Z1", "bench", lonLat.CreateMultiPolygon([(Polygon)frame]))],
            data.Jurisdictions.Keys.Select(c => new Department(c, c, "#1f77b4")).ToList(),
            data.Jurisdictions.Select(j => new Jurisdiction(0, j.Key, lonLat.CreateMultiPolygon([(Polygon)j.Value]), since)).ToList(),
            [], [], [], [], [], data.Units, [], [], []);
        await SeedLoader.LoadAsync(ds, dataset).ConfigureAwait(false);

        var projection = GpsRetention.Projection;
        var random = new Random(30);
        long vertices = 0;
        var tracks = 0;
        await using var connection = await ds.OpenConnectionAsync().ConfigureAwait(false);
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY gps_daily_track (unit_code, day, started_at, ended_at, department_code, fix_count, length_m, simplified_m, geom) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
        {
            (int dx, int dy)[] directions = [(1, 0), (0, 1), (-1, 0), (0, -1)];
            foreach (var unit in data.Units)
            {
                var env = projection.Forward(data.Jurisdictions[unit.DepartmentCode]).EnvelopeInternal;
                for (var d = 0; d < days; d++)
                {
                    // 8 h from 08:00 at 10 m/s: 288 km, a vertex at each 800 m crossing (the turns Douglas–Peucker keeps).
                    var day = FirstDay.AddDays(d);
                    var start = ChinaTime.StartOf(day).AddHours(8);
                    int ix = (int)Math.Round(env.Centre.X / 800), iy = (int)Math.Round(env.Centre.Y / 800), heading = random.Next(4);
                    var coordinates = new List<Coordinate>();
                    for (var k = 0; k <= 360; k++)
                    {
                        var (lon, lat) = projection.Inverse(ix * 800 + random.NextDouble() * 4 - 2, iy * 800 + random.NextDouble() * 4 - 2);
                        coordinates.Add(new Coordinate(lon, lat));
                        int next, nx, ny, guard = 0;
                        do
                        {
                            next = random.Next(4);
                            nx = ix + directions[next].dx;
                            ny = iy + directions[next].dy;
                        }
                        while (++guard < 50 && (next == (heading + 2) % 4 || (!env.Contains(nx * 800, ny * 800) && random.NextDouble() > 0.05)));
                        (ix, iy, heading) = (nx, ny, next);
                    }

                    await importer.StartRowAsync().ConfigureAwait(false);
                    await importer.WriteAsync(unit.Code, NpgsqlDbType.Text).ConfigureAwait(false);
                    await importer.WriteAsync(day, NpgsqlDbType.Date).ConfigureAwait(false);
                    await importer.WriteAsync(start.ToUniversalTime(), NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                    await importer.WriteAsync(start.AddHours(8).ToUniversalTime(), NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                    await importer.WriteAsync(unit.DepartmentCode, NpgsqlDbType.Text).ConfigureAwait(false);
                    await importer.WriteAsync(28_800, NpgsqlDbType.Integer).ConfigureAwait(false);
                    await importer.WriteAsync(288_000.0, NpgsqlDbType.Double).ConfigureAwait(false);
                    await importer.WriteAsync(5.0, NpgsqlDbType.Double).ConfigureAwait(false);
                    await importer.WriteAsync((Geometry)lonLat.CreateLineString([.. coordinates]), NpgsqlDbType.Geometry).ConfigureAwait(false);
                    vertices += coordinates.Count;
                    tracks++;
                }
            }

            await importer.CompleteAsync().ConfigureAwait(false);
        }

        for (var d = 0; d < days; d++)
        {
            var day = FirstDay.AddDays(d);
            await using var mark = new NpgsqlCommand("INSERT INTO gps_reduced_day (day, starts_at, ends_at, fix_count) VALUES ($1, $2, $3, $4)", connection);
            mark.Parameters.Add(new NpgsqlParameter { Value = day });
            mark.Parameters.Add(new NpgsqlParameter { Value = ChinaTime.StartOf(day).ToUniversalTime() });
            mark.Parameters.Add(new NpgsqlParameter { Value = ChinaTime.StartOf(day.AddDays(1)).ToUniversalTime() });
            mark.Parameters.Add(new NpgsqlParameter { Value = unitCount * 28_800L });
            await mark.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE", connection)) await analyze.ExecuteNonQueryAsync().ConfigureAwait(false);
        return (vertices, tracks);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static void Log(string message) => Console.Error.WriteLine($"[patrol-days {DateTime.UtcNow:HH:mm:ss}] {message}");
}
