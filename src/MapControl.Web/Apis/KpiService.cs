using System.Globalization;
using System.Text;
using MapControl.Core.Model;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>KPIs of one department (or the centre, code "") for a window, with the same window a year earlier.</summary>
/// <param name="Cases">Incidents that occurred in the window.</param>
/// <param name="CasesLastYear">Incidents in the same window a year earlier.</param>
/// <param name="YoyPercent">Change against last year in percent; null when last year had none.</param>
/// <param name="TimelyRate">Share of cases discovered by own forces (patrol, video, inspection) within the threshold; null without cases.</param>
/// <param name="OilRecoveredT">Oil recovered, tonnes.</param>
/// <param name="KeyWells">Key wells in the department's jurisdiction.</param>
/// <param name="KeyWellsWatched">Of those, with a camera.</param>
public sealed record KpiRow(string DepartmentCode, string DepartmentName, string Colour, int Cases, int CasesLastYear, double? YoyPercent,
    double? TimelyRate, double OilRecoveredT, int KeyWells, int KeyWellsWatched);

/// <summary>Cases per month (China time) for one department, this window's months and the same months a year earlier.</summary>
public sealed record MonthlyCases(string DepartmentCode, string Colour, IReadOnlyList<(DateOnly Month, int Cases, int CasesLastYear)> Months);

/// <summary>KPIs (DESIGN §4) per department for a window: cases and YoY, timely discovery rate, oil recovered, key wells watched.</summary>
public sealed class KpiService(DomainReader reader, LayerQueries layers, NpgsqlDataSource dataSource)
{
    /// <summary>How soon after occurrence own forces must discover a case for it to count as timely.</summary>
    public static readonly TimeSpan TimelyWithin = TimeSpan.FromHours(24);

    /// <summary>One row per department and a centre total (code "") first.</summary>
    public async Task<IReadOnlyList<KpiRow>> RowsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var departments = await layers.DepartmentsAsync(ct).ConfigureAwait(false);
        var now = await reader.IncidentsAsync(from, to, null, ct).ConfigureAwait(false);
        var before = await reader.IncidentsAsync(from.AddYears(-1), to.AddYears(-1), null, ct).ConfigureAwait(false);
        var keyWells = await KeyWellsAsync(ct).ConfigureAwait(false);
        KpiRow Row(string code, string name, string colour, Func<string?, bool> mine)
        {
            var cases = now.Where(i => mine(i.Department)).Select(i => i.Incident).ToArray();
            var last = before.Count(i => mine(i.Department));
            var timely = cases.Count(i => i.DiscoveredByOwnForces && i.DiscoveredAt - i.OccurredAt <= TimelyWithin);
            var kw = code == "" ? keyWells.Values.Aggregate((0, 0), (a, b) => (a.Item1 + b.Total, a.Item2 + b.Watched)) : keyWells.GetValueOrDefault(code);
            return new KpiRow(code, name, colour, cases.Length, last,
                last == 0 ? null : Math.Round(100.0 * (cases.Length - last) / last, 1),
                cases.Length == 0 ? null : Math.Round((double)timely / cases.Length, 4),
                Math.Round(cases.Sum(i => i.OilRecoveredT), 2), kw.Item1, kw.Item2);
        }
        var rows = new List<KpiRow> { Row("", "", "#12304a", _ => true) };
        rows.AddRange(departments.Select(d => Row(d.Code, d.Name, d.Colour, c => c == d.Code)));
        return rows;
    }

    /// <summary>Cases per month of the window (at most 36 months) per department, with last year's.</summary>
    public async Task<IReadOnlyList<MonthlyCases>> MonthlyAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var departments = await layers.DepartmentsAsync(ct).ConfigureAwait(false);
        var now = await reader.IncidentsAsync(from, to, null, ct).ConfigureAwait(false);
        var before = await reader.IncidentsAsync(from.AddYears(-1), to.AddYears(-1), null, ct).ConfigureAwait(false);
        var cst = TimeSpan.FromHours(8);
        static DateOnly MonthOf(DateTimeOffset t, TimeSpan offset) { var l = t.ToOffset(offset); return new DateOnly(l.Year, l.Month, 1); }
        var months = new List<DateOnly>();
        for (var m = MonthOf(from, cst); m < DateOnly.FromDateTime(to.ToOffset(cst).DateTime) && months.Count < 36; m = m.AddMonths(1)) months.Add(m);
        return departments.Select(d => new MonthlyCases(d.Code, d.Colour, months.Select(m => (m,
            now.Count(i => i.Department == d.Code && MonthOf(i.Incident.OccurredAt, cst) == m),
            before.Count(i => i.Department == d.Code && MonthOf(i.Incident.OccurredAt, cst) == m.AddYears(-1)))).ToArray())).ToArray();
    }

    /// <summary>The KPI table as CSV (UTF-8 with BOM, for spreadsheet programs).</summary>
    public static byte[] Csv(IReadOnlyList<KpiRow> rows, DateTimeOffset from, DateTimeOffset to)
    {
        static string F(double? v) => v?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";
        var sb = new StringBuilder("department_code,department_name,from,to,cases,cases_last_year,yoy_percent,timely_rate,oil_recovered_t,key_wells,key_wells_watched\n");
        foreach (var r in rows)
            sb.AppendLine(string.Join(',', r.DepartmentCode == "" ? "ALL" : r.DepartmentCode, Quote(r.DepartmentName), from.ToString("O"), to.ToString("O"),
                r.Cases, r.CasesLastYear, F(r.YoyPercent), F(r.TimelyRate), F(r.OilRecoveredT), r.KeyWells, r.KeyWellsWatched));
        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray();
    }

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private async Task<Dictionary<string, (int Total, int Watched)>> KeyWellsAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, (int, int)>();
        await using var cmd = dataSource.CreateCommand("""
            SELECT j.department_code, count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM camera c WHERE c.well_code = w.code))
            FROM well w JOIN jurisdiction j ON j.valid_to IS NULL AND ST_Intersects(j.geom, w.geom)
            WHERE w.is_key GROUP BY 1
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) result[r.GetString(0)] = ((int)r.GetInt64(1), (int)r.GetInt64(2));
        return result;
    }
}
