using MapControl.Data.Analysis;
using MapControl.Web.Auth;

namespace MapControl.Web.Apis;

/// <summary>A gap as the commander's list shows it.</summary>
public sealed record GapRow(int Rank, double AreaM2, double WidthM, IReadOnlyList<string> Departments, string DepartmentNames,
    int Wells, int KeyWells, int Incidents, double Risk, double West, double South, double East, double North, string GeoJson);

/// <summary><c>/api/commander</c>: ranked gaps, key wells not patrolled or not watched, blank strips.</summary>
public static class CommanderApi
{
    /// <summary>Maps the commander endpoints.</summary>
    public static IEndpointRouteBuilder MapCommanderApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/commander").WithTags("Commander").RequireAuthorization(AuthRegistration.SignedIn);
        api.MapGet("/gaps", async (CoverageService s, CancellationToken ct) => TypedResults.Ok(Gaps(await s.CurrentAsync(ct))))
            .WithName("GetRankedGaps").WithSummary("Gaps ranked by risk with the departments they lie between.");
        api.MapGet("/key-wells", async (PatrolService s, CancellationToken ct) =>
            {
                var snapshot = await s.CurrentAsync(ct);
                return TypedResults.Ok(new { end = snapshot.End, wells = await s.KeyWellsAsync(snapshot, ct) });
            })
            .WithName("GetKeyWellStatus").WithSummary("Key wells with last patrol visit (7-day window) and camera watch.");
        return app;
    }


    /// <summary>The rows of the gap list (with a window, its incidents and risk: <see cref="CoverageService.InWindowAsync"/>): the one gap shape (<see cref="CoverageGaps.Properties"/>) with the box and geometry to zoom to.</summary>
    public static IReadOnlyList<GapRow> Gaps(CoverageSnapshot s)
    {
        var names = CoverageService.NameMap(s);
        return s.Report.Gaps.Select((g, i) =>
        {
            var p = CoverageGaps.Properties(g, i + 1, names, s.Window);
            var e = g.Geometry.EnvelopeInternal;
            return new GapRow((int)p["rank"]!, (double)p["area_m2"]!, (double)p["width_m"]!, g.Departments, (string)p["department_names"]!,
                (int)p["wells"]!, (int)p["key_wells"]!, (int)(p.GetValueOrDefault("incidents_window") ?? p["incidents_12m"])!, (double)p["risk"]!, e.MinX, e.MinY, e.MaxX, e.MaxY,
                FeatureJson.Geometry(g.Geometry));
        }).ToArray();
    }
}
