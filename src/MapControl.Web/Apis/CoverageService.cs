using MapControl.Core.Coverage;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Web.Apis;

/// <summary>A coverage check of the current jurisdictions within the oil zones, with the department names.</summary>
/// <param name="Report">The check (gaps ranked by risk, overlaps largest first).</param>
/// <param name="Departments">Department code → department.</param>
/// <param name="AsOf">End of the 12-month incident window.</param>
public sealed record CoverageSnapshot(CoverageReport Report, IReadOnlyDictionary<string, Department> Departments, DateTimeOffset AsOf)
{
    /// <summary>The window of the gaps' incidents and risk (<see cref="CoverageService.InWindowAsync"/>); null: the check's 12 months.</summary>
    public GapWindow? Window { get; init; }
}

/// <summary>
/// The coverage check of the current jurisdictions within the oil zones for the UI: the one computation that the OGC
/// <c>gaps</c> collection, <c>export --layer gaps</c> and <c>coverage-check --from-db</c> also use (<see cref="CoverageGaps"/>),
/// with department names; and checks of proposed items against the same stored frame, wells and incidents.
/// </summary>
public sealed class CoverageService(CoverageGaps gaps, DepartmentRepository departmentRepository, AnalysisSource source, TimeProvider clock)
{
    /// <summary>The coverage check of the jurisdictions in force now (cached until the data changes).</summary>
    public async Task<CoverageSnapshot> CurrentAsync(CancellationToken ct)
    {
        var current = await gaps.CurrentAsync(ct).ConfigureAwait(false);
        var departments = (await departmentRepository.GetAllAsync(ct).ConfigureAwait(false)).ToDictionary(d => d.Code);
        return new CoverageSnapshot(current.Report, departments, current.AsOf);
    }

    /// <summary>The check with the gaps' incidents and risk over [from, to) (Core's <see cref="GapRiskInWindow"/>, via <see cref="CoverageGaps.InWindowAsync"/>).</summary>
    public async Task<CoverageSnapshot> InWindowAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var current = await gaps.InWindowAsync(from, to, ct).ConfigureAwait(false);
        var departments = (await departmentRepository.GetAllAsync(ct).ConfigureAwait(false)).ToDictionary(d => d.Code);
        return new CoverageSnapshot(current.Report, departments, current.AsOf) { Window = current.Window };
    }

    /// <summary>The inputs of a check of proposed items (the planner's impact): frame (union of oil zones), wells and incidents of the 12 months before now.</summary>
    public async Task<(Geometry Frame, IReadOnlyList<WellPoint> Wells, IReadOnlyList<CoverageIncident> Incidents, DateTimeOffset AsOf)> InputsAsync(CancellationToken ct)
    {
        var asOf = clock.GetUtcNow();
        var input = await source.LoadCoverageInputAsync(asOf, ct).ConfigureAwait(false);
        return (input.Frame, input.Wells, input.Incidents, asOf);
    }

    /// <summary>Gaps as GeoJSON, ranked by risk, in the one gap shape (<see cref="CoverageGaps.Properties"/>).</summary>
    /// <remarks>With a department, only the gaps it borders (ranks stay those of the whole centre).</remarks>
    public static string GapsJson(CoverageSnapshot s, string? department = null)
    {
        var names = NameMap(s);
        return FeatureJson.Collection(s.Report.Gaps.Select((g, i) => (g, i))
            .Where(x => department is null || x.g.Departments.Contains(department))
            .Select(x => ((Geometry)x.g.Geometry, (IDictionary<string, object?>)CoverageGaps.Properties(x.g, x.i + 1, names, s.Window))));
    }

    /// <summary>Department code → name.</summary>
    public static IReadOnlyDictionary<string, string> NameMap(CoverageSnapshot s) => s.Departments.ToDictionary(d => d.Key, d => d.Value.Name);

    /// <summary>Overlaps as GeoJSON with their departments.</summary>
    public static string OverlapsJson(CoverageSnapshot s, string? department = null) => FeatureJson.Collection(s.Report.Overlaps
        .Where(o => department is null || o.Departments.Contains(department)).Select(o => ((Geometry)o.Geometry,
        (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["kind"] = "overlap", ["area_m2"] = Math.Round(o.AreaM2, 1), ["width_m"] = Math.Round(o.WidthM, 1),
            ["departments"] = string.Join(",", o.Departments), ["department_names"] = Names(s, o.Departments),
        })));

    /// <summary>Department names for codes, joined with " / ".</summary>
    public static string Names(CoverageSnapshot s, IEnumerable<string> codes) =>
        string.Join(" / ", codes.Select(c => s.Departments.TryGetValue(c, out var d) ? d.Name : c));
}
