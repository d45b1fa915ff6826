using System.Security.Claims;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MapControl.Web.Apis;

/// <summary>Body of a save: the version the edit started from, the new geometry (GeoJSON) and the reason.</summary>
public sealed record SaveRequest(long BaseVersionId, JsonElement Geometry, string Reason);

/// <summary>Body of a roll back: the version to return to, the current version and an optional reason.</summary>
public sealed record RollBackRequest(long ToVersionId, long BaseVersionId, string? Reason);

/// <summary>Body of an impact request: the proposed geometry.</summary>
public sealed record ImpactRequest(JsonElement Geometry);

/// <summary><c>/api/planning</c>: version history, redraw impact, save with optimistic concurrency, roll back.</summary>
public static class PlanningApi
{
    /// <summary>Maps the planning endpoints; writes need a planner/admin allowed for the department.</summary>
    public static IEndpointRouteBuilder MapPlanningApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/planning/{target}/{key}").WithTags("Planning").RequireAuthorization(AuthRegistration.SignedIn);
        api.MapGet("/versions", GetVersions).WithName("GetVersions").WithSummary("Version history, newest first.");
        api.MapPost("/impact", PostImpact).WithName("PostImpact").WithSummary("What a redraw would do, before saving.");
        api.MapPost("/save", PostSave).WithName("PostSave").WithSummary("Saves a new version if the base version is still current.");
        api.MapPost("/rollback", PostRollBack).WithName("PostRollBack").WithSummary("A new version equal to an old one.");
        return app;
    }

    /// <summary>Parses "jurisdiction" / "patrol-zone".</summary>
    public static EditTarget? ParseTarget(string target) => target switch
    {
        "jurisdiction" or "jurisdictions" => EditTarget.Jurisdiction,
        "patrol-zone" or "patrol-zones" => EditTarget.PatrolZone,
        _ => null,
    };

    private static async Task<Results<Ok<IReadOnlyList<VersionRow>>, ProblemHttpResult>> GetVersions(string target, string key, PlanningService s, CancellationToken ct) =>
        ParseTarget(target) is { } t ? TypedResults.Ok(await s.HistoryAsync(t, key, ct)) : BadTarget(target);

    private static async Task<Results<Ok<ImpactView>, ProblemHttpResult>> PostImpact(string target, string key, ImpactRequest body,
        ImpactService impact, CancellationToken ct)
    {
        if (ParseTarget(target) is not { } t) return BadTarget(target);
        if (PlanningService.ParsePolygonal(body.Geometry.GetRawText()) is not { } geometry) return BadGeometry();
        try
        {
            return TypedResults.Ok(await impact.ComputeAsync(t, key, geometry, ct));
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.Problem($"No current {target} '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }
    }

    private static async Task<Results<Ok<SaveResult>, ProblemHttpResult>> PostSave(string target, string key, SaveRequest body,
        ClaimsPrincipal principal, PlanningService s, CancellationToken ct)
    {
        if (ParseTarget(target) is not { } t) return BadTarget(target);
        if (await Forbidden(principal, t, key, s, ct) is { } refusal) return refusal;
        if (PlanningService.ParsePolygonal(body.Geometry.GetRawText()) is not { } geometry) return BadGeometry();
        return ToResult(await s.SaveAsync(t, key, body.BaseVersionId, geometry, principal.Identity!.Name!, body.Reason ?? "", "save", ct));
    }

    private static async Task<Results<Ok<SaveResult>, ProblemHttpResult>> PostRollBack(string target, string key, RollBackRequest body,
        ClaimsPrincipal principal, PlanningService s, CancellationToken ct)
    {
        if (ParseTarget(target) is not { } t) return BadTarget(target);
        if (await Forbidden(principal, t, key, s, ct) is { } refusal) return refusal;
        return ToResult(await s.RollBackAsync(t, key, body.ToVersionId, body.BaseVersionId, principal.Identity!.Name!, body.Reason ?? "", ct));
    }

    private static async Task<ProblemHttpResult?> Forbidden(ClaimsPrincipal principal, EditTarget target, string key, PlanningService s, CancellationToken ct)
    {
        var user = UserClaims.ToUser(principal);
        var department = await s.DepartmentOfAsync(target, key, ct);
        if (department is null) return TypedResults.Problem($"No {target} '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        return EditRights.CanEdit(user, department)
            ? null
            : TypedResults.Problem($"{user?.UserName} ({(user is null ? "-" : DomainNames.ToName(user.Role))}{(user?.DepartmentCode is { } d ? ", " + d : "")}) may not edit department {department}.",
                statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");
    }

    private static Results<Ok<SaveResult>, ProblemHttpResult> ToResult(SaveResult r) => r.Outcome switch
    {
        SaveOutcome.Saved => TypedResults.Ok(r),
        SaveOutcome.Conflict => TypedResults.Problem(r.Message, statusCode: StatusCodes.Status409Conflict, title: "Edited by someone else",
            extensions: new Dictionary<string, object?> { ["currentVersionId"] = r.VersionId }),
        SaveOutcome.NotFound => TypedResults.Problem(r.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        _ => TypedResults.Problem(r.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid edit"),
    };

    private static ProblemHttpResult BadTarget(string target) =>
        TypedResults.Problem($"Unknown target '{target}': use jurisdiction or patrol-zone.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid target");

    private static ProblemHttpResult BadGeometry() =>
        TypedResults.Problem("The geometry must be a GeoJSON Polygon or MultiPolygon in lon/lat.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid geometry");
}
