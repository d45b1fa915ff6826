using MapControl.Core.Crs;
using MapControl.Core.Model;

namespace MapControl.Core.Kpi;

/// <summary>What a KPI row is about: the whole centre, one department or one oil zone.</summary>
public enum KpiScopeKind { Centre, Department, OilZone }

/// <summary>How the reporting range is cut into periods (calendar periods in China Standard Time).</summary>
public enum KpiPeriodKind
{
    /// <summary>One period: the whole range.</summary>
    Whole,
    /// <summary>Calendar months, labelled "2025-03".</summary>
    Month,
    /// <summary>Calendar quarters, labelled "2025-Q1".</summary>
    Quarter,
    /// <summary>Meteorological seasons (MAM, JJA, SON, DJF), labelled "2025-spring"; winter is labelled by the year of its December.</summary>
    Season,
}

/// <summary>Patrol hours of a department on one China Standard Time date (the exposure for cases per patrol hour).</summary>
public sealed record PatrolHours(string DepartmentCode, DateOnly Date, double Hours);

/// <summary>
/// What the KPIs read of one stored incident — times, discoverer, oil, kind — with the department and oil zone it was attributed
/// to when written (the stored columns, computed by <see cref="Spatial.IncidentAttribution"/>; null when none): no geometry.
/// The loaders' form at scale (10⁶ incidents as full <see cref="Incident"/>s with geometries took ~26 s and 1.8 GB).
/// </summary>
public readonly record struct KpiIncident(DateTimeOffset OccurredAt, DateTimeOffset? DiscoveredAt, DiscoverySource DiscoveredBy,
    double OilRecoveredT, IncidentKind Kind, string? DepartmentCode, string? OilZoneCode)
{
    /// <summary>The KPI form of an incident with the attribution <paramref name="attribution"/> gives it (as stored when written).</summary>
    public static KpiIncident From(Incident incident, Spatial.IncidentAttribution attribution)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(attribution);
        var (department, zone) = attribution.Attribute(incident);
        return new KpiIncident(incident.OccurredAt, incident.DiscoveredAt, incident.DiscoveredBy, incident.OilRecoveredT, incident.Kind, department, zone);
    }
}

/// <summary>Everything the KPIs are computed from; geometries in WGS84 lon/lat.</summary>
public sealed record KpiInput
{
    /// <summary>Incidents, attributed here by <see cref="Spatial.IncidentAttribution"/> over <see cref="Jurisdictions"/> and
    /// <see cref="OilZones"/> (both the reporting range and the year before are read from here and from <see cref="Cases"/>).</summary>
    public IReadOnlyList<Incident> Incidents { get; init; } = [];

    /// <summary>Incidents in their light form with their stored attribution (the loaders' form); counted as <see cref="Incidents"/> are.</summary>
    public IReadOnlyList<KpiIncident> Cases { get; init; } = [];

    /// <summary>All versions of all jurisdictions; an incident goes to the version in force at its occurred_at.</summary>
    public IReadOnlyList<Jurisdiction> Jurisdictions { get; init; } = [];

    /// <summary>Oil zones; an incident goes to the zone containing it.</summary>
    public IReadOnlyList<OilZone> OilZones { get; init; } = [];

    /// <summary>Wells (exposure, key wells).</summary>
    public IReadOnlyList<Well> Wells { get; init; } = [];

    /// <summary>Cameras (key wells watched).</summary>
    public IReadOnlyList<Camera> Cameras { get; init; } = [];

    /// <summary>Idle sites (area reclaimed).</summary>
    public IReadOnlyList<IdleSite> IdleSites { get; init; } = [];

    /// <summary>Patrol hours per department and date.</summary>
    public IReadOnlyList<PatrolHours> PatrolHours { get; init; } = [];
}

/// <summary>Options of a KPI computation.</summary>
public sealed record KpiOptions
{
    /// <summary>Start of the reporting range, inclusive.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the reporting range, exclusive.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>How the range is cut into periods.</summary>
    public KpiPeriodKind Period { get; init; } = KpiPeriodKind.Whole;

    /// <summary>Largest discovered_at − occurred_at for a discovery by own forces to count as timely (default 24 h).</summary>
    public TimeSpan TimelyThreshold { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Incident kinds counted (null or empty: all).</summary>
    public IReadOnlyCollection<IncidentKind>? Kinds { get; init; }

    /// <summary>Scope key of the centre row.</summary>
    public string CentreKey { get; init; } = "centre";

    /// <summary>Metric plane for areas and camera sectors.</summary>
    public MetricProjection Projection { get; init; } = MetricProjection.Dongying;
}

/// <summary>One KPI row: a scope in a period.</summary>
/// <param name="PeriodLabel">"2025-03", "2025-Q1", "2025-spring" or, for the whole range, "2025-01-01/2026-01-01" (CST dates).</param>
/// <param name="PeriodStart">Start of the period (clipped to the range), inclusive.</param>
/// <param name="PeriodEnd">End of the period (clipped to the range), exclusive.</param>
/// <param name="Cases">Incidents that occurred in the period.</param>
/// <param name="CasesLastYear">Incidents in the same period one calendar year earlier.</param>
/// <param name="YoyPct">(Cases − CasesLastYear) / CasesLastYear · 100; null when last year had none (发案率同比).</param>
/// <param name="TimelyRate">Share of the period's cases with a known discovery time that own forces discovered within the
/// threshold; null when no case has a discovery time (及时发现率; the rule is in <see cref="KpiCalculator"/>).</param>
/// <param name="OilRecoveredT">Oil recovered in tonnes, over the period's cases.</param>
/// <param name="ReclaimedAreaM2">Area of idle sites whose status became reclaimed within the period, m².</param>
/// <param name="Wells">Wells in the scope (jurisdiction in force at the end of the period; oil zone by the well's zone code).</param>
/// <param name="KeyWells">Key wells in the scope.</param>
/// <param name="KeyWellsWatched">Key wells inside some camera's view sector.</param>
/// <param name="CasesPer100Wells">Cases per 100 wells of the scope; null without wells.</param>
/// <param name="PatrolHours">Patrol hours in the period (centre: all departments; null for an oil zone).</param>
/// <param name="CasesPerPatrolHour">Cases per patrol hour; null without patrol hours.</param>
/// <param name="CasesWithoutDiscoveryTime">Cases of the period whose discovery time is unknown, left out of <paramref name="TimelyRate"/>.</param>
public sealed record KpiRow(KpiScopeKind ScopeKind, string ScopeKey, string PeriodLabel, DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd, int Cases, int CasesLastYear, double? YoyPct, double? TimelyRate, double OilRecoveredT,
    double ReclaimedAreaM2, int Wells, int KeyWells, int KeyWellsWatched, double? CasesPer100Wells, double? PatrolHours,
    double? CasesPerPatrolHour, int CasesWithoutDiscoveryTime = 0);

/// <summary>KPI rows, ordered by period, then scope kind and key, plus what could not be attributed.</summary>
/// <param name="IncidentsWithoutDepartment">Incidents counted for the centre to which the attribution rule gives no department.</param>
/// <param name="IncidentsWithoutOilZone">Incidents counted for the centre that lie in no oil zone.</param>
public sealed record KpiReport(IReadOnlyList<KpiRow> Rows, int IncidentsWithoutDepartment, int IncidentsWithoutOilZone);
