using System.Globalization;
using MapControl.Core.Hotspots;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Reports;

namespace MapControl.Web.Apis;

/// <summary>Options of the monthly run (MapControl:Reports).</summary>
public sealed record MonthlyReportOptions
{
    /// <summary>False: no monthly run (reports are still made on request).</summary>
    public bool Schedule { get; init; } = true;

    /// <summary>Languages made by the run.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [ReportLanguage.Chinese];

    /// <summary>Wait after start before catching up on a missed run (the previous month's reports that are not kept yet).</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Time after midnight (China time) of the 1st at which the run starts.</summary>
    public TimeSpan RunAt { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Makes and keeps every department's and the centre's report of the previous month on the 1st of each month (China time), and after
/// a start catches up on a run that was missed (only the reports not kept yet). One failure is logged and the next run goes on.
/// </summary>
public sealed class MonthlyReportScheduler(MonthlyReports reports, MonthlyReportRepository repository, MonthlyReportOptions options,
    TimeProvider clock, ILogger<MonthlyReportScheduler> log) : BackgroundService
{
    /// <summary>When the run after <paramref name="now"/> starts: the next 1st of a month at <see cref="MonthlyReportOptions.RunAt"/> China time.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeSpan runAt)
    {
        var today = ChinaTime.DateOf(now);
        var first = new DateOnly(today.Year, today.Month, 1);
        var at = ChinaTime.StartOf(first) + runAt;
        return at > now ? at : ChinaTime.StartOf(first.AddMonths(1)) + runAt;
    }

    /// <summary>Makes and keeps the reports of the month before <paramref name="now"/> that are not kept yet; returns how many were made.</summary>
    public async Task<IReadOnlyList<MonthlyReportFile>> RunOnceAsync(DateTimeOffset now, CancellationToken ct)
    {
        var month = MonthlyReports.PreviousMonth(now);
        var made = new List<MonthlyReportFile>();
        foreach (var language in options.Languages.Select(ReportLanguage.Normalise).Distinct())
        {
            var kept = await repository.ScopesOfAsync(month, language, ct).ConfigureAwait(false);
            var files = await reports.BuildAllAsync(month, language, kept, ct).ConfigureAwait(false);
            foreach (var file in files)
            {
                await repository.SaveAsync(month, file.Request.DepartmentCode, language, file.Pdf, "scheduler", file.Took, file.Pages, ct).ConfigureAwait(false);
                made.Add(file);
            }
        }
        if (made.Count > 0)
            log.LogInformation("Monthly reports of {Month}: {Count} made, {Seconds} s each on average", month.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                made.Count, Math.Round(made.Average(f => f.Took.TotalSeconds), 2));
        return made;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Schedule) return;
        try
        {
            await Task.Delay(options.StartDelay, clock, stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunOnceAsync(clock.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Monthly reports not made; the next run tries again");
                }
                var wait = NextRun(clock.GetUtcNow(), options.RunAt) - clock.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMinutes(1), clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
