using System.Globalization;
using System.Text.RegularExpressions;
using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis;

/// <summary>What one retention pass did.</summary>
/// <param name="DaysReduced">China Standard Time days reduced to daily tracks.</param>
/// <param name="TracksWritten">Daily tracks written.</param>
/// <param name="PartitionsDropped">Monthly gps_point partitions dropped whole.</param>
/// <param name="FixesDeleted">Raw fixes deleted from partitions that also hold younger fixes.</param>
public sealed record GpsRetentionResult(int DaysReduced, int TracksWritten, int PartitionsDropped, long FixesDeleted);

/// <summary>
/// A year of GPS in the store (migration 0007, docs/DEFINITIONS.md "GPS retention and daily tracks"): every completed China
/// Standard Time day with raw fixes is reduced to its simplified tracks (Core's <see cref="DailyTracks"/>) in
/// gps_daily_track and marked in gps_reduced_day; raw fixes older than the retention are then removed — whole monthly
/// partitions dropped, the rest deleted — but only from days already reduced. Readers take a day from the daily tracks
/// when it is reduced and lies wholly in their window (<see cref="Analysis.AnalysisSource.LoadPatrolInputAsync"/>).
/// </summary>
public sealed partial class GpsRetention(NpgsqlDataSource dataSource)
{
    /// <summary>The default number of days raw fixes are kept.</summary>
    public const int DefaultRawRetentionDays = 90;

    /// <summary>The metric projection the daily tracks are simplified in (the deployment's, as the analyses' default).</summary>
    public static MetricProjection Projection => MetricProjection.Dongying;

    private const string OldestFixSql = "SELECT min(recorded_at) FROM gps_point";
    private const string HasFixesSql = "SELECT EXISTS (SELECT 1 FROM gps_point WHERE recorded_at >= $1 AND recorded_at < $2)";
    private const string ReducedDaysSql = "SELECT day FROM gps_reduced_day WHERE day >= $1 AND day <= $2";
    private const string DayFixesSql = """
        SELECT unit_code, recorded_at, ST_X(geom), ST_Y(geom), speed_kmh, department_code
        FROM gps_point WHERE recorded_at >= $1 AND recorded_at < $2 ORDER BY unit_code, recorded_at
        """;
    private const string DeleteDaySql = "DELETE FROM gps_daily_track WHERE day = $1";
    private const string CopyTracksSql =
        "COPY gps_daily_track (unit_code, day, started_at, ended_at, department_code, fix_count, length_m, simplified_m, geom) FROM STDIN (FORMAT BINARY)";
    private const string MarkDaySql = """
        INSERT INTO gps_reduced_day (day, starts_at, ends_at, fix_count, reduced_at, patrol_departments, patrol_hours, patrol_jurisdictions)
        VALUES ($1, $2, $3, $4, now(), $5, $6, $7)
        ON CONFLICT (day) DO UPDATE SET starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                                        fix_count = excluded.fix_count, reduced_at = excluded.reduced_at,
                                        patrol_departments = excluded.patrol_departments, patrol_hours = excluded.patrol_hours,
                                        patrol_jurisdictions = excluded.patrol_jurisdictions
        """;
    private const string ReducedSpansBeforeSql = "SELECT day, starts_at, ends_at FROM gps_reduced_day WHERE starts_at < $1 ORDER BY day";
    private const string PartitionsSql = """
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'gps_point'::regclass ORDER BY c.relname
        """;
    private const string LockSql = "SET LOCAL lock_timeout = '10s'; LOCK TABLE ONLY gps_point IN ACCESS EXCLUSIVE MODE";
    private const string TouchSql = "SELECT data_change_touch('gps_point', $1, $2)";
    private const string DeleteSpanSql = "DELETE FROM gps_point WHERE recorded_at >= $1 AND recorded_at < $2";
    private const string TracksOfDaysSql = """
        SELECT unit_code, department_code, started_at, ended_at, fix_count, length_m, simplified_m, geom
        FROM gps_daily_track WHERE day = ANY($1) ORDER BY unit_code, started_at
        """;

    /// <summary>Reduces the completed days, then removes the raw fixes older than <paramref name="rawRetentionDays"/> days.</summary>
    /// <param name="now">The current instant (days before its China Standard Time date are complete).</param>
    /// <param name="rawRetentionDays">Raw fixes are kept this many days (counted in whole China days before today).</param>
    /// <param name="maxDays">At most this many days are reduced in one pass (a first pass over a year of backlog goes in steps).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<GpsRetentionResult> RunAsync(DateTimeOffset now, int rawRetentionDays = DefaultRawRetentionDays, int maxDays = 31,
        CancellationToken cancellationToken = default)
    {
        var (days, tracks) = await ReduceCompletedDaysAsync(now, maxDays, cancellationToken).ConfigureAwait(false);
        var (dropped, deleted) = await DropRawAsync(RawCutoff(now, rawRetentionDays), cancellationToken).ConfigureAwait(false);
        return new GpsRetentionResult(days, tracks, dropped, deleted);
    }

    /// <summary>The first instant whose raw fixes are kept: China midnight <paramref name="rawRetentionDays"/> days before today's.</summary>
    public static DateTimeOffset RawCutoff(DateTimeOffset now, int rawRetentionDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rawRetentionDays);
        return ChinaTime.StartOf(ChinaTime.DateOf(now).AddDays(-rawRetentionDays));
    }

    /// <summary>Reduces every day before today (China Standard Time) that has raw fixes and no mark, oldest first; returns days and tracks written.</summary>
    public async Task<(int Days, int Tracks)> ReduceCompletedDaysAsync(DateTimeOffset now, int maxDays = 31, CancellationToken cancellationToken = default)
    {
        var oldest = (await QueryAsync(dataSource, OldestFixSql, r => r.GetUtcOrNull(0), cancellationToken).ConfigureAwait(false))[0];
        if (oldest is null) return (0, 0);
        var today = ChinaTime.DateOf(now);
        var first = ChinaTime.DateOf(oldest.Value);
        var reduced = (await QueryAsync(dataSource, ReducedDaysSql, r => r.GetFieldValue<DateOnly>(0), cancellationToken, first, today)
            .ConfigureAwait(false)).ToHashSet();
        int days = 0, tracks = 0;
        for (var day = first; day < today && days < maxDays; day = day.AddDays(1))
        {
            if (reduced.Contains(day)) continue;
            var (from, to) = (ChinaTime.StartOf(day), ChinaTime.StartOf(day.AddDays(1)));
            var any = (await QueryAsync(dataSource, HasFixesSql, r => r.GetBoolean(0), cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false))[0];
            if (!any) continue;
            tracks += await ReduceDayAsync(day, cancellationToken).ConfigureAwait(false);
            days++;
        }

        return (days, tracks);
    }

    /// <summary>Reduces one China Standard Time day (again, when it was already): its daily tracks replaced, its mark set; returns the tracks written.</summary>
    public async Task<int> ReduceDayAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        var (from, to) = (ChinaTime.StartOf(day), ChinaTime.StartOf(day.AddDays(1)));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Read in the transaction that writes: a fix inserted meanwhile unmarks the day after this commits (trigger), so it is seen next pass.
        var rows = await QueryAsync(connection, DayFixesSql,
            r => (Fix: new GpsFix(r.GetString(0), r.GetUtc(1), r.GetDouble(2), r.GetDouble(3), r.IsDBNull(4) ? null : r.GetDouble(4)), Department: r.GetString(5)),
            cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);
        // The department a fix was stored with (the unit's at the time) is the one its track counts for.
        var units = rows.GroupBy(r => r.Fix.UnitCode, StringComparer.Ordinal)
            .Select(g => new PatrolUnit(g.Key, g.Last().Department, g.Key, g.Key)).ToList();
        var tracks = DailyTracks.Reduce(rows.Select(r => r.Fix).ToList(), units, Projection);

        await ExecuteAsync(connection, DeleteDaySql, cancellationToken, day).ConfigureAwait(false);
        await using (var importer = await connection.BeginBinaryImportAsync(CopyTracksSql, cancellationToken).ConfigureAwait(false))
        {
            foreach (var track in tracks)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(track.UnitCode, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(day, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(Utc(track.Start), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(Utc(track.End), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(track.DepartmentCode, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(track.PointCount, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(track.LengthM, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(track.SimplifiedM, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(As4326(track.Geometry), NpgsqlDbType.Geometry, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // The day's patrol hours per department (the KPIs' exposure), from the raw fixes while they are here (Analysis.PatrolHoursByDay).
        var jurisdictions = await Repositories.JurisdictionRepository.GetAllVersionsAsync(connection, cancellationToken).ConfigureAwait(false);
        var hours = Analysis.PatrolHoursByDay.Compute(rows.Select(r => r.Fix).ToList(), jurisdictions, from, to);
        await ExecuteAsync(connection, MarkDaySql, cancellationToken, day, Utc(from), Utc(to), (long)rows.Count,
            hours.Select(h => h.DepartmentCode).ToArray(), hours.Select(h => h.Hours).ToArray(),
            Analysis.PatrolHoursByDay.JurisdictionKey(jurisdictions, day)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return tracks.Count;
    }

    /// <summary>
    /// Removes the raw fixes recorded before <paramref name="cutoff"/> whose day is reduced: monthly partitions lying wholly
    /// before it are dropped (when no unreduced fix is in them), fixes in younger partitions deleted. Returns what went.
    /// </summary>
    public async Task<(int Partitions, long Fixes)> DropRawAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var reduced = await QueryAsync(connection, ReducedSpansBeforeSql, r => (Day: r.GetFieldValue<DateOnly>(0), From: r.GetUtc(1), To: r.GetUtc(2)),
            cancellationToken, Utc(cutoff)).ConfigureAwait(false);
        var reducedDays = reduced.Select(r => r.Day).ToHashSet();
        var dropped = 0;
        foreach (var name in await QueryAsync(connection, PartitionsSql, r => r.GetString(0), cancellationToken).ConfigureAwait(false))
        {
            var match = MonthlyPartition().Match(name);
            if (!match.Success) continue;
            var start = new DateTimeOffset(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 1, 0, 0, 0, TimeSpan.Zero);
            var end = start.AddMonths(1);
            if (end > cutoff || !await AllReducedAsync(connection, start, end, reducedDays, cancellationToken).ConfigureAwait(false)) continue;
            // The partition name comes from pg_inherits and matched gps_point_YYYY_MM: safe to quote into DDL.
            // No trigger sees a dropped partition: its span's change versions are bumped in the same transaction. The table lock
            // comes first, as a writer takes it before its change trigger takes the version row (the other order deadlocks
            // with ingest); a pass that cannot have it within the lock timeout leaves the partition to the next pass.
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await ExecuteAsync(connection, LockSql, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                await ExecuteAsync(connection, TouchSql, cancellationToken, Utc(start), Utc(end)).ConfigureAwait(false);
                await ExecuteAsync(connection, $"DROP TABLE \"{name}\"", cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            dropped++;
        }

        long deleted = 0;
        foreach (var (_, from, to) in reduced.Where(r => r.To <= cutoff))
            deleted += await ExecuteAsync(connection, DeleteSpanSql, cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);
        return (dropped, deleted);
    }

    /// <summary>True when every China day with raw fixes in [start, end) is reduced (checked day by day on the time index).</summary>
    private static async Task<bool> AllReducedAsync(NpgsqlConnection connection, DateTimeOffset start, DateTimeOffset end, HashSet<DateOnly> reduced,
        CancellationToken cancellationToken)
    {
        for (var day = ChinaTime.DateOf(start); ChinaTime.StartOf(day) < end; day = day.AddDays(1))
        {
            if (reduced.Contains(day)) continue;
            var from = ChinaTime.StartOf(day) < start ? start : ChinaTime.StartOf(day);
            var to = ChinaTime.StartOf(day.AddDays(1)) > end ? end : ChinaTime.StartOf(day.AddDays(1));
            if ((await QueryAsync(connection, HasFixesSql, r => r.GetBoolean(0), cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false))[0])
                return false;
        }

        return true;
    }

    /// <summary>The China Standard Time days in [<paramref name="first"/>, <paramref name="last"/>] that are reduced.</summary>
    public async Task<IReadOnlySet<DateOnly>> ReducedDaysAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, ReducedDaysSql, r => r.GetFieldValue<DateOnly>(0), cancellationToken, first, last).ConfigureAwait(false))
        .ToHashSet();

    /// <summary>The daily tracks of the given days as patrol tracks (lon/lat, simplified; <see cref="PatrolTrack.SimplifiedM"/> set).</summary>
    public async Task<IReadOnlyList<PatrolTrack>> DailyTracksAsync(IReadOnlyCollection<DateOnly> days, CancellationToken cancellationToken = default)
    {
        if (days.Count == 0) return [];
        return await QueryAsync(dataSource, TracksOfDaysSql, r => new PatrolTrack(r.GetString(0), r.GetString(1), r.GetUtc(2), r.GetUtc(3),
            As4326(r.GetFieldValue<Geometry>(7)), r.GetInt32(4), r.GetDouble(5), r.GetDouble(6)), cancellationToken, days.ToArray()).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^gps_point_(\d{4})_(\d{2})$")]
    private static partial Regex MonthlyPartition();
}
