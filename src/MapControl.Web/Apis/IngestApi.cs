using System.Text;
using System.Text.Json;
using MapControl.Web.Ingest;
using MapControl.Web.Ogc;

namespace MapControl.Web.Apis;

/// <summary>GPS ingest that real trackers speak: the OsmAnd protocol of Traccar Client and batch NDJSON; the device key authenticates.</summary>
internal static class IngestApi
{
    /// <summary>Most lines accepted in one NDJSON request.</summary>
    public const int MaxNdjsonLines = 200_000;

    /// <summary>Registers the ingest service.</summary>
    public static WebApplicationBuilder AddGpsIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MapControl.Data.PostGis.Repositories.PatrolUnitRepository>();
        builder.Services.AddSingleton<MapControl.Data.PostGis.Repositories.GpsPointRepository>();
        builder.Services.AddSingleton<GpsIngestService>();
        return builder;
    }

    /// <summary>Maps GET/POST /ingest/osmand and POST /ingest/ndjson.</summary>
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ingest").WithTags("GPS ingest").AllowAnonymous().DisableAntiforgery();
        group.MapGet("/osmand", OsmAnd).WithName("IngestOsmAndGet").WithSummary("One OsmAnd report in the query string (Traccar Client).");
        group.MapPost("/osmand", OsmAnd).WithName("IngestOsmAndPost").WithSummary("One OsmAnd report: query, form fields or the Traccar Client 7+ JSON body.");
        group.MapPost("/ndjson", Ndjson).WithName("IngestNdjson").WithSummary("Many reports, one JSON object per line.");
        return app;
    }

    private static bool TryCoords(HttpRequest request, out IncomingCoordinates coords, out IResult? problem)
    {
        problem = null;
        coords = IncomingCoordinates.Wgs84;
        var v = request.Query["coords"].ToString();
        if (v.Length == 0 || v.Equals("wgs84", StringComparison.OrdinalIgnoreCase)) return true;
        if (v.Equals("gcj02", StringComparison.OrdinalIgnoreCase)) { coords = IncomingCoordinates.Gcj02; return true; }
        problem = Problems.BadParameter("coords", "expected wgs84 or gcj02");
        return false;
    }

    private static async Task<IResult> OsmAnd(HttpContext http, GpsIngestService ingest, TimeProvider clock, IConfiguration configuration,
        CancellationToken ct)
    {
        if (!TryCoords(http.Request, out var coords, out var problem)) return problem!;
        var limits = GpsLimits.From(configuration, clock.GetUtcNow());
        (GpsReport? Report, string? Error) parsed;
        var request = http.Request;
        if (HttpMethods.IsPost(request.Method) && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct).ConfigureAwait(false);
                parsed = GpsReportParser.FromTraccarJson(doc.RootElement, coords, limits);
            }
            catch (JsonException e) { parsed = (null, "body is not JSON: " + e.Message.Split('.')[0]); }
        }
        else
        {
            IFormCollection? form = request.HasFormContentType ? await request.ReadFormAsync(ct).ConfigureAwait(false) : null;
            parsed = GpsReportParser.FromOsmAnd(name =>
            {
                var q = request.Query[name];
                if (q.Count > 0) return q.ToString();
                return form is not null && form.TryGetValue(name, out var f) ? f.ToString() : null;
            }, coords, limits);
        }
        if (parsed.Report is null) return Problems.BadRequest("Report refused: " + parsed.Error);
        var result = await ingest.EnqueueAsync(parsed.Report, ct).ConfigureAwait(false);
        if (result is null) return Problems.BadRequest($"Report refused: unknown device '{parsed.Report.DeviceKey}'");
        return TypedResults.Ok();
    }

    private static async Task<IResult> Ndjson(HttpContext http, GpsIngestService ingest, TimeProvider clock, IConfiguration configuration,
        CancellationToken ct)
    {
        if (!TryCoords(http.Request, out var coords, out var problem)) return problem!;
        var backfillText = http.Request.Query["backfill"].ToString();
        if (backfillText.Length > 0 && !bool.TryParse(backfillText, out _)) return Problems.BadParameter("backfill", "expected true or false");
        var limits = GpsLimits.From(configuration, clock.GetUtcNow(), backfill: backfillText.Length > 0 && bool.Parse(backfillText));
        var reports = new List<(int, GpsReport)>();
        var rejections = new List<GpsRejection>();
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var lineNo = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (reports.Count + rejections.Count >= MaxNdjsonLines)
                return Problems.BadRequest($"More than {MaxNdjsonLines} lines in one request; split the batch.");
            var (report, error) = GpsReportParser.FromNdjsonLine(line, coords, limits);
            if (report is null) rejections.Add(new GpsRejection(lineNo, error!));
            else reports.Add((lineNo, report));
        }
        var result = await ingest.StoreAsync(reports, rejections, ct).ConfigureAwait(false);
        return TypedResults.Ok(result);
    }
}
