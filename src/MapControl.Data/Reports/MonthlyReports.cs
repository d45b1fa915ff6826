using System.Diagnostics;
using MapControl.Core.Hotspots;
using MapControl.Data.PostGis.Repositories;
using Npgsql;

namespace MapControl.Data.Reports;

/// <summary>A made report.</summary>
/// <param name="Took">Wall time from the first read to the last byte of the PDF (a batch: its share of the month's analyses plus its layout).</param>
/// <param name="Steps">Time of each step: the month's reads and analyses (shared in a batch), then the layout.</param>
public sealed record MonthlyReportFile(MonthlyReportRequest Request, byte[] Pdf, int Pages, TimeSpan Took, DateTimeOffset GeneratedAt,
    IReadOnlyList<(string Step, TimeSpan Took)> Steps);

/// <summary>
/// The one way to make monthly reports — <c>mapcontrol report</c>, <c>GET /api/reports/monthly</c> and the server's monthly run all
/// call this: <see cref="MonthlyReportMonth"/> reads and computes the month, <see cref="MonthlyReportPdf"/> lays it out.
/// </summary>
public sealed class MonthlyReports(NpgsqlDataSource dataSource, string? tilesPath, TimeProvider clock)
{
    /// <summary>Reports over the data source with the offline tiles found by <see cref="ReportBasemap.FindTiles"/>, on the system clock.</summary>
    public MonthlyReports(NpgsqlDataSource dataSource) : this(dataSource, ReportBasemap.FindTiles(), TimeProvider.System) { }

    /// <summary>Makes one report.</summary>
    /// <exception cref="ReportRequestException">Unknown department.</exception>
    public async Task<MonthlyReportFile> BuildAsync(MonthlyReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var watch = Stopwatch.StartNew();
        if (request.DepartmentCode is { } code
            && (await new DepartmentRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false)).All(d => d.Code != code))
            throw new ReportRequestException($"unknown department \"{code}\"");
        var month = await MonthlyReportMonth.LoadAsync(dataSource, request.Month, tilesPath, cancellationToken).ConfigureAwait(false);
        return Render(month, request.DepartmentCode, request.Language, watch);
    }

    /// <summary>Makes the centre's report and every department's for a month (the month's analyses computed once).</summary>
    public async Task<IReadOnlyList<MonthlyReportFile>> BuildAllAsync(DateOnly month, string language, IReadOnlySet<string>? skip = null,
        CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var data = await MonthlyReportMonth.LoadAsync(dataSource, month, tilesPath, cancellationToken).ConfigureAwait(false);
        var shared = watch.Elapsed;
        var scopes = new string?[] { null }.Concat(data.Departments.Select(d => d.Code))
            .Where(s => skip is null || !skip.Contains(s ?? "")).ToList();
        var files = new List<MonthlyReportFile>();
        foreach (var scope in scopes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var one = Stopwatch.StartNew();
            var file = Render(data, scope, language, one);
            files.Add(file with { Took = file.Took + shared / Math.Max(1, scopes.Count) });
        }
        return files;
    }

    private MonthlyReportFile Render(MonthlyReportMonth month, string? departmentCode, string language, Stopwatch watch)
    {
        var generatedAt = clock.GetUtcNow();
        var layout = Stopwatch.StartNew();
        var data = month.For(departmentCode, language, generatedAt);
        var pdf = MonthlyReportPdf.Render(data);
        return new MonthlyReportFile(data.Request, pdf, CountPages(pdf), watch.Elapsed, generatedAt, [.. month.Timings, ("layout", layout.Elapsed)]);
    }

    /// <summary>Pages of a PDF this class wrote (its page objects).</summary>
    public static int CountPages(byte[] pdf)
    {
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        var count = 0;
        for (var i = text.IndexOf("/Type /Page", StringComparison.Ordinal); i >= 0; i = text.IndexOf("/Type /Page", i + 1, StringComparison.Ordinal))
            if (i + 11 >= text.Length || text[i + 11] != 's') count++;
        return count;
    }

    /// <summary>The month a run on <paramref name="now"/> reports on: the calendar month (China time) before the one holding now.</summary>
    public static DateOnly PreviousMonth(DateTimeOffset now)
    {
        var today = ChinaTime.DateOf(now);
        return new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
    }
}
