using System.Security.Claims;
using System.Text.Json;
using MapControl.Core.Alerts;
using MapControl.Core.Labels;
using MapControl.Core.Model;
using MapControl.Data.Alerts;
using MapControl.Data.Routing;
using MapControl.Web.Auth;
using MapControl.Web.Live;
using MapControl.Web.Ogc;

namespace MapControl.Web.Apis;

/// <summary>
/// The alert loop over HTTP: <c>POST /ingest/events</c> for the video platform (an <c>integration</c> user's token), and
/// <c>/api/alerts</c> for people: list (department users see their department's), ack, dispatch, close, candidates, thresholds.
/// </summary>
internal static class AlertsApi
{
    /// <summary>Policy of the event intake: the integration role (or an admin, for tests by hand), by bearer token.</summary>
    public const string IntegrationPolicy = "integration";

    /// <summary>A camera event as the video platform posts it.</summary>
    public sealed record CameraEvent(string? Camera, string? Kind, string? At, double? Lon, double? Lat);

    /// <summary>Body of dispatch.</summary>
    public sealed record DispatchRequest(string? Unit);

    /// <summary>Body of close: outcome, note; for an incident optionally its kind or an existing incident to link.</summary>
    public sealed record CloseRequest(string? Outcome, string? Note, string? Kind = null, string? Incident = null);

    /// <summary>Body of a threshold change.</summary>
    public sealed record ThresholdRequest(string? Department, string? Name, double? Value);

    /// <summary>An alert as the API gives it.</summary>
    public sealed record AlertView(long Id, string Kind, string Status, DateTimeOffset OpenedAt, DateTimeOffset OccurredAt, string? Department,
        double Lon, double Lat, string? Unit, string? Well, string? Camera, string TextZh, string TextEn, DateTimeOffset? AcknowledgedAt,
        string? AcknowledgedBy, DateTimeOffset? DispatchedAt, string? DispatchedUnit, DateTimeOffset? OnSceneAt, DateTimeOffset? ClosedAt,
        string? Outcome, string? Note, string? Incident)
    {
        public static AlertView Of(Alert a) => new(a.Id, a.KindName, a.StatusName, a.OpenedAt, a.OccurredAt, a.DepartmentCode, a.Lon, a.Lat,
            a.UnitCode, a.WellCode, a.CameraCode, a.TextZh, a.TextEn, a.AcknowledgedAt, a.AcknowledgedBy, a.DispatchedAt, a.DispatchedUnit,
            a.OnSceneAt, a.ClosedAt, a.Outcome is { } o ? DomainNames.ToName(o) : null, a.Note, a.IncidentCode);
    }

    /// <summary>Registers the alert services.</summary>
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AlertRepository>();
        // appsettings Alerts:<name> are read once, checked by Core's bounds: a bad value stops the start with its reason.
        var appsettings = AlertThresholdRepository.ParseAppsettings(builder.Configuration.GetSection("Alerts").GetChildren()
            .Select(c => KeyValuePair.Create(c.Key, c.Value)));
        builder.Services.AddSingleton(sp => new AlertThresholdRepository(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), appsettings));
        builder.Services.AddSingleton<LiveSource>();
        builder.Services.AddSingleton<RoadNetwork>();
        builder.Services.AddSingleton<AlertRoutes>();
        builder.Services.AddSingleton<DeviceCommandRepository>();
        builder.Services.AddSingleton<VideoEventIntake>();
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        builder.Services.AddSingleton<LiveNotifications>();
        if (builder.Configuration.GetValue("Live:Relay", true))
        {
            builder.Services.AddSingleton<LiveRelay>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveRelay>());
        }
        builder.Services.AddHttpClient();
        builder.Services.AddSingleton<AlertWebhook>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertWebhook>());
        if (builder.Configuration.GetValue("Alerts:Enabled", true)) builder.Services.AddHostedService<AlertEngine>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(IntegrationPolicy, p =>
            p.AddAuthenticationSchemes(ApiTokenAuthentication.TokenOrCookieScheme)
                .RequireRole(DomainNames.ToName(Role.Integration), DomainNames.ToName(Role.Admin)));
        return builder;
    }

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ingest/events", PostEvent).WithTags("Alerts").WithName("PostCameraEvent").RequireAuthorization(IntegrationPolicy)
            .DisableAntiforgery().WithSummary("A camera event from the video platform → 202 with the alert id (idempotent on camera, kind, time).");
        var api = app.MapGroup("api/alerts").WithTags("Alerts").RequireAuthorization(AuthRegistration.SignedIn);
        api.MapGet("", List).WithName("ListAlerts").WithSummary("Alerts, open first; ?status=open|acknowledged|dispatched|closed&department=.");
        api.MapGet("/{id:long}", Get).WithName("GetAlert");
        api.MapGet("/{id:long}/candidates", Candidates).WithName("AlertCandidates").WithSummary("Units that could go, nearest first, with ETA.");
        api.MapGet("/{id:long}/route", Route).WithName("AlertRoute")
            .WithSummary("The dispatched unit's way to the alert: along the roads when the network reaches both, else straight.");
        api.MapPost("/{id:long}/ack", Ack).WithName("AckAlert");
        api.MapPost("/{id:long}/dispatch", DispatchUnit).WithName("DispatchAlert");
        api.MapPost("/{id:long}/close", Close).WithName("CloseAlert");
        api.MapGet("/kpi", Kpi).WithName("AlertKpis").WithSummary("Per department: alerts, closed, incidents, false alarms, median response and closure minutes.");
        api.MapGet("/thresholds", GetThresholds).WithName("GetAlertThresholds")
            .WithSummary("The effective thresholds of the centre or ?department= (names → values).");
        app.MapDeviceCommandsApi();
        api.MapPut("/thresholds", PutThreshold).WithName("PutAlertThreshold")
            .WithSummary("Sets a rule threshold for the centre or a department (admins; bounds per threshold; audited) → the scope after.");
        api.MapDelete("/thresholds", ClearThreshold).WithName("ClearAlertThreshold")
            .WithSummary("Clears a stored threshold (?name=&department=) so the scope inherits it again (admins; audited) → the scope after.");
        app.MapGroup("api/admin/alert-thresholds").WithTags("Admin").RequireAuthorization(AuthRegistration.SignedIn)
            .MapGet("", ListThresholds).WithName("ListAlertThresholds")
            .WithSummary("Every threshold of the centre and each department: effective value, where it comes from, stored value, bounds (admins).");
        return app;
    }

    private static async Task<IResult> PostEvent(HttpContext http, VideoEventIntake intake, LiveFeed feed, AlertWebhook webhook, TimeProvider clock,
        ClaimsPrincipal principal, CancellationToken ct)
    {
        CameraEvent? body;
        try { body = await http.Request.ReadFromJsonAsync<CameraEvent>(ct).ConfigureAwait(false); }
        catch (JsonException e) { return Problems.BadRequest("The body is not a JSON camera event: " + e.Message.Split('.')[0]); }
        catch (InvalidOperationException) { return Problems.BadRequest("Expected a JSON body (Content-Type: application/json)."); }
        if (body is null) return Problems.BadRequest("Expected {\"camera\": \"<code>\", \"kind\": \"<text>\", \"at\": \"<ISO 8601>\"}.");
        var kind = body.Kind?.Trim();
        if (string.IsNullOrEmpty(kind) || kind.Length > 100) return Problems.BadParameter("kind", "expected a text of 1..100 characters");
        if (body.Camera is { } cam && (cam.Length is 0 or > 64)) return Problems.BadParameter("camera", "expected a camera code");
        if (body.Camera is null && (body.Lon is not { } lon || body.Lat is not { } lat || !double.IsFinite(lon) || !double.IsFinite(lat)
                                    || lon is < 73 or > 136 || lat is < 3 or > 54))
            return Problems.BadRequest("An event without a camera needs lon and lat (WGS84, within China).");
        // The one parse of instants (RFC 3339): a time without Z or an offset is refused, not guessed (UTC and China time differ by 8 h).
        if (body.At is null || !OgcParameters.TryParseInstant(body.At, out var at))
            return Problems.BadParameter("at", "expected an ISO 8601 time with Z or an offset, e.g. 2026-12-04T20:15:00+08:00");
        var now = clock.GetUtcNow();
        if (at > now.AddMinutes(5) || at < now.AddDays(-30)) return Problems.BadParameter("at", "expected a time within the last 30 days");
        var result = await intake.RecordAsync(body.Camera, kind, at, body.Lon, body.Lat, principal.Identity!.Name!, ct).ConfigureAwait(false);
        if (result.Error is not null) return Problems.BadRequest(result.Error);
        if (result.NewAlert && result.Alert is { } opened)
        {
            feed.Publish(opened);
            webhook.Post(opened);
        }
        return TypedResults.Accepted($"/api/alerts/{result.AlertId}", new { alertId = result.AlertId, newEvent = result.NewEvent, newAlert = result.NewAlert });
    }

    private static async Task<IResult> List(string? status, string? department, ClaimsPrincipal principal, AlertRepository alerts, CancellationToken ct)
    {
        AlertStatus? s = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!DomainNames.TryParse<AlertStatus>(status, out var parsed)) return Problems.BadParameter("status", "expected open, acknowledged, dispatched or closed");
            s = parsed;
        }
        var own = principal.FindFirstValue(UserClaims.Department);
        if (own is not null && department is not null && department != own) return Problems.Forbidden("Department users see their own department's alerts.");
        var list = await alerts.ListAsync(s, own ?? department, AlertRepository.MaxList, ct).ConfigureAwait(false);
        return TypedResults.Ok(list.Select(AlertView.Of));
    }

    private static async Task<IResult> Get(long id, ClaimsPrincipal principal, AlertRepository alerts, CancellationToken ct)
    {
        var alert = await alerts.GetAsync(id, ct).ConfigureAwait(false);
        var own = principal.FindFirstValue(UserClaims.Department);
        return alert is null || (own is not null && alert.DepartmentCode != own) ? Problems.NotFound($"No alert {id}.") : TypedResults.Ok(AlertView.Of(alert));
    }

    private static async Task<IResult> Candidates(long id, int? take, ClaimsPrincipal principal, AlertRepository alerts, RoadNetwork roads, LiveFeed feed,
        TimeProvider clock, CancellationToken ct)
    {
        if (take is < 1 or > Dispatch.MaxTake) return Problems.BadParameter("take", $"expected 1..{Dispatch.MaxTake}");
        var alert = await alerts.GetAsync(id, ct).ConfigureAwait(false);
        var own = principal.FindFirstValue(UserClaims.Department);
        if (alert is null || (own is not null && alert.DepartmentCode != own)) return Problems.NotFound($"No alert {id}.");
        return TypedResults.Ok(await CandidatesAsync(alert, alerts, roads, feed, clock, ct, take ?? 10).ConfigureAwait(false));
    }

    private static async Task<IResult> Route(long id, ClaimsPrincipal principal, AlertRepository alerts, AlertRoutes routes, CancellationToken ct)
    {
        var alert = await alerts.GetAsync(id, ct).ConfigureAwait(false);
        var own = principal.FindFirstValue(UserClaims.Department);
        if (alert is null || (own is not null && alert.DepartmentCode != own)) return Problems.NotFound($"No alert {id}.");
        if (await routes.GetAsync(alert, ct).ConfigureAwait(false) is not { } path)
            return Problems.NotFound($"Alert {id} has no dispatched unit with a known position.");
        return TypedResults.Ok(new
        {
            unit = alert.DispatchedUnit, method = path.Method, distanceM = Math.Round(path.Metres),
            geometry = new { type = "LineString", coordinates = path.Points.Select(p => new[] { p.Lon, p.Lat }) },
        });
    }

    /// <summary>
    /// The dispatch candidates of an alert (docs/DEFINITIONS.md "Dispatch" and "Road distance"): the available units nearest by
    /// straight line (at most <see cref="Dispatch.MaxRoadCandidates"/>), ranked by road distance where the network reaches both.
    /// </summary>
    public static async Task<IReadOnlyList<DispatchCandidate>> CandidatesAsync(Alert alert, AlertRepository alerts, RoadNetwork roads, LiveFeed feed,
        TimeProvider clock, CancellationToken ct, int take = 10)
    {
        var busy = (await alerts.ListAsync(AlertStatus.Dispatched, null, AlertRepository.MaxList, ct).ConfigureAwait(false))
            .Where(a => a.Id != alert.Id && a.DispatchedUnit is not null).Select(a => a.DispatchedUnit!).ToHashSet(StringComparer.Ordinal);
        var units = feed.UnitInfo.Values.Select(u => (u, feed.Latest(u.Code))).Where(x => x.Item2 is not null).Select(x => (x.u, x.Item2!.Value));
        var now = clock.GetUtcNow();
        var near = Dispatch.RoadCandidates(alert.Lon, alert.Lat, units, busy, now);
        var byRoad = await roads.DistancesAsync(alert.Lon, alert.Lat, near.Select(u => (u.Latest.Lon, u.Latest.Lat)).ToArray(), ct).ConfigureAwait(false);
        var routeOf = near.Select((u, i) => (u.Unit.Code, Route: byRoad[i])).ToDictionary(x => x.Code, x => x.Route, StringComparer.Ordinal);
        return Dispatch.Rank(alert.Lon, alert.Lat, alert.DepartmentCode, near, busy, now, f => routeOf.GetValueOrDefault(f.UnitCode), take);
    }

    private static async Task<IResult> Ack(long id, ClaimsPrincipal principal, AlertRepository alerts, LiveFeed feed, CancellationToken ct) =>
        Step(await alerts.AcknowledgeAsync(id, UserClaims.ToUser(principal)!, ct).ConfigureAwait(false), feed);

    private static async Task<IResult> DispatchUnit(long id, DispatchRequest? body, ClaimsPrincipal principal, AlertRepository alerts, LiveFeed feed,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.Unit)) return Problems.BadParameter("unit", "expected a patrol unit code");
        return Step(await alerts.DispatchAsync(id, body.Unit.Trim(), UserClaims.ToUser(principal)!, ct).ConfigureAwait(false), feed);
    }

    private static async Task<IResult> Close(long id, CloseRequest? body, ClaimsPrincipal principal, AlertRepository alerts, LiveFeed feed,
        IncidentKindService kinds, CancellationToken ct)
    {
        if (!DomainNames.TryParse<AlertOutcome>(body?.Outcome, out var outcome))
            return Problems.BadParameter("outcome", "expected false_alarm, incident, handed_to_police or other");
        if (body!.Note is { Length: > 2000 }) return Problems.BadParameter("note", "at most 2000 characters");
        IncidentKind? kind = null;
        if (body.Kind is not null)
        {
            // A code, a label or a synonym of the database's vocabulary; a label it lacks is kept as written (docs/DEFINITIONS.md).
            if (string.IsNullOrWhiteSpace(body.Kind) || body.Kind.Length > 200) return Problems.BadParameter("kind", "expected an incident kind");
            kind = (await kinds.VocabularyAsync(ct).ConfigureAwait(false)).Resolve(body.Kind, out _);
        }
        return Step(await alerts.CloseAsync(id, outcome, body.Note, UserClaims.ToUser(principal)!, kind, body.Incident, ct).ConfigureAwait(false), feed);
    }

    private static async Task<IResult> Kpi([Microsoft.AspNetCore.Mvc.FromQuery] DateTimeOffset from, [Microsoft.AspNetCore.Mvc.FromQuery] DateTimeOffset to,
        ClaimsPrincipal principal, AlertRepository alerts, CancellationToken ct)
    {
        if (to <= from || from < AnalysisRequest.Earliest || to > AnalysisRequest.Latest) return Problems.BadParameter("to", "expected from < to, within 1900–2200");
        var own = principal.FindFirstValue(UserClaims.Department);
        var rows = await alerts.KpisAsync(from, to, ct).ConfigureAwait(false);
        return TypedResults.Ok(own is null ? rows : rows.Where(r => r.DepartmentCode == own));
    }

    /// <summary>A scope of thresholds as the API gives it.</summary>
    public sealed record ThresholdScopeView(string? Department, string? DepartmentName, IReadOnlyList<ThresholdView> Thresholds)
    {
        public static ThresholdScopeView Of(ThresholdScope s) => new(s.DepartmentCode, s.DepartmentName, s.Thresholds.Select(t =>
        {
            var spec = AlertThresholds.Spec(t.Name)!;
            return new ThresholdView(t.Name, t.Value, DomainNames.ToName(t.Source), t.Stored, spec.Unit, spec.Min, spec.Max);
        }).ToArray());
    }

    /// <summary>One threshold: effective value, its source (default | appsettings | centre | department), the scope's stored value, bounds.</summary>
    public sealed record ThresholdView(string Name, double Value, string Source, double? Stored, string Unit, double Min, double Max);

    private static async Task<IResult> GetThresholds(string? department, AlertThresholdRepository thresholds, CancellationToken ct)
    {
        var scope = await thresholds.GetAsync(string.IsNullOrEmpty(department) ? null : department, ct).ConfigureAwait(false);
        if (scope is null) return Problems.BadParameter("department", "unknown department");
        return TypedResults.Ok(AlertThresholds.Of(scope.Thresholds).ToNames());
    }

    private static async Task<IResult> ListThresholds(ClaimsPrincipal principal, AlertThresholdRepository thresholds, CancellationToken ct)
    {
        if (UserClaims.ToUser(principal) is not { Role: Role.Admin }) return Problems.Forbidden("Only admins see the threshold table.");
        return TypedResults.Ok((await thresholds.ListAsync(ct).ConfigureAwait(false)).Select(ThresholdScopeView.Of));
    }

    private static async Task<IResult> PutThreshold(ThresholdRequest? body, ClaimsPrincipal principal, AlertThresholdRepository thresholds, CancellationToken ct)
    {
        if (UserClaims.ToUser(principal) is not { } user) return Problems.Forbidden("Unknown user.");
        if (body?.Name is null || body.Value is not { } value) return Problems.BadRequest("Expected {\"department\"?, \"name\", \"value\"}.");
        return Changed(await thresholds.SetAsync(user, body.Department, body.Name, value, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> ClearThreshold(string? name, string? department, ClaimsPrincipal principal, AlertThresholdRepository thresholds,
        CancellationToken ct)
    {
        if (UserClaims.ToUser(principal) is not { } user) return Problems.Forbidden("Unknown user.");
        if (string.IsNullOrEmpty(name)) return Problems.BadParameter("name", "expected a threshold name");
        return Changed(await thresholds.ClearAsync(user, department, name, ct).ConfigureAwait(false));
    }

    private static IResult Changed(ThresholdChange change) => change.Outcome switch
    {
        ThresholdChangeOutcome.Done => TypedResults.Ok(ThresholdScopeView.Of(change.Scope!)),
        ThresholdChangeOutcome.Forbidden => Problems.Forbidden(change.Message),
        _ => Problems.BadRequest(change.Message),
    };

    private static IResult Step(AlertStep step, LiveFeed feed)
    {
        switch (step.Outcome)
        {
            case AlertStepOutcome.Done:
                feed.Publish(step.Alert!);
                return TypedResults.Ok(AlertView.Of(step.Alert!));
            case AlertStepOutcome.NotFound: return Problems.NotFound(step.Message);
            case AlertStepOutcome.Forbidden: return Problems.Forbidden(step.Message);
            case AlertStepOutcome.UnknownUnit: return Problems.BadParameter("unit", step.Message);
            case AlertStepOutcome.UnitUnavailable:
                return TypedResults.Problem(step.Message, statusCode: StatusCodes.Status409Conflict, title: "Unit not available");
            default: return TypedResults.Problem(step.Message, statusCode: StatusCodes.Status409Conflict, title: "Not in that state");
        }
    }
}
