using System.Diagnostics;
using MapControl.Core.Coverage;
using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Core.Spatial;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using Npgsql;

namespace MapControl.Data.Reports;

/// <summary>
/// The analyses of one month for every scope, computed once (a batch of reports for all departments reads and computes them
/// once): KPI rows through <c>AnalysisSource.ComputeKpisAsync</c> (one streamed pass into Core's <see cref="KpiAccumulator"/>) with the options of <c>mapcontrol kpi</c> (period "whole", timely within 24 h, all kinds) for the
/// month and for the same month a year earlier, thirteen monthly rows for the chart, patrol coverage of the month
/// (<see cref="AnalysisSource.LoadPatrolInputAsync"/> and <see cref="PatrolCoverage"/> with default options, as the commander's
/// view, less the blank strips), gaps and overlaps (<see cref="CoverageGaps.CheckAsync"/> as of the month's end: <see cref="CoverageCheck"/>
/// with default options, as <c>coverage-check --from-db</c>) and the basemap.
/// </summary>
public sealed class MonthlyReportMonth
{
    /// <summary>Analyst defaults of the Gi* layer, used for the report's hot-spot map.</summary>
    public static readonly HotSpotOptions HotSpotDefaults = new() { Rings = 1, FdrQ = 0.05 };

    /// <summary>Patrol coverage as the commander view computes it (Core's defaults), without blank strips.</summary>
    public static readonly PatrolCoverageOptions PatrolDefaults = new() { BlankStripWidthM = 0 };

    private MonthlyReportMonth() { }

    /// <summary>First day of the month.</summary>
    public DateOnly Month { get; private init; }

    /// <summary>Departments by code.</summary>
    public IReadOnlyList<Department> Departments { get; private init; } = [];

    internal KpiInput Input { get; private init; } = default!;
    /// <summary>The month's incidents in full (for the map and the table; the KPIs read their light form).</summary>
    internal IReadOnlyList<Incident> MonthIncidents { get; private init; } = [];
    internal KpiReport Now { get; private init; } = default!;
    internal KpiReport LastYear { get; private init; } = default!;
    internal KpiReport Monthly { get; private init; } = default!;
    internal PatrolCoverageReport Patrol { get; private init; } = default!;
    internal long GpsFixes { get; private init; }
    internal CoverageReport Coverage { get; private init; } = default!;
    internal IReadOnlyList<BasemapFeature> Basemap { get; private init; } = [];
    internal string BasemapSource { get; private init; } = "";

    /// <summary>How long each step took (the steps run side by side; for the timing notes of the CLI and the scheduler).</summary>
    public IReadOnlyList<(string Step, TimeSpan Took)> Timings { get; private init; } = [];

    /// <summary>Reads and computes the month.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="month">First day of the month (other days are moved to the first).</param>
    /// <param name="tilesPath">Folder of the offline basemap (basemap.json, basemap/{z}/{x}/{y}.pbf); null or missing: the basemap table.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<MonthlyReportMonth> LoadAsync(NpgsqlDataSource dataSource, DateOnly month, string? tilesPath,
        CancellationToken cancellationToken = default)
    {
        month = new DateOnly(month.Year, month.Month, 1);
        var timings = new System.Collections.Concurrent.ConcurrentQueue<(string, TimeSpan)>();
        var source = new AnalysisSource(dataSource);
        var from = ChinaTime.StartOf(month);
        var to = ChinaTime.StartOf(month.AddMonths(1));
        var lastYear = new ReportingPeriod("", from, to).LastYear;
        var chartFrom = ChinaTime.StartOf(month.AddMonths(-12));

        // Four independent chains (each its own reads and its Core call), run side by side; each is timed on its own.
        async Task<T> Timed<T>(string step, Func<Task<T>> run)
        {
            var watch = Stopwatch.StartNew();
            var result = await Task.Run(run, cancellationToken).ConfigureAwait(false);
            timings.Enqueue((step, watch.Elapsed));
            return result;
        }
        // The KPI rows: exactly `mapcontrol kpi --from <month> --to <next month>` (and the same for the month a year earlier); then
        // thirteen months ending with this one, each with the same month a year earlier (cases only: no patrol hours needed). The
        // three are computed in one pass over the incidents they count (AnalysisSource.ComputeKpisAsync streams them into one
        // KpiAccumulator each: no list of the 25 months' incidents in memory).
        var kpiTask = Timed("kpi", async () =>
        {
            var context = await source.LoadKpiContextAsync(chartFrom, to, withPatrolHours: false, cancellationToken).ConfigureAwait(false);
            var input = context with { PatrolHours = await source.LoadPatrolHoursAsync(from, to, context.Jurisdictions, cancellationToken).ConfigureAwait(false) };
            var inputLastYear = context with
            {
                PatrolHours = await source.LoadPatrolHoursAsync(lastYear.Start, lastYear.End, context.Jurisdictions, cancellationToken).ConfigureAwait(false),
            };
            var (reports, _) = await source.ComputeKpisAsync([
                (input, KpiOptionsFor(from, to, KpiPeriodKind.Whole)),
                (inputLastYear, KpiOptionsFor(lastYear.Start, lastYear.End, KpiPeriodKind.Whole)),
                (context, KpiOptionsFor(chartFrom, to, KpiPeriodKind.Month)),
            ], cancellationToken).ConfigureAwait(false);
            var monthIncidents = await new IncidentRepository(dataSource).GetByWindowAsync(from, to, cancellationToken).ConfigureAwait(false);
            return (input, reports[0], reports[1], reports[2], monthIncidents);
        });
        var patrolTask = Timed("patrol coverage", async () =>
        {
            var patrolInput = await source.LoadPatrolInputAsync(from, to, cancellationToken).ConfigureAwait(false);
            // The commander view's options; blank strips are not drawn in the report, so they are not computed (coverage is unchanged).
            // The month's fixes, reduced days included ("no GPS fixes this month" was said of a month read from daily tracks).
            return (PatrolCoverage.Compute(patrolInput, PatrolDefaults), patrolInput.FixCount);
        });
        var coverageTask = Timed("gaps and overlaps", () => CoverageGaps.CheckAsync(dataSource, to, new CoverageOptions(), cancellationToken));
        var basemapTask = Timed("basemap", async () =>
        {
            var zones = await new OilZoneRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false);
            return await ReportBasemap.LoadAsync(dataSource, tilesPath, AnalysisSource.UnionOf(zones.Select(z => (Geometry)z.Geometry)).EnvelopeInternal,
                cancellationToken).ConfigureAwait(false);
        });
        var departments = await new DepartmentRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false);
        // Alert KPIs of the month (docs/DEFINITIONS.md "Alerts"): response and closure times from what happened.
        var alerts = await new Alerts.AlertRepository(dataSource).KpisAsync(from, to, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(kpiTask, patrolTask, coverageTask, basemapTask).ConfigureAwait(false);
        var (input, now, then, monthly, monthIncidents) = await kpiTask.ConfigureAwait(false);
        var (patrol, gpsFixes) = await patrolTask.ConfigureAwait(false);
        var coverage = await coverageTask.ConfigureAwait(false);
        var (basemap, basemapSource) = await basemapTask.ConfigureAwait(false);

        return new MonthlyReportMonth
        {
            Month = month, Departments = departments.OrderBy(d => d.Code, StringComparer.Ordinal).ToList(),
            Input = input, MonthIncidents = monthIncidents, Now = now, LastYear = then, Monthly = monthly,
            Patrol = patrol, GpsFixes = gpsFixes, Coverage = coverage,
            Basemap = basemap, BasemapSource = basemapSource, Timings = timings.ToList(), Alerts = alerts,
        };
    }

    /// <summary>The month's alert KPIs: the centre (department null) first, then each department with alerts.</summary>
    public IReadOnlyList<Alerts.AlertKpi> Alerts { get; private init; } = [];

    /// <summary>The options of <c>mapcontrol kpi</c> (timely within 24 h, every kind, the Dongying plane) for a range.</summary>
    public static KpiOptions KpiOptionsFor(DateTimeOffset from, DateTimeOffset to, KpiPeriodKind period) =>
        new() { From = from, To = to, Period = period };

    /// <summary>The data of one report: the centre (null) or one department, in a language.</summary>
    /// <exception cref="ReportRequestException">The department is unknown.</exception>
    public MonthlyReportData For(string? departmentCode, string language, DateTimeOffset generatedAt)
    {
        if (departmentCode is not null && Departments.All(d => d.Code != departmentCode))
            throw new ReportRequestException($"unknown department \"{departmentCode}\" (known: {string.Join(", ", Departments.Select(d => d.Code))})");
        var request = new MonthlyReportRequest(Month, departmentCode, ReportLanguage.Normalise(language));
        var (from, to) = (request.From, request.To);
        var centreKey = new KpiOptions { From = from, To = to }.CentreKey;
        bool InScope(KpiRow r) => departmentCode is null
            ? r.ScopeKind == KpiScopeKind.Centre && r.ScopeKey == centreKey
            : r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == departmentCode;
        KpiRow Empty(DateTimeOffset f, DateTimeOffset t) =>
            new(departmentCode is null ? KpiScopeKind.Centre : KpiScopeKind.Department, departmentCode ?? centreKey, "", f, t, 0, 0, null, null, 0, 0, 0, 0, 0, null, null, null);

        var kpi = Now.Rows.FirstOrDefault(InScope) ?? Empty(from, to);
        var lastYear = LastYear.Rows.FirstOrDefault(InScope) ?? Empty(from.AddYears(-1), to.AddYears(-1));
        var allRows = Now.Rows.Where(r => r.ScopeKind == KpiScopeKind.Centre)
            .Concat(Departments.Select(d => Now.Rows.FirstOrDefault(r => r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == d.Code)
                                            ?? Empty(from, to) with { ScopeKind = KpiScopeKind.Department, ScopeKey = d.Code }))
            .ToList();
        var months = Monthly.Rows.Where(InScope).OrderBy(r => r.PeriodStart).ToList();

        // The month's cases of the scope, each attributed by the KPIs' rule (so the map and the tables add up to the KPI count).
        var attribution = new IncidentAttribution(Input.Jurisdictions, Input.OilZones);
        var incidents = MonthIncidents
            .Where(i => i.OccurredAt >= from && i.OccurredAt < to)
            .Select(i => new ReportIncident(i, attribution.DepartmentAt(i.Location, i.OccurredAt)))
            .Where(i => departmentCode is null || i.DepartmentCode == departmentCode)
            .OrderBy(i => i.Incident.OccurredAt).ToList();
        var hotSpots = HotSpotAnalysis.Run(incidents.Select(i => IncidentPoint.From(i.Incident)).ToArray(),
            HotSpotDefaults with { Filter = new IncidentFilter { From = from, To = to } });

        var endOfMonth = to.AddTicks(-1);
        var jurisdictions = AnalysisSource.ByDepartment(Input.Jurisdictions.Where(j => j.Version.IsInForceAt(endOfMonth)));

        var wells = Input.Wells.ToDictionary(w => w.Code, StringComparer.Ordinal);
        var watched = CameraSector.WatchedKeyWells(Input.Wells, Input.Cameras, MetricProjection.Dongying);
        var patrolRows = Patrol.Departments.Where(d => departmentCode is null || d.DepartmentCode == departmentCode).ToList();
        var notPatrolled = patrolRows
            .SelectMany(d => d.KeyWells.Where(k => !k.Visited).Select(k => new ReportKeyWell(k.Code, k.Location, d.DepartmentCode,
                wells.TryGetValue(k.Code, out var w) ? w.OilZoneCode : "", watched.Contains(k.Code))))
            .GroupBy(k => k.Code, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(k => k.DepartmentCode, StringComparer.Ordinal).ThenBy(k => k.Code, StringComparer.Ordinal).ToList();
        var keyWellsInScope = patrolRows.SelectMany(d => d.KeyWells.Select(k => k.Code)).Distinct(StringComparer.Ordinal).Count();

        var idleSites = new List<ReportIdleSite>();
        foreach (var site in Input.IdleSites)
        {
            if (site.Geometry.IsEmpty) continue;
            var area = MetricProjection.Dongying.Forward(site.Geometry).Area;
            void Add(IdleSiteStatus change, DateOnly on)
            {
                var at = ChinaTime.StartOf(on);
                if (at < from || at >= to) return;
                var department = attribution.DepartmentAt(site.Geometry.InteriorPoint, at);
                if (departmentCode is null || department == departmentCode) idleSites.Add(new ReportIdleSite(site, change, on, area, department));
            }
            if (site.EncroachedOn is { } e) Add(IdleSiteStatus.Encroached, e);
            // Reclaimed as the KPI counts it: the site's status is reclaimed and its reclaimed date lies in the month.
            if (site.Status == IdleSiteStatus.Reclaimed && site.ReclaimedOn is { } r) Add(IdleSiteStatus.Reclaimed, r);
        }

        return new MonthlyReportData
        {
            Request = request, Departments = Departments, Kpi = kpi, KpiLastYear = lastYear, AllRows = allRows, Months = months,
            Incidents = incidents, HotSpots = hotSpots, Patrol = Patrol, GpsFixes = GpsFixes, Coverage = Coverage,
            Jurisdictions = jurisdictions, OilZones = Input.OilZones, KeyWellsNotPatrolled = notPatrolled, KeyWellsInScope = keyWellsInScope,
            IdleSites = idleSites.OrderBy(s => s.On).ThenBy(s => s.Site.Code, StringComparer.Ordinal).ToList(),
            Basemap = Basemap, BasemapSource = BasemapSource, GeneratedAt = generatedAt,
            Alerts = Alerts.FirstOrDefault(a => a.DepartmentCode == departmentCode),
        };
    }
}
