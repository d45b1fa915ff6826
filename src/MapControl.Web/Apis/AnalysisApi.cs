using MapControl.Core.Hotspots;
using MapControl.Web.Ogc;
using MapControl.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace MapControl.Web.Apis;

/// <summary>Parameters of an analysis request.</summary>
public sealed record AnalysisRequest([FromQuery] DateTimeOffset From, [FromQuery] DateTimeOffset To,
    [FromQuery] string? Department, [FromQuery] string? Kind, [FromQuery] double? CellM)
{
    /// <summary>The earliest instant a window may start (earlier instants are not dates of this data; year 1 broke the year-over-year).</summary>
    public static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The latest instant a window may end ("all time" windows such as 2000–2100 are fine).</summary>
    public static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A 400 problem when the window or a parameter is out of range (never a 500 further down), else null.</summary>
    public IResult? Problem()
    {
        if (From < Earliest) return Problems.BadParameter("from", $"expected an instant from {Earliest:yyyy-MM-dd} on");
        if (To <= From) return Problems.BadParameter("to", "expected an instant after from");
        if (To > Latest) return Problems.BadParameter("to", $"expected an instant before {Latest:yyyy-MM-dd}");
        if (Department is { Length: > 64 }) return Problems.BadParameter("department", "at most 64 characters");
        if (Kind is { Length: > 100 }) return Problems.BadParameter("kind", "at most 100 characters");
        if (CellM is { } c && !double.IsFinite(c)) return Problems.BadParameter("cellM", "expected a number of metres");
        return null;
    }

    /// <summary>As a query of the service; the cell size is kept within 100 m … 20 km.</summary>
    public AnalysisQuery ToQuery() => new(From, To, string.IsNullOrWhiteSpace(Department) ? null : Department,
        string.IsNullOrWhiteSpace(Kind) ? null : Kind, Math.Clamp(CellM ?? HotSpotOptions.DefaultCellSizeM, 100, 20_000));
}

/// <summary><c>/api/analysis</c>: hot spots, kernel density points, year-over-year change and CSV exports (Core code, as in the CLI).</summary>
public static class AnalysisApi
{
    /// <summary>Maps the analysis endpoints.</summary>
    public static IEndpointRouteBuilder MapAnalysisApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/analysis").WithTags("Analysis").RequireAuthorization(AuthRegistration.SignedIn).RequireRfc3339Times()
            .AddEndpointFilter(async (context, next) =>
                context.Arguments.OfType<AnalysisRequest>().FirstOrDefault()?.Problem() ?? await next(context).ConfigureAwait(false));
        api.MapGet("/hotspots", async ([AsParameters] AnalysisRequest r, AnalysisService s, CancellationToken ct) =>
                LayersApi.GeoJson((await s.HotSpotsAsync(r.ToQuery(), ct)).Json))
            .WithName("GetHotSpots").WithSummary("Getis-Ord Gi* hexagons with Benjamini–Hochberg significance.");
        api.MapGet("/hotspots.csv", async ([AsParameters] AnalysisRequest r, AnalysisService s, CancellationToken ct) =>
                Results.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(
                    AnalysisService.HotSpotsCsv((await s.HotSpotsAsync(r.ToQuery(), ct)).Report))).ToArray(), "text/csv; charset=utf-8", "hotspots.csv"))
            .WithName("GetHotSpotsCsv").WithSummary("The hot-spot cells as CSV.");
        api.MapGet("/heat", async ([AsParameters] AnalysisRequest r, AnalysisService s, CancellationToken ct) =>
                TypedResults.Ok(await s.HeatAsync(r.ToQuery(), ct)))
            .WithName("GetHeat").WithSummary("[lat, lon, weight] of incidents for the kernel-density view.");
        api.MapGet("/incidents", async ([AsParameters] AnalysisRequest r, AnalysisService s, CancellationToken ct) =>
                LayersApi.GeoJson(await s.IncidentsJson(r.ToQuery(), ct)))
            .WithName("GetAnalysisIncidents").WithSummary("Incidents of the window (kind, department, time filters) as GeoJSON points.");
        api.MapGet("/yoy", async ([AsParameters] AnalysisRequest r, AnalysisService s, CancellationToken ct) =>
                LayersApi.GeoJson(await s.YearOverYearAsync(r.ToQuery(), ct)))
            .WithName("GetYearOverYear").WithSummary("Incidents per hexagon now and a year earlier.");
        api.MapGet("/kpi", async ([AsParameters] AnalysisRequest r, KpiService s, CancellationToken ct) =>
                TypedResults.Ok(await s.RowsAsync(r.From, r.To, ct, r.ToQuery().Kind)))
            .WithName("GetKpi").WithSummary("KPIs per department (first row: the centre) for the window.");
        api.MapGet("/kpi.csv", async ([AsParameters] AnalysisRequest r, KpiService s, CancellationToken ct) =>
                Results.File(KpiService.Csv(await s.RowsAsync(r.From, r.To, ct, r.ToQuery().Kind), r.From, r.To, r.ToQuery().Kind), "text/csv; charset=utf-8", "kpi.csv"))
            .WithName("GetKpiCsv").WithSummary("The KPI table as CSV.");
        return app;
    }
}
