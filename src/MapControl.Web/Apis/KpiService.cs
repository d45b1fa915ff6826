using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MapControl.Core.Kpi;
using MapControl.Core.Labels;
using MapControl.Core.Model;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Web.Apis;

/// <summary>KPIs of one department (or the centre, code "") for a window, as the panels and the CSV show them.</summary>
/// <param name="Cases">Incidents that occurred in the window.</param>
/// <param name="CasesLastYear">Incidents in the same window a year earlier.</param>
/// <param name="YoyPercent">Change against last year in percent; null when last year had none.</param>
/// <param name="TimelyRate">Share of the cases with a known discovery time discovered by own forces within 24 h; null when
/// none has a discovery time (Core's KpiCalculator rule).</param>
/// <param name="OilRecoveredT">Oil recovered, tonnes.</param>
/// <param name="ReclaimedAreaM2">Idle-site area reclaimed in the window, m².</param>
/// <param name="KeyWells">Key wells in the scope.</param>
/// <param name="KeyWellsWatched">Of those, inside some camera's view sector.</param>
public sealed record KpiTableRow(string DepartmentCode, string DepartmentName, string Colour, int Cases, int CasesLastYear, double? YoyPercent,
    double? TimelyRate, double OilRecoveredT, double ReclaimedAreaM2, int KeyWells, int KeyWellsWatched)
{
    /// <summary>Patrol hours in the window from the GPS fixes (centre: sum over departments); null without any.</summary>
    public double? PatrolHours { get; init; }

    /// <summary>Cases per patrol hour; null without patrol hours.</summary>
    public double? CasesPerPatrolHour { get; init; }

    /// <summary>Cases whose discovery time is unknown, left out of <see cref="TimelyRate"/>.</summary>
    public int CasesWithoutDiscoveryTime { get; init; }
}

/// <summary>Cases per month (China time) for one department, this window's months and the same months a year earlier.</summary>
public sealed record MonthlyCases(string DepartmentCode, string Colour, IReadOnlyList<(DateOnly Month, int Cases, int CasesLastYear)> Months);

/// <summary>KPIs (DESIGN §4) per department for a window through <see cref="KpiCalculator"/> — the CLI's code.</summary>
public sealed class KpiService(AnalysisSource source, DepartmentRepository departmentRepository, IncidentKindService kinds)
{
    /// <summary>Key of the centre row.</summary>
    public const string Centre = "";

    /// <summary>Windows whose patrol hours are kept (the analyst moves between a few windows and kinds).</summary>
    private const int PatrolHoursKept = 32;

    private readonly ConcurrentDictionary<(DateTimeOffset From, DateTimeOffset To), (string Marker, IReadOnlyList<PatrolHours> Hours)> _patrolHours = new();
    private long _patrolHoursComputed;

    /// <summary>How many times patrol hours were computed from GPS fixes (not taken from the memo).</summary>
    public long PatrolHoursComputed => Interlocked.Read(ref _patrolHoursComputed);

    /// <summary>One row for the centre (code "") first, then one per department.</summary>
    public async Task<IReadOnlyList<KpiTableRow>> RowsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct, string? kind = null)
    {
        var (report, departments) = await ComputeAsync(from, to, KpiPeriodKind.Whole, kind, withPatrolHours: true, ct).ConfigureAwait(false);
        KpiTableRow? Row(KpiRow? r, string code, string name, string colour) => r is null ? null :
            new KpiTableRow(code, name, colour, r.Cases, r.CasesLastYear, r.YoyPct is { } y ? Math.Round(y, 1) : null,
                r.TimelyRate is { } t ? Math.Round(t, 4) : null, Math.Round(r.OilRecoveredT, 2), Math.Round(r.ReclaimedAreaM2), r.KeyWells, r.KeyWellsWatched)
            {
                PatrolHours = r.PatrolHours is { } h ? Math.Round(h, 2) : null,
                CasesPerPatrolHour = r.CasesPerPatrolHour is { } c ? Math.Round(c, 4) : null,
                CasesWithoutDiscoveryTime = r.CasesWithoutDiscoveryTime,
            };
        var rows = new List<KpiTableRow>();
        rows.Add(Row(report.Rows.FirstOrDefault(r => r.ScopeKind == KpiScopeKind.Centre), Centre, "", Components.Shell.Palette.Centre)
                 ?? new KpiTableRow(Centre, "", Components.Shell.Palette.Centre, 0, 0, null, null, 0, 0, 0, 0));
        foreach (var d in departments)
            if (Row(report.Rows.FirstOrDefault(r => r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == d.Code), d.Code, d.Name, d.Colour) is { } row)
                rows.Add(row);
        return rows;
    }

    /// <summary>Cases per month of the window per department, with the same months a year earlier.</summary>
    public async Task<IReadOnlyList<MonthlyCases>> MonthlyAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct, string? kind = null)
    {
        var (report, departments) = await ComputeAsync(from, to, KpiPeriodKind.Month, kind, withPatrolHours: false, ct).ConfigureAwait(false);
        var cst = TimeSpan.FromHours(8);
        return departments.Select(d => new MonthlyCases(d.Code, d.Colour, report.Rows
            .Where(r => r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == d.Code)
            .OrderBy(r => r.PeriodStart)
            .Select(r => (DateOnly.FromDateTime(r.PeriodStart.ToOffset(cst).DateTime), r.Cases, r.CasesLastYear)).ToArray())).ToArray();
    }

    private async Task<(KpiReport Report, IReadOnlyList<Department> Departments)> ComputeAsync(DateTimeOffset from, DateTimeOffset to,
        KpiPeriodKind period, string? kind, bool withPatrolHours, CancellationToken ct)
    {
        // Read before the data it describes: a change after this read changes the next marker, so it is never kept as current.
        var marker = withPatrolHours ? await source.PatrolInputMarkerAsync(from, to, ct).ConfigureAwait(false) : "";
        var departments = await departmentRepository.GetAllAsync(ct).ConfigureAwait(false);
        var input = await source.LoadKpiContextAsync(from, to, withPatrolHours: false, ct).ConfigureAwait(false);
        if (withPatrolHours) input = input with { PatrolHours = await PatrolHoursAsync(from, to, marker, input.Jurisdictions, ct).ConfigureAwait(false) };
        var options = new KpiOptions
        {
            From = from, To = to, Period = period, CentreKey = Centre,
            Kinds = await kinds.FilterAsync(kind, ct).ConfigureAwait(false),
        };
        // The CLI's path: the window's incidents streamed into Core's KpiAccumulator (no list of them in the server).
        var (reports, _) = await source.ComputeKpisAsync([(input, options)], ct).ConfigureAwait(false);
        return (reports[0], departments);
    }

    /// <summary>
    /// Patrol hours of the window from its GPS fixes — the same for every incident kind and period, so kept per window while
    /// <paramref name="marker"/> (fixes and jurisdictions of the window) is unchanged: changing the kind or going back to a
    /// window does not read the fixes again.
    /// </summary>
    private async Task<IReadOnlyList<PatrolHours>> PatrolHoursAsync(DateTimeOffset from, DateTimeOffset to, string marker,
        IReadOnlyList<Jurisdiction> jurisdictions, CancellationToken ct)
    {
        if (_patrolHours.TryGetValue((from, to), out var kept) && kept.Marker == marker) return kept.Hours;
        var hours = await source.LoadPatrolHoursAsync(from, to, jurisdictions, ct).ConfigureAwait(false);
        Interlocked.Increment(ref _patrolHoursComputed);
        if (_patrolHours.Count >= PatrolHoursKept) _patrolHours.Clear();
        _patrolHours[(from, to)] = (marker, hours);
        return hours;
    }

    /// <summary>The KPI table as CSV (UTF-8 with BOM, for spreadsheet programs).</summary>
    /// <remarks>The window is written in China time (UTC+8, as the UI shows it) and the incident kind it counts ("all" when none).</remarks>
    public static byte[] Csv(IReadOnlyList<KpiTableRow> rows, DateTimeOffset from, DateTimeOffset to, string? kind = null)
    {
        static string F(double? v) => v?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";
        static string T(DateTimeOffset t) => MapControl.Core.Hotspots.ChinaTime.ToChinaTime(t).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var kindText = string.IsNullOrWhiteSpace(kind) ? "all" : kind;
        var sb = new StringBuilder("department_code,department_name,from,to,kind,cases,cases_last_year,yoy_percent,timely_rate,oil_recovered_t,reclaimed_area_m2,key_wells,key_wells_watched,patrol_hours,cases_per_patrol_hour,cases_without_discovery_time\n");
        foreach (var r in rows)
            sb.AppendLine(string.Join(',', r.DepartmentCode == Centre ? "ALL" : r.DepartmentCode, Quote(r.DepartmentName), T(from), T(to), Quote(kindText),
                r.Cases, r.CasesLastYear, F(r.YoyPercent), F(r.TimelyRate), F(r.OilRecoveredT), F(r.ReclaimedAreaM2), r.KeyWells, r.KeyWellsWatched,
                F(r.PatrolHours), F(r.CasesPerPatrolHour), r.CasesWithoutDiscoveryTime));
        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray();
    }

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
