using System.Collections.Concurrent;
using System.Globalization;
using MapControl.Core.Hotspots;
using MapControl.Core.Patrol;
using MapControl.Data.PostGis;
using Npgsql;

namespace MapControl.Data.Analysis;

/// <summary>
/// Patrol coverage of long windows, cached per department and China day (docs/DEFINITIONS.md, "Patrol coverage of long
/// windows"): a reduced day's <see cref="PatrolDayPart"/> of each department — its daily tracks simplified and de-repeated,
/// kept as lines, with its key-well visits — is computed once and reused by every window that holds the whole day. An entry is used only while
/// its marker is unchanged: the department-day's daily tracks (count, fixes reduced, latest end) and the <c>data_change</c>
/// versions of <c>patrol_unit</c> and <c>well</c>, all read in one query per request. A GPS fix stored later into a
/// reduced day removes the day's mark (migration 0007's trigger), so the day is read raw until it is reduced again, and the
/// re-reduced department-day has more fixes: its marker moves, while the other departments of that day keep theirs. The
/// whole-table versions of <c>gps_point</c> and <c>gps_daily_track</c> are not in the marker: live ingest moves them every
/// second and the reduction of any day every hour, which would empty the cache of every past day. Bounded: beyond
/// <see cref="MaxEntries"/> the oldest days go first. Thread-safe.
/// </summary>
public sealed class PatrolDayCache(int maxEntries = 50_000)
{
    private readonly ConcurrentDictionary<(string Department, DateOnly Day, string Options), (string Marker, PatrolDayPart Part)> _entries = new();
    private readonly Lock _evicting = new();
    private long _computed;
    private long _reused;

    /// <summary>The most department-days kept.</summary>
    public int MaxEntries => maxEntries;

    /// <summary>Department-days computed (cache misses) since start.</summary>
    public long Computed => Interlocked.Read(ref _computed);

    /// <summary>Department-days answered from the cache since start.</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <summary>Department-days held.</summary>
    public int Count => _entries.Count;

    // Department-day markers of the given days, with the versions the parts depend on.
    private static readonly string MarkerSql = $"""
        SELECT department_code, day, count(*), sum(fix_count), max(ended_at), {DataChange.VersionsSql("patrol_unit", "well")}
          FROM gps_daily_track WHERE day = ANY($1) GROUP BY department_code, day
        """;

    /// <summary>
    /// The department-day parts of <paramref name="days"/> (reduced whole days of a window), from the cache where the marker is
    /// unchanged, else computed from the daily tracks with <paramref name="options"/> (projection required).
    /// </summary>
    public async Task<IReadOnlyList<PatrolDayPart>> PartsAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<DateOnly> days,
        IReadOnlyList<KeyWell> keyWells, PatrolCoverageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Projection is not { } projection) throw new ArgumentException("The day parts need a fixed projection (PatrolCoverageOptions.Projection).", nameof(options));
        if (days.Count == 0) return [];
        var optionsKey = string.Create(CultureInfo.InvariantCulture,
            $"{options.RadiusM:R}/{options.SimplifyToleranceM:R}/{options.RepeatToleranceM:R}/{options.QuadrantSegments}/{projection.CentralMeridian:R},{projection.LatitudeOfOrigin:R}");
        var markers = await DbCommands.QueryAsync(dataSource, MarkerSql, r => (
                Department: r.GetString(0),
                Day: r.GetFieldValue<DateOnly>(1),
                Marker: string.Create(CultureInfo.InvariantCulture, $"{r.GetInt64(2)}/{r.GetInt64(3)}/{r.GetUtc(4).UtcTicks}/{r.GetString(5)}")),
            cancellationToken, days.ToArray()).ConfigureAwait(false);

        var parts = new PatrolDayPart[markers.Count];
        var missing = new List<int>();
        for (var i = 0; i < markers.Count; i++)
        {
            var (department, day, marker) = markers[i];
            if (_entries.TryGetValue((department, day, optionsKey), out var entry) && entry.Marker == marker)
            {
                parts[i] = entry.Part;
                Interlocked.Increment(ref _reused);
            }
            else missing.Add(i);
        }

        if (missing.Count > 0)
        {
            var missingDays = missing.Select(i => markers[i].Day).Distinct().ToList();
            var tracks = (await new GpsRetention(dataSource).DailyTracksAsync(missingDays, cancellationToken).ConfigureAwait(false))
                .ToLookup(t => (t.DepartmentCode, ChinaTime.DateOf(t.Start)));
            Parallel.ForEach(missing, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var (department, day, marker) = markers[i];
                var part = PatrolCoverage.DayPart(department, day, tracks[(department, day)].ToList(), keyWells, options);
                parts[i] = part;
                _entries[(department, day, optionsKey)] = (marker, part);
                Interlocked.Increment(ref _computed);
            });
            Evict();
        }

        return parts;
    }

    // Beyond the bound, the entries of the oldest days go until a tenth is free.
    private void Evict()
    {
        if (_entries.Count <= maxEntries) return;
        lock (_evicting)
        {
            if (_entries.Count <= maxEntries) return;
            foreach (var key in _entries.Keys.OrderBy(k => k.Day).Take(_entries.Count - maxEntries * 9 / 10).ToList())
                _entries.TryRemove(key, out _);
        }
    }
}
