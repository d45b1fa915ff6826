using System.Security.Claims;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Core.Spatial;
using MapControl.Data.Editing;
using MapControl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MapControl.Web.Apis;

/// <summary>A neighbour moved with the edited item (topological editing): its key, the version it started from, its new geometry.</summary>
public sealed record NeighbourRequest(string Key, long BaseVersionId, JsonElement Geometry);

/// <summary>Body of a save: the version the edit started from, the new geometry (GeoJSON) and the reason; optionally the neighbours
/// moved with it, "avoid overlaps", and the revision of the impact shown (the save is refused when the geometries sent differ from it).</summary>
public sealed record SaveRequest(long BaseVersionId, JsonElement Geometry, string Reason)
{
    public IReadOnlyList<NeighbourRequest>? Neighbours { get; init; }
    public bool AvoidOverlaps { get; init; }
    public string? ImpactRevision { get; init; }
}

/// <summary>Body of a roll back: the version to return to, the current version and an optional reason.</summary>
public sealed record RollBackRequest(long ToVersionId, long BaseVersionId, string? Reason);

/// <summary>Body of an impact request: the proposed geometry; optionally the neighbours moved with it and "avoid overlaps".</summary>
public sealed record ImpactRequest(JsonElement Geometry)
{
    public IReadOnlyList<NeighbourRequest>? Neighbours { get; init; }
    public bool AvoidOverlaps { get; init; }
}

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
        if (Neighbours(key, geometry, body.Neighbours) is not { } neighbours) return BadNeighbours();
        try
        {
            return TypedResults.Ok(await impact.ComputeAsync(t, key, geometry, ct, neighbours.Select(n => new NeighbourEdit(n.Key, n.Geometry)).ToArray(), body.AvoidOverlaps));
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.Problem($"No current {target} '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }
        catch (OutsideJurisdictionException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Outside the jurisdiction");
        }
    }

    private static async Task<Results<Ok<SaveResult>, ProblemHttpResult>> PostSave(string target, string key, SaveRequest body,
        ClaimsPrincipal principal, VersionedEdits s, CancellationToken ct)
    {
        if (ParseTarget(target) is not { } t) return BadTarget(target);
        if (Polygonal(body.Geometry) is not { } geometry) return BadGeometry();
        if (Neighbours(key, geometry, body.Neighbours) is not { } neighbours) return BadNeighbours();
        if (body.ImpactRevision is { } revision
            && revision != ImpactService.RevisionOf(key, geometry, neighbours.Select(n => new NeighbourEdit(n.Key, n.Geometry)).ToArray(), body.AvoidOverlaps))
        {
            return TypedResults.Problem("The geometry sent is not the one whose impact was shown: compute the impact again, then save.",
                statusCode: StatusCodes.Status409Conflict, title: "Impact out of date", extensions: new Dictionary<string, object?> { ["stale"] = true });
        }
        var edits = new List<ItemEdit> { new(key, body.BaseVersionId, geometry) };
        edits.AddRange(neighbours.Select(n => new ItemEdit(n.Key, n.BaseVersionId, n.Geometry)));
        return ToResult(await s.SaveAsync(t, edits, UserClaims.ToUser(principal), body.Reason ?? "", "save", body.AvoidOverlaps, ct));
    }

    private static ProblemHttpResult BadNeighbours() => BadGeometry(
        $"the neighbours must be at most {VersionedEdits.MaxItemsPerSave - 1} distinct other items with valid polygons, and all shapes together at most {EditGeometry.MaxVertices:N0} vertices");

    /// <summary>The neighbours moved with the edit, or null when one is not a valid polygon, repeats a key, or the edit as a whole is too large.</summary>
    private static List<(string Key, long BaseVersionId, NetTopologySuite.Geometries.Geometry Geometry)>? Neighbours(string key,
        NetTopologySuite.Geometries.Geometry edited, IReadOnlyList<NeighbourRequest>? given)
    {
        var list = new List<(string, long, NetTopologySuite.Geometries.Geometry)>();
        if (given is null) return list;
        if (given.Count > VersionedEdits.MaxItemsPerSave - 1) return null;
        var keys = new HashSet<string>(StringComparer.Ordinal) { key };
        var vertices = (long)edited.NumPoints;
        foreach (var n in given)
        {
            if (string.IsNullOrWhiteSpace(n.Key) || n.Key.Length > 64 || !keys.Add(n.Key)) return null;
            if (Polygonal(n.Geometry) is not { } g || EditGeometry.Problem(g) is not null) return null;
            vertices += g.NumPoints;
            if (vertices > EditGeometry.MaxVertices) return null;
            list.Add((n.Key, n.BaseVersionId, g));
        }
        return list;
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
