using System.Security.Claims;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Core.Spatial;
using MapControl.Data.Editing;
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

    /// <summary>The polygon or multipolygon of a request's <c>geometry</c> member; null when it is missing or not one.</summary>
    private static NetTopologySuite.Geometries.Geometry? Polygonal(System.Text.Json.JsonElement geometry) =>
        geometry.ValueKind == System.Text.Json.JsonValueKind.Object ? GeoJsonGeometry.ParsePolygonal(geometry.GetRawText()) : null;

    /// <summary>Parses "jurisdiction" / "patrol-zone".</summary>
    public static VersionedLayer? ParseTarget(string target) => target switch
    {
        "jurisdiction" or "jurisdictions" => VersionedLayer.Jurisdiction,
        "patrol-zone" or "patrol-zones" => VersionedLayer.PatrolZone,
        _ => null,
    };

    private static async Task<Results<Ok<IReadOnlyList<VersionRow>>, ProblemHttpResult>> GetVersions(string target, string key, VersionedEdits s, CancellationToken ct) =>
        ParseTarget(target) is { } t ? TypedResults.Ok(await s.HistoryAsync(t, key, ct)) : BadTarget(target);

    private static async Task<Results<Ok<ImpactView>, ProblemHttpResult>> PostImpact(string target, string key, ImpactRequest body,
        ImpactService impact, CancellationToken ct)
    {
        if (ParseTarget(target) is not { } t) return BadTarget(target);
        if (Polygonal(body.Geometry) is not { } geometry) return BadGeometry();
        if (EditGeometry.Problem(geometry) is { } problem) return BadGeometry(problem);
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
        ClaimsPrincipal principal, VersionedEdits s, CancellationToken ct)
    {
        if (ParseTarget(target) is not { } t) return BadTarget(target);
        if (Polygonal(body.Geometry) is not { } geometry) return BadGeometry();
        return ToResult(await s.SaveAsync(t, key, body.BaseVersionId, geometry, UserClaims.ToUser(principal), body.Reason ?? "", "save", ct));
    }

    private static async Task<Results<Ok<SaveResult>, ProblemHttpResult>> PostRollBack(string target, string key, RollBackRequest body,
        ClaimsPrincipal principal, VersionedEdits s, CancellationToken ct)
    {
        if (ParseTarget(target) is not { } t) return BadTarget(target);
        return ToResult(await s.RollBackAsync(t, key, body.ToVersionId, body.BaseVersionId, UserClaims.ToUser(principal), body.Reason, ct));
    }

    private static Results<Ok<SaveResult>, ProblemHttpResult> ToResult(SaveResult r) => r.Outcome switch
    {
        SaveOutcome.Saved => TypedResults.Ok(r),
        SaveOutcome.Conflict => TypedResults.Problem(r.Message, statusCode: StatusCodes.Status409Conflict, title: "Edited by someone else",
            extensions: new Dictionary<string, object?> { ["currentVersionId"] = r.VersionId }),
        SaveOutcome.NotFound => TypedResults.Problem(r.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        SaveOutcome.Forbidden => TypedResults.Problem(r.Message, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed"),
        _ => TypedResults.Problem(r.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid edit"),
    };

    private static ProblemHttpResult BadTarget(string target) =>
        TypedResults.Problem($"Unknown target '{target}': use jurisdiction or patrol-zone.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid target");

    private static ProblemHttpResult BadGeometry(string? why = null) =>
        TypedResults.Problem(why is null ? "The geometry must be a GeoJSON Polygon or MultiPolygon in lon/lat." : $"The geometry is refused: {why}.",
            statusCode: StatusCodes.Status400BadRequest, title: "Invalid geometry");
}
