using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MapControl.Core.Hotspots;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Core.Spatial;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.Analysis;

/// <summary>
/// Patrol hours (the exposure of "cases per patrol hour") of a window, day by day (docs/DEFINITIONS.md "KPIs at scale"). The rule is
/// Core's <see cref="PatrolHoursCalculator"/>; since its tracks break at China midnight, the hours of a window are the sum of the
/// hours of its China days (and of the partial days at its ends). A reduced day keeps its hours per department with its mark
/// (gps_reduced_day, migration 0015), computed from the raw fixes when the day is reduced (<see cref="GpsRetention.ReduceDayAsync"/>),
/// so a year of KPIs reads 365 small rows instead of a year of raw fixes, and the hours of a day survive the raw fixes' retention.
/// A stored day is used while the jurisdiction versions that decide its attribution are the same (<see cref="JurisdictionKey"/>);
/// otherwise — or when not stored — the day is computed from its raw fixes, one day at a time (memory bounded by one day); a day
/// whose raw fixes are gone keeps the hours stored (the only ones left).
/// </summary>
public static class PatrolHoursByDay
{
    /// <summary>
    /// The options of every patrol-hours computation of the KPIs: the track-break rule's defaults, with the jump distance measured in
    /// the deployment's fixed projection (<see cref="GpsRetention.Projection"/>) so a day's hours do not depend on the window around it.
    /// </summary>
    public static PatrolHoursOptions Options { get; } = new(Projection: GpsRetention.Projection);

    private const string StoredSql = """
        SELECT day, fix_count, patrol_departments, patrol_hours, patrol_jurisdictions FROM gps_reduced_day
        WHERE day >= $1 AND day <= $2 AND patrol_hours IS NOT NULL
        """;

    /// <summary>Patrol hours of one China day (or part of one) from its fixes, by Core's rule with <see cref="Options"/>.</summary>
    public static IReadOnlyList<PatrolHours> Compute(IReadOnlyList<GpsFix> fixes, IReadOnlyList<Jurisdiction> jurisdictions,
        DateTimeOffset from, DateTimeOffset to) =>
        fixes.Count == 0 || jurisdictions.Count == 0 ? [] : PatrolHoursCalculator.Compute(fixes, jurisdictions, from, to, Options);

    /// <summary>
    /// A key of the jurisdiction versions that can decide the attribution of the patrol intervals of <paramref name="day"/>: each
    /// version in force during some instant of the day (id, valid_from, valid_to clipped to the day's end — a version closed after the
    /// day does not change it); when some instant of the day had no version in force (the "first map after" case), every version.
    /// Versions are never edited in place (a change is a new version), so an unchanged key means unchanged hours.
    /// </summary>
    public static string JurisdictionKey(IReadOnlyList<Jurisdiction> jurisdictions, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(jurisdictions);
        var (start, end) = (ChinaTime.StartOf(day), ChinaTime.StartOf(day.AddDays(1)));
        var relevant = jurisdictions
            .Where(j => j.Version.ValidFrom < end && (j.Version.ValidTo is not { } t || t > start) && !(j.Version.ValidTo <= j.Version.ValidFrom))
            .OrderBy(j => j.Id).ToList();
        var text = new StringBuilder();
        foreach (var j in relevant)
            text.Append(CultureInfo.InvariantCulture, $"{j.Id}:{j.Version.ValidFrom.UtcTicks}:{Min(j.Version.ValidTo, end).UtcTicks};");
        if (!Covers(relevant, start, end))
        {
            text.Append('|');
            foreach (var j in jurisdictions.OrderBy(j => j.Id))
                text.Append(CultureInfo.InvariantCulture, $"{j.Id}:{j.Version.ValidFrom.UtcTicks}:{j.Version.ValidTo?.UtcTicks};");
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));

        static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
    }

    // True when the versions' spans cover [start, end) without a hole.
    private static bool Covers(List<Jurisdiction> versions, DateTimeOffset start, DateTimeOffset end)
    {
        var at = start;
        foreach (var v in versions.OrderBy(j => j.Version.ValidFrom))
        {
            if (v.Version.ValidFrom > at) return false;
            if (v.Version.ValidTo is not { } t) return true;
            if (t > at) at = t;
            if (at >= end) return true;
        }
        return at >= end;
    }

    /// <summary>
    /// Patrol hours per department and China date of [<paramref name="from"/>, <paramref name="to"/>), ordered by department, then
    /// date: the stored hours of each reduced day lying wholly in the window whose <see cref="JurisdictionKey"/> is unchanged, the
    /// others computed from their raw fixes day by day. Equal to <see cref="PatrolHoursCalculator"/> over the window's raw fixes with
    /// <see cref="Options"/> (tested against it on PostGIS).
    /// </summary>
    public static async Task<IReadOnlyList<PatrolHours>> LoadAsync(NpgsqlDataSource dataSource, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyList<Jurisdiction> jurisdictions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(jurisdictions);
        if (to <= from) throw new ArgumentException($"empty time window: {from:O} to {to:O}", nameof(to));
        var (first, last) = (ChinaTime.DateOf(from), ChinaTime.DateOf(to.AddTicks(-1)));
        var stored = (await QueryAsync(dataSource, StoredSql, r => (
                Day: r.GetFieldValue<DateOnly>(0), FixCount: r.GetInt64(1),
                Departments: r.GetFieldValue<string[]>(2), Hours: r.GetFieldValue<double[]>(3), Key: r.GetStringOrNull(4)),
            cancellationToken, first, last).ConfigureAwait(false)).ToDictionary(row => row.Day);
        // Only the days from the window's first raw fix to its last are read raw (a window of a century holds a few hundred days of fixes).
        var (firstFix, lastFix) = (await QueryAsync(dataSource, RawSpanSql, r => (r.GetUtcOrNull(0), r.GetUtcOrNull(1)), cancellationToken,
            Utc(from), Utc(to)).ConfigureAwait(false))[0];
        var gps = new GpsPointRepository(dataSource);
        IncidentAttribution? attribution = null; // built once, for the first day computed from raw fixes
        var hours = new List<PatrolHours>();
        foreach (var day in stored.Keys.Where(d => d >= first && d <= last)
                     .Concat(firstFix is { } a && lastFix is { } b ? Days(ChinaTime.DateOf(a), ChinaTime.DateOf(b)) : Enumerable.Empty<DateOnly>())
                     .Distinct().Order())
        {
            var (dayStart, dayEnd) = (ChinaTime.StartOf(day), ChinaTime.StartOf(day.AddDays(1)));
            var whole = dayStart >= from && dayEnd <= to;
            if (whole && stored.TryGetValue(day, out var s) && s.Key == JurisdictionKey(jurisdictions, day))
            {
                AddStored(hours, day, s.Departments, s.Hours);
                continue;
            }
            var (start, end) = (dayStart < from ? from : dayStart, dayEnd > to ? to : dayEnd);
            var fixes = await gps.GetByWindowAsync(start, end, cancellationToken).ConfigureAwait(false);
            if (fixes.Count == 0 && whole && stored.TryGetValue(day, out var gone) && gone.FixCount > 0)
                AddStored(hours, day, gone.Departments, gone.Hours); // the raw fixes are past their retention: the stored hours are all there is
            else if (fixes.Count > 0 && jurisdictions.Count > 0)
                hours.AddRange(PatrolHoursCalculator.Compute(fixes, attribution ??= new IncidentAttribution(jurisdictions, []), start, end, Options));
        }
        return hours.OrderBy(h => h.DepartmentCode, StringComparer.Ordinal).ThenBy(h => h.Date).ToList();
    }

    private const string RawSpanSql = "SELECT min(recorded_at), max(recorded_at) FROM gps_point WHERE recorded_at >= $1 AND recorded_at < $2";

    private static IEnumerable<DateOnly> Days(DateOnly first, DateOnly last)
    {
        for (var day = first; day <= last; day = day.AddDays(1)) yield return day;
    }

    private static void AddStored(List<PatrolHours> hours, DateOnly day, string[] departments, double[] values)
    {
        for (var i = 0; i < departments.Length && i < values.Length; i++) hours.Add(new PatrolHours(departments[i], day, values[i]));
    }
}
