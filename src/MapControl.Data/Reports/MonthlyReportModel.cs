using System.Globalization;
using MapControl.Core.Coverage;
using MapControl.Core.Hotspots;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Reports;

/// <summary>Languages of the report: Chinese (default) and English.</summary>
public static class ReportLanguage
{
    /// <summary>Simplified Chinese, the default.</summary>
    public const string Chinese = "zh-CN";

    /// <summary>English.</summary>
    public const string English = "en";

    /// <summary>"zh-CN" or "en" for a requested language (null/empty: Chinese; "zh", "zh-cn", "zh-Hans": Chinese; "en*": English).</summary>
    /// <exception cref="ArgumentException">Any other language.</exception>
    public static string Normalise(string? language) => language?.Trim().ToLowerInvariant() switch
    {
        null or "" or "zh" or "zh-cn" or "zh-hans" or "zh-hans-cn" => Chinese,
        "en" or "en-us" or "en-gb" => English,
        var other => throw new ArgumentException($"unknown report language \"{other}\" (zh-CN or en)", nameof(language)),
    };
}

/// <summary>One monthly report to make: a calendar month (China Standard Time), a department (null: the centre) and a language.</summary>
/// <param name="Month">First day of the month.</param>
/// <param name="DepartmentCode">Department code; null for the centre (all departments).</param>
/// <param name="Language"><see cref="ReportLanguage.Chinese"/> or <see cref="ReportLanguage.English"/>.</param>
public sealed record MonthlyReportRequest(DateOnly Month, string? DepartmentCode, string Language = ReportLanguage.Chinese)
{
    /// <summary>Start of the month, 00:00 China Standard Time.</summary>
    public DateTimeOffset From => ChinaTime.StartOf(Month);

    /// <summary>Start of the next month (exclusive end).</summary>
    public DateTimeOffset To => ChinaTime.StartOf(Month.AddMonths(1));

    /// <summary>"2026-10".</summary>
    public string MonthText => Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>File name of the PDF, e.g. <c>mapcontrol-report-2026-10-HK-zh-CN.pdf</c> (centre: <c>ALL</c>).</summary>
    public string FileName => $"mapcontrol-report-{MonthText}-{DepartmentCode ?? "ALL"}-{Language}.pdf";

    /// <summary>Parses "2026-10" (also "2026-10-01") into the first day of the month.</summary>
    /// <exception cref="FormatException">Not a month.</exception>
    public static DateOnly ParseMonth(string text)
    {
        var t = (text ?? "").Trim();
        if (DateOnly.TryParseExact(t, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            || DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out month))
            return new DateOnly(month.Year, month.Month, 1);
        throw new FormatException($"\"{text}\" is not a month (yyyy-MM, e.g. 2026-10)");
    }
}

/// <summary>A report that cannot be made as asked (unknown department): the CLI prints it, the API answers 404.</summary>
public sealed class ReportRequestException(string message) : Exception(message);

/// <summary>A case of the month in the report's scope.</summary>
public sealed record ReportIncident(Incident Incident, string? DepartmentCode);

/// <summary>An idle site whose status changed in the month (encroached or reclaimed on a date of the month).</summary>
/// <param name="Event">Encroached or Reclaimed.</param>
/// <param name="On">The date of the change (CST).</param>
/// <param name="AreaM2">Site area in m² (the KPI's metric plane).</param>
public sealed record ReportIdleSite(IdleSite Site, IdleSiteStatus Event, DateOnly On, double AreaM2, string? DepartmentCode);

/// <summary>A key well not visited by any patrol in the month.</summary>
public sealed record ReportKeyWell(string Code, Point Location, string DepartmentCode, string OilZoneCode, bool Watched);

/// <summary>
/// Everything one report shows, already computed: the KPI rows (<see cref="KpiCalculator"/> through the loaders of
/// <c>mapcontrol kpi</c>), the month's cases, Gi* cells, patrol coverage, gaps and overlaps and the basemap. Geometries in lon/lat.
/// </summary>
public sealed record MonthlyReportData
{
    /// <summary>What was asked.</summary>
    public required MonthlyReportRequest Request { get; init; }

    /// <summary>All departments (code, name, colour), by code.</summary>
    public required IReadOnlyList<Department> Departments { get; init; }

    /// <summary>The scope's KPI row for the month (period "whole" — <c>mapcontrol kpi --from M --to M+1</c>).</summary>
    public required KpiRow Kpi { get; init; }

    /// <summary>The scope's KPI row for the same month a year earlier (<c>mapcontrol kpi</c> over that month).</summary>
    public required KpiRow KpiLastYear { get; init; }

    /// <summary>The month's rows of the centre (first) and every department, as the title page's table shows them.</summary>
    public required IReadOnlyList<KpiRow> AllRows { get; init; }

    /// <summary>Thirteen monthly rows of the scope ending with the report month (cases and cases a year earlier).</summary>
    public required IReadOnlyList<KpiRow> Months { get; init; }

    /// <summary>The month's cases in the scope (attribution as in the KPIs).</summary>
    public required IReadOnlyList<ReportIncident> Incidents { get; init; }

    /// <summary>Gi* over the month's cases of the scope (analyst defaults: <see cref="HotSpotOptions.DefaultCellSizeM"/> cells, one ring, FDR q = 0.05).</summary>
    public required HotSpotReport HotSpots { get; init; }

    /// <summary>Patrol coverage of the month over the current jurisdictions (every department; the scope's rows are picked when drawn).</summary>
    public required PatrolCoverageReport Patrol { get; init; }

    /// <summary>The scope's alert KPIs of the month, or null when it had no alerts.</summary>
    public Alerts.AlertKpi? Alerts { get; init; }

    /// <summary>GPS fixes read for the month.</summary>
    public required long GpsFixes { get; init; }

    /// <summary>Gaps and overlaps of the current jurisdictions over the oil zones, incidents of the 12 months before the month's end.</summary>
    public required CoverageReport Coverage { get; init; }

    /// <summary>Jurisdictions in force at the end of the month, department code → geometry.</summary>
    public required IReadOnlyDictionary<string, Geometry> Jurisdictions { get; init; }

    /// <summary>Oil zones (code, name, geometry) for the centre map.</summary>
    public required IReadOnlyList<OilZone> OilZones { get; init; }

    /// <summary>Key wells of the scope not visited in the month.</summary>
    public required IReadOnlyList<ReportKeyWell> KeyWellsNotPatrolled { get; init; }

    /// <summary>Key wells of the scope (all departments for the centre).</summary>
    public required int KeyWellsInScope { get; init; }

    /// <summary>Idle sites of the scope encroached or reclaimed in the month.</summary>
    public required IReadOnlyList<ReportIdleSite> IdleSites { get; init; }

    /// <summary>Basemap features (from the offline tiles when found, else the database).</summary>
    public required IReadOnlyList<BasemapFeature> Basemap { get; init; }

    /// <summary>Where the basemap came from ("tiles z=…" or "database").</summary>
    public required string BasemapSource { get; init; }

    /// <summary>When the report was made.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>True for the centre's report.</summary>
    public bool IsCentre => Request.DepartmentCode is null;

    /// <summary>The department of the report, null for the centre.</summary>
    public Department? Department => Request.DepartmentCode is { } c ? Departments.FirstOrDefault(d => d.Code == c) : null;

    /// <summary>Gaps that touch the scope (all for the centre), highest risk first, with their rank among all gaps.</summary>
    public IReadOnlyList<(int Rank, CoverageGap Gap)> Gaps =>
        Coverage.Gaps.Select((g, i) => (Rank: i + 1, Gap: g)).Where(x => IsCentre || x.Gap.Departments.Contains(Request.DepartmentCode!)).ToList();

    /// <summary>Overlaps involving the scope (all for the centre), largest first.</summary>
    public IReadOnlyList<CoverageOverlap> Overlaps =>
        Coverage.Overlaps.Where(o => IsCentre || o.Departments.Contains(Request.DepartmentCode!)).ToList();

    /// <summary>Patrol coverage rows of the scope (one department, or all for the centre).</summary>
    public IReadOnlyList<DepartmentCoverage> PatrolRows =>
        Patrol.Departments.Where(d => IsCentre || d.DepartmentCode == Request.DepartmentCode).ToList();
}
