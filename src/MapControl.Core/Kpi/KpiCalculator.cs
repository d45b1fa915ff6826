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
        return new KpiAccumulator(input, options).Finish();
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

/// <summary>
/// The KPIs computed in one pass over incidents streamed in (<see cref="Add"/>), without holding them: memory grows with scopes ×
/// periods, not with incidents (docs/DEFINITIONS.md "KPIs at scale"). Every rule of <see cref="KpiCalculator"/> is here; Compute is
/// this accumulator over <see cref="KpiInput.Incidents"/> and <see cref="KpiInput.Cases"/>. Incidents added in the same order give
/// the same report to the last bit (oil recovered is a floating-point sum: add in time order, as the loaders read).
/// </summary>
public sealed class KpiAccumulator
{
    private sealed class Accumulator
    {
        public int Cases, CasesLastYear, Timely, DiscoveryUnknown, Wells, KeyWells, KeyWellsWatched;
        public double OilT, ReclaimedM2, PatrolHours;
        public bool HasPatrolHours;
    }

    private readonly KpiInput _input;
    private readonly KpiOptions _options;
    private readonly IReadOnlyList<ReportingPeriod> _periods;
    private readonly ReportingPeriod[] _lastYear;
    private readonly Dictionary<(KpiScopeKind Kind, string Key), Accumulator[]> _scopes = new();
    private readonly IncidentAttribution _attribution;
    private int _withoutDepartment, _withoutZone;
    private bool _finished;

    /// <summary>
    /// Starts the KPIs of <paramref name="options"/> over <paramref name="input"/>'s jurisdictions, oil zones, wells, cameras, idle
    /// sites and patrol hours, and counts its <see cref="KpiInput.Incidents"/> and <see cref="KpiInput.Cases"/> (in that order);
    /// further incidents come through <see cref="Add"/>.
    /// </summary>
    public KpiAccumulator(KpiInput input, KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        _input = input;
        _options = options;
        _periods = ReportingPeriods.Cut(options.From, options.To, options.Period);
        _lastYear = _periods.Select(p => p.LastYear).ToArray();
        _attribution = new IncidentAttribution(input.Jurisdictions, input.OilZones);
        Scope(KpiScopeKind.Centre, options.CentreKey);
        foreach (var code in input.Jurisdictions.Select(j => j.DepartmentCode).Concat(input.PatrolHours.Select(p => p.DepartmentCode)))
            Scope(KpiScopeKind.Department, code);
        foreach (var zone in input.OilZones) Scope(KpiScopeKind.OilZone, zone.Code);
        // Full incidents are attributed here by the rule; the light ones carry the attribution the same rule stored when they were written.
        foreach (var incident in input.Incidents)
            if (Counts(incident.Kind, incident.OccurredAt))
                Count(KpiIncident.From(incident, _attribution));
        foreach (var incident in input.Cases) Add(incident);
    }

    /// <summary>Counts one incident in its light form (with its stored attribution); ignored outside the periods, the periods a
    /// year earlier and the kinds of the options.</summary>
    public void Add(in KpiIncident incident)
    {
        if (_finished) throw new InvalidOperationException("The KPIs are already computed.");
        if (Counts(incident.Kind, incident.OccurredAt)) Count(incident);
    }

    /// <summary>
    /// The occurred_at windows whose incidents this accumulator counts — the periods and the same periods a year earlier, sorted,
    /// overlapping and touching ones merged. Incidents outside them are ignored by <see cref="Add"/>, so a loader need read only
    /// these (in time order), a subset of <see cref="KpiCalculator.IncidentWindow"/>.
    /// </summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Windows => Merge(_periods.Concat(_lastYear).Select(p => (p.Start, p.End)));

    /// <summary>Sorts time windows and merges those that overlap or touch.</summary>
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Merge(IEnumerable<(DateTimeOffset From, DateTimeOffset To)> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var merged = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var w in windows.Where(w => w.To > w.From).OrderBy(w => w.From))
        {
            if (merged.Count > 0 && w.From <= merged[^1].To)
                merged[^1] = (merged[^1].From, w.To > merged[^1].To ? w.To : merged[^1].To);
            else merged.Add(w);
        }
        return merged;
    }

    /// <summary>Counts wells, reclaimed sites and patrol hours and returns the KPI rows (once).</summary>
    public KpiReport Finish()
    {
        if (_finished) throw new InvalidOperationException("The KPIs are already computed.");
        _finished = true;
        CountWells();
        CountReclaimed();
        CountPatrolHours();
        return new KpiReport(Rows(), _withoutDepartment, _withoutZone);
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
        (Scope(KpiScopeKind.Centre, _options.CentreKey),
         _attribution.DepartmentAt(point, at) is { } d ? Scope(KpiScopeKind.Department, d) : null,
         _attribution.OilZoneAt(point) is { } z ? Scope(KpiScopeKind.OilZone, z) : null);

    private static IEnumerable<Accumulator[]> Each((Accumulator[] Centre, Accumulator[]? Department, Accumulator[]? Zone) scopes)
    {
        yield return scopes.Centre;
        if (scopes.Department is { } d) yield return d;
        if (scopes.Zone is { } z) yield return z;
    }

    /// <summary>True when an incident of this kind and time is counted at all (kind filter; in a period or a period a year earlier).</summary>
    private bool Counts(IncidentKind kind, DateTimeOffset at) =>
        !(_options.Kinds is { Count: > 0 } kinds && !kinds.Contains(kind)) && (IndexOf(_periods, at) >= 0 || IndexOf(_lastYear, at) >= 0);

    private void Count(in KpiIncident incident)
    {
        var at = incident.OccurredAt;
        var now = IndexOf(_periods, at);
        var then = IndexOf(_lastYear, at);
        var discoveryKnown = incident.DiscoveredAt.HasValue;
        var timely = discoveryKnown && Incident.IsOwnForce(incident.DiscoveredBy) && incident.DiscoveredAt!.Value - incident.OccurredAt <= _options.TimelyThreshold;
        var scopes = (Centre: Scope(KpiScopeKind.Centre, _options.CentreKey),
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
        if (now >= 0 && scopes.Department is null) _withoutDepartment++;
        if (now >= 0 && scopes.Zone is null) _withoutZone++;
    }

    private void CountWells()
    {
        var watched = WatchedKeyWells();
        var knownZones = _input.OilZones.Select(z => z.Code).ToHashSet(StringComparer.Ordinal);
        for (var p = 0; p < _periods.Count; p++)
        {
            var at = _periods[p].End.AddTicks(-1);
            foreach (var well in _input.Wells)
            {
                var isWatched = well.IsKeyWell && watched.Contains(well.Code);
                Add(Scope(KpiScopeKind.Centre, _options.CentreKey)[p], well, isWatched);
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
    private IReadOnlySet<string> WatchedKeyWells() => CameraSector.WatchedKeyWells(_input.Wells, _input.Cameras, _options.Projection);

    private void CountReclaimed()
    {
        foreach (var site in _input.IdleSites)
        {
            if (site.Status != IdleSiteStatus.Reclaimed || site.ReclaimedOn is not { } date || site.Geometry.IsEmpty) continue;
            var at = ChinaTime.StartOf(date);
            var p = IndexOf(_periods, at);
            if (p < 0) continue;
            var area = _options.Projection.Forward(site.Geometry).Area;
            foreach (var accumulators in Each(ScopesOf(site.Geometry.InteriorPoint, at)))
                accumulators[p].ReclaimedM2 += area;
        }
    }

    private void CountPatrolHours()
    {
        foreach (var entry in _input.PatrolHours)
        {
            // A date goes to the period holding its first instant inside the range (the first date of a range that does
            // not start at midnight CST starts before the range); period bounds inside the range are CST midnights.
            var at = ChinaTime.StartOf(entry.Date);
            if (at < _options.From && ChinaTime.StartOf(entry.Date.AddDays(1)) > _options.From) at = _options.From;
            var p = IndexOf(_periods, at);
            if (p < 0) continue;
            foreach (var a in new[] { Scope(KpiScopeKind.Centre, _options.CentreKey)[p], Scope(KpiScopeKind.Department, entry.DepartmentCode)[p] })
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
