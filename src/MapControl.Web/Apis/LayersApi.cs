using MapControl.Data.Files;
using MapControl.Data.PostGis.Layers;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace MapControl.Web.Apis;

/// <summary>Parameters of layer requests: department, view box and zoom, time window, incident kind.</summary>
public sealed record LayerRequest(
    [FromQuery] string? Department, [FromQuery] string? Bbox, [FromQuery] int? Zoom,
    [FromQuery] DateTimeOffset? From, [FromQuery] DateTimeOffset? To, [FromQuery] string? Kind)
{
    /// <summary>The zoom (9 when absent).</summary>
    public int ZoomLevel => Math.Clamp(Zoom ?? 9, 0, 22);

    /// <summary>The department, null for the centre.</summary>
    public string? Dept => string.IsNullOrWhiteSpace(Department) ? null : Department;
}

/// <summary><c>/api/layers</c>: the one map's layers as GeoJSON for signed-in users; wells, incidents and tracks come as vector tiles from /tiles.</summary>
public static class LayersApi
{
    /// <summary>Maps the layer endpoints.</summary>
    public static IEndpointRouteBuilder MapLayersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/layers").WithTags("Layers").RequireAuthorization(AuthRegistration.SignedIn).RequireRfc3339Times();
        api.MapGet("/departments", async (DepartmentRepository q, CancellationToken ct) => TypedResults.Ok(await q.GetAllAsync(ct)))
            .WithName("GetDepartments").WithSummary("Departments with their fixed colours.");
        api.MapGet("/oil-zones", async (MapLayerRepository q, CancellationToken ct) => GeoJson(await q.OilZonesAsync(ct)))
            .WithName("GetOilZones").WithSummary("Oil zones (油区).");
        api.MapGet("/jurisdictions", async ([AsParameters] LayerRequest r, [FromQuery] DateTimeOffset? at, MapLayerRepository q, CancellationToken ct) =>
                GeoJson(await q.JurisdictionsAsync(r.Dept, at, ct)))
            .WithName("GetJurisdictions").WithSummary("Jurisdictions (辖区) in force now or at a time, with department colours.");
        api.MapGet("/jurisdictions/versions/{id:long}", async (long id, MapLayerRepository q, CancellationToken ct) => GeoJson(await q.JurisdictionVersionAsync(id, ct)))
            .WithName("GetJurisdictionVersion").WithSummary("One stored jurisdiction version.");
        api.MapGet("/patrol-zones", async ([AsParameters] LayerRequest r, MapLayerRepository q, CancellationToken ct) => GeoJson(await q.PatrolZonesAsync(r.Dept, ct)))
            .WithName("GetPatrolZones").WithSummary("Current patrol zones (巡区).");
        api.MapGet("/patrol-zones/versions/{id:long}", async (long id, MapLayerRepository q, CancellationToken ct) => GeoJson(await q.PatrolZoneVersionAsync(id, ct)))
            .WithName("GetPatrolZoneVersion").WithSummary("One stored patrol zone version.");
        api.MapGet("/key-wells", async ([AsParameters] LayerRequest r, MapLayerRepository q, CancellationToken ct) => GeoJson(await q.KeyWellsAsync(r.Dept, ct)))
            .WithName("GetKeyWells").WithSummary("Key wells (重点井) with camera watch.");
        api.MapGet("/cameras", async ([AsParameters] LayerRequest r, MapLayerRepository q, CancellationToken ct) => GeoJson(await q.CamerasAsync(r.Dept, ct)))
            .WithName("GetCameras").WithSummary("Camera view sectors (监控点).");
        api.MapGet("/idle-sites", async ([AsParameters] LayerRequest r, MapLayerRepository q, CancellationToken ct) => GeoJson(await q.IdleSitesAsync(r.Dept, ct)))
            .WithName("GetIdleSites").WithSummary("Idle sites (闲置场地) by status.");
        api.MapGet("/basemap", async (MapLayerRepository q, CancellationToken ct) => GeoJson(await q.BasemapAsync(ct)))
            .WithName("GetBasemap").WithSummary("The offline basemap features (coast, sea, Yellow River, roads, towns).");
        // With from and to, the gaps' incidents and risk are those of the window (Core's GapRiskInWindow), as the commander's list.
        api.MapGet("/gaps", async ([AsParameters] LayerRequest r, CoverageService s, CancellationToken ct) => r switch
            {
                { From: null, To: null } => GeoJson(CoverageService.GapsJson(await s.CurrentAsync(ct), r.Dept)),
                { From: { } from, To: { } to } when to > from => GeoJson(CoverageService.GapsJson(await s.InWindowAsync(from, to, ct), r.Dept)),
                _ => Results.Problem(title: "Bad window", detail: "Give both from and to, with to after from (ISO 8601), or neither.", statusCode: StatusCodes.Status400BadRequest),
            })
            .WithName("GetGaps").WithSummary("Gaps (空白区) of the current jurisdictions within the oil zones, ranked by risk.");
        api.MapGet("/overlaps", async ([AsParameters] LayerRequest r, CoverageService s, CancellationToken ct) => GeoJson(CoverageService.OverlapsJson(await s.CurrentAsync(ct), r.Dept)))
            .WithName("GetOverlaps").WithSummary("Overlaps (交叉区) of the current jurisdictions.");
        api.MapGet("/patrol-coverage", async (PatrolService s, CancellationToken ct) => GeoJson(PatrolJson.Coverage(await s.CurrentAsync(ct))))
            .WithName("GetPatrolCoverage").WithSummary("Patrol coverage of the last 7 days of GPS and the uncovered parts per department.");
        api.MapGet("/blank-strips", async ([AsParameters] LayerRequest r, PatrolService s, CancellationToken ct) => GeoJson(PatrolJson.BlankStrips(await s.CurrentAsync(ct), r.Dept)))
            .WithName("GetBlankStrips").WithSummary("Blank strips (空白带) along shared boundaries, last 7 days.");
        api.MapGet("/patrol-recency", async (PatrolService s, CancellationToken ct) => GeoJson(PatrolService.RecencyJson(await s.CurrentAsync(ct))))
            .WithName("GetPatrolRecency").WithSummary("Hours since the last GPS fix per hexagon cell.");
        return app;
    }

    /// <summary>The response of a GeoJSON layer.</summary>
    internal static IResult GeoJson(string json) => Results.Text(json, "application/geo+json; charset=utf-8");
}

/// <summary>GeoJSON of patrol coverage results.</summary>
internal static class PatrolJson
{
    /// <summary>The covered area (one feature) and the uncovered part of each jurisdiction.</summary>
    public static string Coverage(PatrolSnapshot s) => FeatureJson.Collection(
        new[] { (s.Report.Coverage, (IDictionary<string, object?>)new Dictionary<string, object?> { ["kind"] = "covered", ["area_m2"] = Math.Round(s.Report.CoverageAreaM2), ["radius_m"] = s.Report.RadiusM }) }
        .Concat(s.Report.Departments.Where(d => !d.Uncovered.IsEmpty).Select(d => (d.Uncovered, (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["kind"] = "uncovered", ["department"] = d.DepartmentCode, ["coverage_ratio"] = Math.Round(d.CoverageRatio, 4),
            ["uncovered_area_m2"] = Math.Round(d.UncoveredAreaM2), ["neighbour_share"] = Math.Round(d.NeighbourShare, 4),
        }))).Where(f => !f.Item1.IsEmpty));

    /// <summary>Blank strips with their two departments; with a department, only those along its boundary.</summary>
    public static string BlankStrips(PatrolSnapshot s, string? department = null) => FeatureJson.Collection(s.Report.BlankStrips
        .Where(b => !b.Geometry.IsEmpty && (department is null || b.DepartmentA == department || b.DepartmentB == department)).Select(b =>
        (b.Geometry, (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["kind"] = "blank_strip", ["departments"] = $"{b.DepartmentA},{b.DepartmentB}", ["area_m2"] = Math.Round(b.AreaM2),
            ["uncovered_share"] = Math.Round(b.UncoveredShare, 4), ["boundary_m"] = Math.Round(b.BoundaryLengthM),
        })));
}
