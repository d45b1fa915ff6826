using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Kpi;

/// <summary>
/// The centre's KPIs (DESIGN §4) per centre, department and oil zone and per period: cases and their change against
/// the same period a year earlier, timely discovery rate, oil recovered, idle-site area reclaimed, key wells watched,
/// and cases per 100 wells and per patrol hour.
/// </summary>
/// <remarks>
/// An incident goes to the one department and the one oil zone that <see cref="IncidentAttribution"/> gives it (the jurisdiction
/// version in force at its occurred_at; in an overlap or on a shared boundary the smallest department code), so department
/// rows sum to the centre row minus the incidents outside every jurisdiction. Wells go to departments by the same rule at the
/// last instant of the period and to oil zones by their zone code. A reclaimed site goes by its interior point, with the
/// same rule at the start of its reclaimed date. Patrol hours (per department and CST date, see
/// <see cref="PatrolHoursCalculator"/>, attributed by the same rule) go to their department and to the centre, whose hours
/// are the sum over the departments; a date goes to the period holding its first instant inside the range.
/// Incidents are needed from <see cref="IncidentWindow"/>: the periods and the same periods a year earlier. Full incidents
/// (<see cref="KpiInput.Incidents"/>) are attributed here; the light ones (<see cref="KpiInput.Cases"/>, the loaders' form at scale)
/// carry the attribution the same rule stored when they were written (docs/DEFINITIONS.md "KPIs at scale").
/// <para>
/// Timely discovery (及时发现率) — the one place of this rule: a case is timely when its discoverer is one of the centre's own
/// forces (patrol, video, inspection) and discovered_at − occurred_at ≤ <see cref="KpiOptions.TimelyThreshold"/>. The rate is
/// timely cases ÷ cases <em>with a known discovery time</em>: a case whose discovery time is unknown (a ledger without it;
/// discovered_at null) is counted as a case but left out of both sides of the rate, and counted in
/// <see cref="KpiRow.CasesWithoutDiscoveryTime"/>; the rate is null when no case of the period has a discovery time.
/// </para>
/// </remarks>
public static class KpiCalculator
{
    /// <summary>Computes the KPI rows.</summary>
    public static KpiReport Compute(KpiInput input, KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        return new KpiWorker(input, options).Run();
    }

    /// <summary>
    /// The occurred_at window [From, To) of the incidents <see cref="Compute"/> counts for the range [<paramref name="from"/>,
    /// <paramref name="to"/>): from the same instant one year earlier on the China Standard Time clock (as
    /// <see cref="ReportingPeriod.LastYear"/> maps each period; 29 February maps to 28 February) to <paramref name="to"/>.
    /// Loaders read exactly this window (incidents between the year-before periods and the range are read and ignored).
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) IncidentWindow(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) throw new ArgumentException($"The range is empty: {from:O} is not before {to:O}.", nameof(to));
        return (new ReportingPeriod("", from, to).LastYear.Start, to);
    }
}

internal sealed class KpiWorker(KpiInput input, KpiOptions options)
{
    private sealed class Accumulator
    {
        public int Cases, CasesLastYear, Timely, DiscoveryUnknown, Wells, KeyWells, KeyWellsWatched;
        public double OilT, ReclaimedM2, PatrolHours;
        public bool HasPatrolHours;
    }

    private readonly IReadOnlyList<ReportingPeriod> _periods = ReportingPeriods.Cut(options.From, options.To, options.Period);
    private readonly Dictionary<(KpiScopeKind Kind, string Key), Accumulator[]> _scopes = new();
    private readonly IncidentAttribution _attribution = new(input.Jurisdictions, input.OilZones);

    public KpiReport Run()
    {
        Scope(KpiScopeKind.Centre, options.CentreKey);
        foreach (var code in input.Jurisdictions.Select(j => j.DepartmentCode).Concat(input.PatrolHours.Select(p => p.DepartmentCode)))
            Scope(KpiScopeKind.Department, code);
        foreach (var zone in input.OilZones) Scope(KpiScopeKind.OilZone, zone.Code);

        var (withoutDepartment, withoutZone) = CountIncidents();
        CountWells();
        CountReclaimed();
        CountPatrolHours();
        return new KpiReport(Rows(), withoutDepartment, withoutZone);
    }

    private Accumulator[] Scope(KpiScopeKind kind, string key)
    {
        if (!_scopes.TryGetValue((kind, key), out var accumulators))
        {
            accumulators = Enumerable.Range(0, _periods.Count).Select(_ => new Accumulator()).ToArray();
            _scopes[(kind, key)] = accumulators;
        }
        return accumulators;
    }

    /// <summary>The centre, the point's department and its oil zone (each by <see cref="IncidentAttribution"/>; null when none).</summary>
    private (Accumulator[] Centre, Accumulator[]? Department, Accumulator[]? Zone) ScopesOf(Point point, DateTimeOffset at) =>
        (Scope(KpiScopeKind.Centre, options.CentreKey),
         _attribution.DepartmentAt(point, at) is { } d ? Scope(KpiScopeKind.Department, d) : null,
         _attribution.OilZoneAt(point) is { } z ? Scope(KpiScopeKind.OilZone, z) : null);

    private static IEnumerable<Accumulator[]> Each((Accumulator[] Centre, Accumulator[]? Department, Accumulator[]? Zone) scopes)
    {
        yield return scopes.Centre;
        if (scopes.Department is { } d) yield return d;
        if (scopes.Zone is { } z) yield return z;
    }

    private (int WithoutDepartment, int WithoutZone) CountIncidents()
    {
        var lastYear = _periods.Select(p => p.LastYear).ToArray();
        int withoutDepartment = 0, withoutZone = 0;
        // Full incidents are attributed here by the rule; the light ones carry the attribution the same rule stored when they were written.
        foreach (var incident in input.Incidents)
            if (Counts(incident.Kind, incident.OccurredAt, lastYear))
                Count(KpiIncident.From(incident, _attribution), lastYear, ref withoutDepartment, ref withoutZone);
        foreach (var incident in input.Cases)
            if (Counts(incident.Kind, incident.OccurredAt, lastYear))
                Count(incident, lastYear, ref withoutDepartment, ref withoutZone);
        return (withoutDepartment, withoutZone);
    }

    /// <summary>True when an incident of this kind and time is counted at all (kind filter; in a period or a period a year earlier).</summary>
    private bool Counts(IncidentKind kind, DateTimeOffset at, ReportingPeriod[] lastYear) =>
        !(options.Kinds is { Count: > 0 } kinds && !kinds.Contains(kind)) && (IndexOf(_periods, at) >= 0 || IndexOf(lastYear, at) >= 0);

    private void Count(in KpiIncident incident, ReportingPeriod[] lastYear, ref int withoutDepartment, ref int withoutZone)
    {
        var at = incident.OccurredAt;
        var now = IndexOf(_periods, at);
        var then = IndexOf(lastYear, at);
        var discoveryKnown = incident.DiscoveredAt.HasValue;
        var timely = discoveryKnown && Incident.IsOwnForce(incident.DiscoveredBy) && incident.DiscoveredAt!.Value - incident.OccurredAt <= options.TimelyThreshold;
        var scopes = (Centre: Scope(KpiScopeKind.Centre, options.CentreKey),
            Department: incident.DepartmentCode is { } d ? Scope(KpiScopeKind.Department, d) : null,
            Zone: incident.OilZoneCode is { } z ? Scope(KpiScopeKind.OilZone, z) : null);
        foreach (var accumulators in Each(scopes))
        {
            if (now >= 0)
            {
                var a = accumulators[now];
                a.Cases++;
                if (timely) a.Timely++;
                if (!discoveryKnown) a.DiscoveryUnknown++;
                a.OilT += incident.OilRecoveredT;
            }
            if (then >= 0) accumulators[then].CasesLastYear++;
        }
        if (now >= 0 && scopes.Department is null) withoutDepartment++;
        if (now >= 0 && scopes.Zone is null) withoutZone++;
    }

    private void CountWells()
    {
        var watched = WatchedKeyWells();
        var knownZones = input.OilZones.Select(z => z.Code).ToHashSet(StringComparer.Ordinal);
        for (var p = 0; p < _periods.Count; p++)
        {
            var at = _periods[p].End.AddTicks(-1);
            foreach (var well in input.Wells)
            {
                var isWatched = well.IsKeyWell && watched.Contains(well.Code);
                Add(Scope(KpiScopeKind.Centre, options.CentreKey)[p], well, isWatched);
                if (_attribution.DepartmentAt(well.Location, at) is { } d) Add(Scope(KpiScopeKind.Department, d)[p], well, isWatched);
                if (knownZones.Contains(well.OilZoneCode)) Add(Scope(KpiScopeKind.OilZone, well.OilZoneCode)[p], well, isWatched);
            }
        }

        static void Add(Accumulator a, Well well, bool isWatched)
        {
            a.Wells++;
            if (well.IsKeyWell) a.KeyWells++;
            if (isWatched) a.KeyWellsWatched++;
        }
    }

    /// <summary>Codes of key wells watched by a camera (<see cref="CameraSector.WatchedKeyWells"/>).</summary>
    private IReadOnlySet<string> WatchedKeyWells() => CameraSector.WatchedKeyWells(input.Wells, input.Cameras, options.Projection);

    private void CountReclaimed()
    {
        foreach (var site in input.IdleSites)
        {
            if (site.Status != IdleSiteStatus.Reclaimed || site.ReclaimedOn is not { } date || site.Geometry.IsEmpty) continue;
            var at = ChinaTime.StartOf(date);
            var p = IndexOf(_periods, at);
            if (p < 0) continue;
            var area = options.Projection.Forward(site.Geometry).Area;
            foreach (var accumulators in Each(ScopesOf(site.Geometry.InteriorPoint, at)))
                accumulators[p].ReclaimedM2 += area;
        }
    }

    private void CountPatrolHours()
    {
        foreach (var entry in input.PatrolHours)
        {
            // A date goes to the period holding its first instant inside the range (the first date of a range that does
            // not start at midnight CST starts before the range); period bounds inside the range are CST midnights.
            var at = ChinaTime.StartOf(entry.Date);
            if (at < options.From && ChinaTime.StartOf(entry.Date.AddDays(1)) > options.From) at = options.From;
            var p = IndexOf(_periods, at);
            if (p < 0) continue;
            foreach (var a in new[] { Scope(KpiScopeKind.Centre, options.CentreKey)[p], Scope(KpiScopeKind.Department, entry.DepartmentCode)[p] })
            {
                a.PatrolHours += entry.Hours;
                a.HasPatrolHours = true;
            }
        }
    }

    private List<KpiRow> Rows()
    {
        var rows = new List<KpiRow>();
        var scopes = _scopes.Keys.OrderBy(k => k.Kind).ThenBy(k => k.Key, StringComparer.Ordinal).ToArray();
        for (var p = 0; p < _periods.Count; p++)
        {
            var period = _periods[p];
            foreach (var scope in scopes)
            {
                var a = _scopes[scope][p];
                double? hours = scope.Kind == KpiScopeKind.OilZone || !a.HasPatrolHours ? null : a.PatrolHours;
                rows.Add(new KpiRow(scope.Kind, scope.Key, period.Label, period.Start, period.End,
                    a.Cases, a.CasesLastYear,
                    a.CasesLastYear > 0 ? (a.Cases - a.CasesLastYear) * 100.0 / a.CasesLastYear : null,
                    a.Cases - a.DiscoveryUnknown > 0 ? (double)a.Timely / (a.Cases - a.DiscoveryUnknown) : null,
                    a.OilT, a.ReclaimedM2, a.Wells, a.KeyWells, a.KeyWellsWatched,
                    a.Wells > 0 ? a.Cases * 100.0 / a.Wells : null,
                    hours,
                    hours > 0 ? a.Cases / hours.Value : null,
                    a.DiscoveryUnknown));
            }
        }
        return rows;
    }

    /// <summary>Index of the period holding <paramref name="at"/>, or −1 (periods are sorted and do not overlap).</summary>
    private static int IndexOf(IReadOnlyList<ReportingPeriod> periods, DateTimeOffset at)
    {
        int lo = 0, hi = periods.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (at < periods[mid].Start) hi = mid - 1;
            else if (at >= periods[mid].End) lo = mid + 1;
            else return mid;
        }
        return -1;
    }
}
