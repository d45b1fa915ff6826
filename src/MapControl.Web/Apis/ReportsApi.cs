using System.Security.Claims;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Reports;
using MapControl.Web.Auth;

namespace MapControl.Web.Apis;

/// <summary>
/// Monthly reports at the server: who may have which, stored ones served, missing ones made (the one <see cref="MonthlyReports"/> call
/// of the CLI) and kept. A user of a department gets only that department's reports; a centre user any department's and the centre's.
/// Only finished months are kept: a report of the running month is made on each request and never stored, so the run on the 1st
/// still makes that month's report from the whole month.
/// </summary>
public sealed class ReportService(MonthlyReports reports, MonthlyReportRepository repository, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The department a user may see (null: a centre user, any); with <paramref name="asked"/> the one asked for.</summary>
    /// <returns>(allowed, scope): the scope is the department code, null for the centre.</returns>
    public static (bool Allowed, string? Scope) Scope(User? user, string? asked)
    {
        if (user is null) return (false, null);
        var code = string.IsNullOrWhiteSpace(asked) || asked is "ALL" or "all" ? null : asked.Trim();
        if (user.DepartmentCode is not { } own) return (true, code);
        // A department user: no department asked means their own; any other (the centre included) is refused.
        if (string.IsNullOrWhiteSpace(asked)) return (true, own);
        return (code == own, code);
    }

    /// <summary>True when the month has ended (China time) at <paramref name="now"/>.</summary>
    public static bool IsFinished(DateOnly month, DateTimeOffset now) => ChinaTime.StartOf(month.AddMonths(1)) <= now;

    /// <summary>The stored report, or a new one (kept when its month has ended); with <paramref name="regenerate"/> always a new one.</summary>
    public async Task<(byte[] Pdf, string FileName, bool Stored)> GetAsync(MonthlyReportRequest request, string userName, bool regenerate,
        CancellationToken ct)
    {
        if (!regenerate && await repository.GetAsync(request.Month, request.DepartmentCode, request.Language, ct).ConfigureAwait(false) is { } kept)
            return (kept.Pdf, request.FileName, true);
        // One report is made at a time (a few seconds of CPU each): requests queue instead of starving the map; a request that
        // waited for the same report gets the one just kept.
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!regenerate && await repository.GetAsync(request.Month, request.DepartmentCode, request.Language, ct).ConfigureAwait(false) is { } done)
                return (done.Pdf, request.FileName, true);
            var file = await reports.BuildAsync(request, ct).ConfigureAwait(false);
            var store = IsFinished(request.Month, clock.GetUtcNow());
            if (store)
                await repository.SaveAsync(request.Month, request.DepartmentCode, request.Language, file.Pdf, userName, file.Took, file.Pages, ct)
                    .ConfigureAwait(false);
            return (file.Pdf, request.FileName, store);
        }
        finally { _gate.Release(); }
    }
}

/// <summary><c>/api/reports</c>: the monthly report as PDF, and the list of stored reports.</summary>
public static class ReportsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/reports").WithTags("Reports").RequireAuthorization(AuthRegistration.SignedIn);
        api.MapGet("/monthly", (string? month, string? department, string? lang, bool? regenerate, ClaimsPrincipal principal, ReportService s, CancellationToken ct) =>
                MonthlyAsync(month, department, lang, regenerate == true, principal, s, ct))
            .WithName("GetMonthlyReport").WithSummary("The monthly report (A4 PDF) of a department or the centre; a stored one when kept, else made now.");
        api.MapPost("/monthly", (string? month, string? department, string? lang, ClaimsPrincipal principal, ReportService s, CancellationToken ct) =>
                MonthlyAsync(month, department, lang, true, principal, s, ct))
            .WithName("RegenerateMonthlyReport").WithSummary("Makes the monthly report anew (and keeps it when the month has ended).");
        api.MapGet("/", async (ClaimsPrincipal principal, MonthlyReportRepository repository, CancellationToken ct) =>
            {
                var user = UserClaims.ToUser(principal);
                return TypedResults.Ok(await repository.ListAsync(user?.DepartmentCode, 500, ct));
            })
            .WithName("ListMonthlyReports").WithSummary("Stored monthly reports (a department user: their department's only).");
        return app;
    }

    private static async Task<IResult> MonthlyAsync(string? month, string? department, string? lang, bool regenerate, ClaimsPrincipal principal,
        ReportService s, CancellationToken ct)
    {
        DateOnly first;
        string language;
        try
        {
            first = MonthlyReportRequest.ParseMonth(month ?? "");
            language = ReportLanguage.Normalise(lang);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return TypedResults.Problem(e.Message.Split(" (Parameter", 2)[0], statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }
        var user = UserClaims.ToUser(principal);
        var (allowed, scope) = ReportService.Scope(user, department);
        if (!allowed)
            return TypedResults.Problem($"A user of department {user?.DepartmentCode} gets that department's reports only.",
                statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");
        try
        {
            var (pdf, name, _) = await s.GetAsync(new MonthlyReportRequest(first, scope, language), user!.UserName, regenerate, ct);
            return TypedResults.File(pdf, "application/pdf", name);
        }
        catch (ReportRequestException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }
    }
}
