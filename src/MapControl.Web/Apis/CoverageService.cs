using MapControl.Core.Coverage;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using MapControl.Data.Analysis;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>A coverage check of the current jurisdictions within the oil zones, with the department names.</summary>
/// <param name="Report">The check (gaps ranked by risk, overlaps largest first).</param>
/// <param name="Departments">Department code → department.</param>
/// <param name="AsOf">End of the 12-month incident window.</param>
public sealed record CoverageSnapshot(CoverageReport Report, IReadOnlyDictionary<string, Department> Departments, DateTimeOffset AsOf);

/// <summary>
/// The coverage check of the current jurisdictions within the oil zones for the UI: the one computation that the OGC
/// <c>gaps</c> collection, <c>export --layer gaps</c> and <c>coverage-check --from-db</c> also use (<see cref="CoverageGaps"/>),
/// with department names; and checks of proposed items against the same stored frame, wells and incidents.
/// </summary>
public sealed class CoverageService(CoverageGaps gaps, LayerQueries layers, NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>The coverage check of the jurisdictions in force now (cached until the data changes).</summary>
    public async Task<CoverageSnapshot> CurrentAsync(CancellationToken ct)
    {
        var current = await gaps.CurrentAsync(ct).ConfigureAwait(false);
        var departments = (await layers.DepartmentsAsync(ct).ConfigureAwait(false)).ToDictionary(d => d.Code);
        return new CoverageSnapshot(current.Report, departments, current.AsOf);
    }

    /// <summary>The inputs of a check, as the CLI loads them: frame (union of oil zones), wells and incidents of the 12 months before now.</summary>
    public async Task<(Geometry Frame, IReadOnlyList<WellPoint> Wells, IReadOnlyList<CoverageIncident> Incidents, DateTimeOffset AsOf)> InputsAsync(CancellationToken ct)
    {
        var asOf = clock.GetUtcNow();
        var input = await new AnalysisSource(dataSource).LoadCoverageInputAsync(asOf, ct).ConfigureAwait(false);
        return (input.Frame, input.Wells, input.Incidents, asOf);
    }

    /// <summary>Gaps as GeoJSON, ranked by risk, with the names of the departments they lie between.</summary>
    public static string GapsJson(CoverageSnapshot s) => FeatureJson.Collection(s.Report.Gaps.Select((g, i) => ((Geometry)g.Geometry,
        (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["kind"] = "gap", ["rank"] = i + 1, ["area_m2"] = Math.Round(g.AreaM2, 1), ["width_m"] = Math.Round(g.WidthM, 1),
            ["departments"] = string.Join(",", g.Departments), ["department_names"] = Names(s, g.Departments),
            ["wells"] = g.Wells, ["key_wells"] = g.KeyWells, ["incidents_12m"] = g.Incidents, ["risk"] = Math.Round(g.RiskScore, 2),
        })));

    /// <summary>Overlaps as GeoJSON with their departments.</summary>
    public static string OverlapsJson(CoverageSnapshot s) => FeatureJson.Collection(s.Report.Overlaps.Select(o => ((Geometry)o.Geometry,
        (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["kind"] = "overlap", ["area_m2"] = Math.Round(o.AreaM2, 1), ["width_m"] = Math.Round(o.WidthM, 1),
            ["departments"] = string.Join(",", o.Departments), ["department_names"] = Names(s, o.Departments),
        })));

    /// <summary>Department names for codes, joined with " / ".</summary>
    public static string Names(CoverageSnapshot s, IEnumerable<string> codes) =>
        string.Join(" / ", codes.Select(c => s.Departments.TryGetValue(c, out var d) ? d.Name : c));
}
