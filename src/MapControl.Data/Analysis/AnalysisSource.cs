using MapControl.Core.Coverage;
using MapControl.Core.Hotspots;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;
using Npgsql;

namespace MapControl.Data.Analysis;

/// <summary>
/// Loads the inputs of the analyses (coverage check, patrol coverage, hot spots, KPIs) from PostGIS, in the shapes the
/// Core entry points take; the CLI, the API and the UI call these and hand the result to the same Core code.
/// Time-windowed tables (incidents, GPS fixes) are always filtered by time in SQL first (the repositories' window queries).
/// </summary>
public sealed class AnalysisSource(NpgsqlDataSource dataSource)
{
    private static readonly GeometryFactory s_factory = new(new PrecisionModel(), 4326);

    /// <summary>
    /// Coverage of the oil zones by the current jurisdictions: frame = union of all oil zones, items = current jurisdictions
    /// (owner = department code), wells, and the incidents of the 12 months before <paramref name="asOf"/> (default: now).
    /// </summary>
    public Task<CoverageInput> LoadCoverageInputAsync(DateTimeOffset? asOf = null, CancellationToken cancellationToken = default) =>
        LoadCoverageInputCoreAsync(asOf, withIncidents: true, cancellationToken);

    /// <summary>The coverage input without its incidents (a caller that counts the gaps' incidents itself, as the monthly report).</summary>
    public Task<CoverageInput> LoadCoverageInputWithoutIncidentsAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default) =>
        LoadCoverageInputCoreAsync(asOf, withIncidents: false, cancellationToken);

    private async Task<CoverageInput> LoadCoverageInputCoreAsync(DateTimeOffset? asOf, bool withIncidents, CancellationToken cancellationToken)
    {
        var at = asOf ?? DateTimeOffset.UtcNow;
        var zones = await new OilZoneRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false);
        var jurisdictions = await new JurisdictionRepository(dataSource).GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var wells = await new WellRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false);
        var incidents = withIncidents
            ? await new IncidentRepository(dataSource).GetByWindowAsync(at.AddYears(-1), at, cancellationToken).ConfigureAwait(false)
            : [];
        return new CoverageInput(UnionOf(zones.Select(z => (Geometry)z.Geometry)),
            jurisdictions.Select(j => new CoverageItem(j.Geometry, j.DepartmentCode)).ToList())
        {
            Wells = wells.Select(WellPoint.From).ToList(),
            Incidents = incidents.Select(CoverageIncident.From).ToList(),
            AsOf = at,
        };
    }

    /// <summary>
    /// Incidents for a hot-spot analysis: those in the filter's time window (read by time first; the whole table when the
    /// filter has neither bound), then narrowed by the filter's kinds and season in memory.
    /// </summary>
    public async Task<IReadOnlyList<IncidentPoint>> LoadHotSpotIncidentsAsync(IncidentFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var repository = new IncidentRepository(dataSource);
        var incidents = filter.From is null && filter.To is null
            ? await repository.GetAllAsync(cancellationToken).ConfigureAwait(false)
            : await repository.GetByWindowAsync(filter.From ?? DateTimeOffset.MinValue.AddYears(1), filter.To ?? DateTimeOffset.MaxValue.AddYears(-1),
                cancellationToken).ConfigureAwait(false);
        return incidents.Select(IncidentPoint.From).Where(i => filter.Matches(i)).ToList();
    }

    /// <summary>
    /// Incidents of [<paramref name="from"/>, <paramref name="to"/>) as analysis points, optionally of one department (by the stored
    /// attribution, docs/DEFINITIONS.md "Incident attribution"): the analyst's hot spots, heat and year-over-year cells.
    /// </summary>
    public async Task<IReadOnlyList<IncidentPoint>> LoadIncidentPointsAsync(DateTimeOffset from, DateTimeOffset to, string? department,
        CancellationToken cancellationToken = default) =>
        await new IncidentRepository(dataSource).GetPointsByWindowAsync(from, to, department, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The incidents of <see cref="LoadIncidentPointsAsync"/> streamed into <paramref name="each"/> one at a time as they are read, in
    /// no particular order: for accumulators (hot-spot binning, the heat grid) whose memory grows with cells, not incidents.
    /// Returns the incidents read.
    /// </summary>
    public Task<long> StreamIncidentPointsAsync(DateTimeOffset from, DateTimeOffset to, string? department, Action<IncidentPoint> each,
        CancellationToken cancellationToken = default) =>
        new IncidentRepository(dataSource).ReadPointsByWindowAsync(from, to, department, each, cancellationToken);

    /// <summary>
    /// Patrol coverage over [<paramref name="from"/>, <paramref name="to"/>): current jurisdictions, the GPS of the window, the
    /// patrol units and the key wells. A China Standard Time day lying wholly in the window that is reduced (gps_reduced_day)
    /// comes as its daily tracks (<see cref="GpsRetention"/>, already simplified as the analysis simplifies); the rest of the
    /// window — today, the partial days at its ends, days not reduced yet — as raw fixes (read by time first).
    /// </summary>
    public async Task<PatrolCoverageInput> LoadPatrolInputAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (to <= from) throw new ArgumentException($"empty time window: {from:O} to {to:O}", nameof(to));
        var jurisdictions = await new JurisdictionRepository(dataSource).GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var (fixes, tracks) = await LoadPatrolGpsAsync(from, to, cancellationToken).ConfigureAwait(false);
        var units = await new PatrolUnitRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false);
        var keyWells = await new WellRepository(dataSource).GetKeyWellsAsync(cancellationToken).ConfigureAwait(false);
        return new PatrolCoverageInput(ByDepartment(jurisdictions), fixes, units, KeyWell.From(keyWells), from, to, tracks);
    }

    /// <summary>
    /// Patrol coverage input over [<paramref name="from"/>, <paramref name="to"/>) as <see cref="LoadPatrolInputAsync(DateTimeOffset, DateTimeOffset, CancellationToken)"/>,
    /// with the reduced whole days as department-day parts from <paramref name="cache"/> (computed with <paramref name="options"/>,
    /// whose projection must be set; compute the report with the same options). The rest of the window comes as raw fixes.
    /// </summary>
    public async Task<PatrolCoverageInput> LoadPatrolInputCachedAsync(DateTimeOffset from, DateTimeOffset to, PatrolDayCache cache,
        PatrolCoverageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (to <= from) throw new ArgumentException($"empty time window: {from:O} to {to:O}", nameof(to));
        var jurisdictions = await new JurisdictionRepository(dataSource).GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var units = await new PatrolUnitRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false);
        var keyWells = KeyWell.From(await new WellRepository(dataSource).GetKeyWellsAsync(cancellationToken).ConfigureAwait(false));
        var whole = await WholeReducedDaysAsync(from, to, cancellationToken).ConfigureAwait(false);
        var fixes = await RawFixesAroundAsync(from, to, whole, cancellationToken).ConfigureAwait(false);
        var parts = await cache.PartsAsync(dataSource, whole, keyWells, options, cancellationToken).ConfigureAwait(false);
        return new PatrolCoverageInput(ByDepartment(jurisdictions), fixes, units, keyWells, from, to, [], parts);
    }

    /// <summary>The GPS of [from, to): daily tracks of the reduced days lying wholly inside it, raw fixes for the rest.</summary>
    private async Task<(IReadOnlyList<GpsFix> Fixes, IReadOnlyList<PatrolTrack> Tracks)> LoadPatrolGpsAsync(DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        var whole = await WholeReducedDaysAsync(from, to, cancellationToken).ConfigureAwait(false);
        var fixes = await RawFixesAroundAsync(from, to, whole, cancellationToken).ConfigureAwait(false);
        return (fixes, await new GpsRetention(dataSource).DailyTracksAsync(whole, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The reduced China Standard Time days lying wholly inside [from, to), in order: read from their daily tracks.</summary>
    private async Task<List<DateOnly>> WholeReducedDaysAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var reduced = await new GpsRetention(dataSource).ReducedDaysAsync(ChinaTime.DateOf(from), ChinaTime.DateOf(to), cancellationToken).ConfigureAwait(false);
        return reduced.Where(d => ChinaTime.StartOf(d) >= from && ChinaTime.StartOf(d.AddDays(1)) <= to).Order().ToList();
    }

    /// <summary>The raw fixes of [from, to) outside the given whole days.</summary>
    private async Task<IReadOnlyList<GpsFix>> RawFixesAroundAsync(DateTimeOffset from, DateTimeOffset to, List<DateOnly> whole, CancellationToken cancellationToken)
    {
        var gps = new GpsPointRepository(dataSource);
        if (whole.Count == 0)
            return await gps.GetByWindowAsync(from, to, cancellationToken).ConfigureAwait(false);
        var fixes = new List<GpsFix>();
        var start = from;
        foreach (var day in whole.Append(DateOnly.MaxValue))
        {
            var end = day == DateOnly.MaxValue ? to : ChinaTime.StartOf(day);
            if (end > start)
                fixes.AddRange(await gps.GetByWindowAsync(start, end, cancellationToken).ConfigureAwait(false));
            if (day != DateOnly.MaxValue) start = ChinaTime.StartOf(day.AddDays(1));
        }
        return fixes;
    }

    /// <summary>
    /// KPI input for [<paramref name="from"/>, <paramref name="to"/>) with its cases as a list: <see cref="LoadKpiContextAsync"/> and the
    /// incidents of <see cref="KpiCalculator.IncidentWindow"/> in their light form (<see cref="KpiInput.Cases"/>,
    /// <see cref="IncidentRepository.GetKpiCasesByWindowAsync"/>). Memory grows with the incidents: the CLI's <c>kpi</c>,
    /// <c>/api/analysis/kpi</c>, its CSV, the panels and the monthly report compute through <see cref="ComputeKpisAsync(KpiOptions, CancellationToken)"/>
    /// instead, which streams the same rows in the same order into <see cref="KpiAccumulator"/> (the same table to the last bit).
    /// </summary>
    public async Task<KpiInput> LoadKpiInputAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var input = await LoadKpiContextAsync(from, to, withPatrolHours: true, cancellationToken).ConfigureAwait(false);
        var window = KpiCalculator.IncidentWindow(from, to);
        return input with { Cases = await new IncidentRepository(dataSource).GetKpiCasesByWindowAsync(window.From, window.To, cancellationToken).ConfigureAwait(false) };
    }

    /// <summary>
    /// Everything the KPIs of [<paramref name="from"/>, <paramref name="to"/>) read except the incidents: every jurisdiction version, oil
    /// zones, wells, cameras, idle sites and, when <paramref name="withPatrolHours"/>, the patrol hours per department and date
    /// (<see cref="LoadPatrolHoursAsync"/>: stored per reduced day). The incidents are streamed by <see cref="ComputeKpisAsync(IReadOnlyList{ValueTuple{KpiInput, KpiOptions}}, CancellationToken)"/>.
    /// </summary>
    public async Task<KpiInput> LoadKpiContextAsync(DateTimeOffset from, DateTimeOffset to, bool withPatrolHours, CancellationToken cancellationToken = default)
    {
        if (to <= from) throw new ArgumentException($"empty time window: {from:O} to {to:O}", nameof(to));
        var input = new KpiInput
        {
            Jurisdictions = await new JurisdictionRepository(dataSource).GetAllVersionsAsync(cancellationToken).ConfigureAwait(false),
            OilZones = await new OilZoneRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false),
            Wells = await new WellRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false),
            Cameras = await new CameraRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false),
            IdleSites = await new IdleSiteRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false),
        };
        return withPatrolHours
            ? input with { PatrolHours = await LoadPatrolHoursAsync(from, to, input.Jurisdictions, cancellationToken).ConfigureAwait(false) }
            : input;
    }

    /// <summary>
    /// The KPI report of <paramref name="options"/> (its range, periods, kinds): <see cref="LoadKpiContextAsync"/> with patrol hours, then
    /// <see cref="ComputeKpisAsync(IReadOnlyList{ValueTuple{KpiInput, KpiOptions}}, CancellationToken)"/>. The CLI's <c>kpi</c> computes here.
    /// </summary>
    public async Task<(KpiReport Report, KpiInput Context, long IncidentsRead)> ComputeKpisAsync(KpiOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var context = await LoadKpiContextAsync(options.From, options.To, withPatrolHours: true, cancellationToken).ConfigureAwait(false);
        var (reports, read) = await ComputeKpisAsync([(context, options)], cancellationToken).ConfigureAwait(false);
        return (reports[0], context, read);
    }

    /// <summary>
    /// KPI reports, one per (context, options), in one pass: the incidents of the windows the reports count (<see cref="KpiAccumulator.Windows"/>,
    /// merged) are streamed from PostGIS in time order (<see cref="IncidentRepository.ReadKpiCasesByWindowAsync"/>) and each row is handed to
    /// every report's <see cref="KpiAccumulator"/>, which keeps only sums per scope and period: server memory grows with scopes × periods,
    /// not with incidents (docs/DEFINITIONS.md "KPIs at scale"). Each context is a <see cref="LoadKpiContextAsync"/> (no incidents).
    /// </summary>
    /// <returns>The reports in the order asked, and the number of incident rows read.</returns>
    public async Task<(IReadOnlyList<KpiReport> Reports, long IncidentsRead)> ComputeKpisAsync(IReadOnlyList<(KpiInput Context, KpiOptions Options)> reports,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Any(r => r.Context.Incidents.Count > 0 || r.Context.Cases.Count > 0))
            throw new ArgumentException("A KPI context holds no incidents: they are streamed from the database.", nameof(reports));
        var accumulators = reports.Select(r => new KpiAccumulator(r.Context, r.Options)).ToArray();
        var repository = new IncidentRepository(dataSource);
        long read = 0;
        foreach (var (from, to) in KpiAccumulator.Merge(accumulators.SelectMany(a => a.Windows)))
            read += await repository.ReadKpiCasesByWindowAsync(from, to, c =>
            {
                foreach (var accumulator in accumulators) accumulator.Add(c);
            }, cancellationToken).ConfigureAwait(false);
        return (accumulators.Select(a => a.Finish()).ToArray(), read);
    }

    /// <summary>
    /// Patrol hours per department and date of [<paramref name="from"/>, <paramref name="to"/>) (<see cref="PatrolHoursCalculator"/>):
    /// the hours stored with each reduced whole day, the rest from the raw fixes one day at a time (<see cref="PatrolHoursByDay"/>).
    /// </summary>
    public async Task<IReadOnlyList<PatrolHours>> LoadPatrolHoursAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<Jurisdiction> jurisdictions,
        CancellationToken cancellationToken = default) =>
        await PatrolHoursByDay.LoadAsync(dataSource, from, to, jurisdictions, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A text that changes when a patrol analysis of a window (patrol hours, patrol coverage) can change: the number and latest time of
    /// the window's GPS fixes and the change versions of GPS fixes, jurisdictions, wells and patrol units. One round trip of index scans.
    /// </summary>
    public async Task<string> PatrolInputMarkerAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        (await DbCommands.QueryAsync(dataSource, $"""
            SELECT concat_ws('/', count(*), max(recorded_at), {DataChange.VersionsSql("gps_point", "gps_daily_track", "jurisdiction", "well", "patrol_unit")})
            FROM gps_point WHERE recorded_at >= $1 AND recorded_at < $2
            """, r => r.GetString(0), cancellationToken, from.ToUniversalTime(), to.ToUniversalTime()).ConfigureAwait(false))[0];

    /// <summary>Department code → union of its jurisdictions (one per department when current).</summary>
    public static IReadOnlyDictionary<string, Geometry> ByDepartment(IEnumerable<Jurisdiction> jurisdictions) =>
        jurisdictions.GroupBy(j => j.DepartmentCode, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count() == 1 ? (Geometry)g.First().Geometry : UnionOf(g.Select(j => (Geometry)j.Geometry)),
                StringComparer.Ordinal);

    /// <summary>The union of lon/lat polygons (an empty polygon for none), SRID 4326.</summary>
    public static Geometry UnionOf(IEnumerable<Geometry> polygons)
    {
        var parts = new List<Polygon>();
        foreach (var geometry in polygons)
            for (var i = 0; i < geometry.NumGeometries; i++)
                if (geometry.GetGeometryN(i) is Polygon { IsEmpty: false } polygon)
                    parts.Add(polygon);
        if (parts.Count == 0) return s_factory.CreatePolygon();
        var union = OverlayNGRobust.Union((Geometry)s_factory.CreateMultiPolygon(parts.ToArray()));
        union.SRID = 4326;
        return union;
    }
}
