using MapControl.Core.Coverage;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;
using CoverageIncident = MapControl.Core.Coverage.IncidentPoint;

namespace MapControl.Web.Apis;

/// <summary>A coverage check of the current jurisdictions within the oil zones, with the department names.</summary>
/// <param name="Report">The check (gaps ranked by risk, overlaps largest first).</param>
/// <param name="Departments">Department code → department.</param>
/// <param name="AsOf">End of the 12-month incident window.</param>
public sealed record CoverageSnapshot(CoverageReport Report, IReadOnlyDictionary<string, Department> Departments, DateTimeOffset AsOf);

/// <summary>Runs <see cref="CoverageCheck"/> over the stored jurisdictions (same code as the CLI) and caches it per version stamp.</summary>
public sealed class CoverageService(DomainReader reader, LayerQueries layers, TimeProvider clock)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (string Stamp, CoverageSnapshot Snapshot)? _cache;

    /// <summary>The coverage check of the jurisdictions in force now.</summary>
    public async Task<CoverageSnapshot> CurrentAsync(CancellationToken ct)
    {
        var stamp = await reader.VersionStampAsync(ct).ConfigureAwait(false);
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_cache is { } c && c.Stamp == stamp) return c.Snapshot;
            var jurisdictions = await reader.CurrentJurisdictionsAsync(ct).ConfigureAwait(false);
            var snapshot = await CheckAsync(jurisdictions.Select(j => new CoverageItem(j.Geometry, j.DepartmentCode)).ToArray(), ct).ConfigureAwait(false);
            _cache = (stamp, snapshot);
            return snapshot;
        }
        finally { _lock.Release(); }
    }

    /// <summary>The inputs of a check: frame (union of oil zones), wells and incidents of the last 12 months.</summary>
    public async Task<(Geometry Frame, IReadOnlyList<WellPoint> Wells, IReadOnlyList<CoverageIncident> Incidents, DateTimeOffset AsOf)> InputsAsync(CancellationToken ct)
    {
        var zones = await reader.OilZonesAsync(ct).ConfigureAwait(false);
        var frame = zones.Count == 0
            ? new GeometryFactory(new PrecisionModel(), 4326).CreateMultiPolygon()
            : CascadedPolygonUnion.Union(zones.Select(z => (Geometry)z.Geometry).ToArray());
        var wells = (await reader.WellsAsync(ct).ConfigureAwait(false)).Select(WellPoint.From).ToArray();
        var asOf = (await reader.LatestIncidentAsync(ct).ConfigureAwait(false)) ?? clock.GetUtcNow();
        // The window ends just after the latest incident (PostgreSQL keeps microseconds, so a second, not a tick).
        var end = asOf.AddSeconds(1);
        var incidents = (await reader.IncidentsAsync(end.AddMonths(-12), end, null, ct).ConfigureAwait(false))
            .Select(i => CoverageIncident.From(i.Incident)).ToArray();
        return (frame, wells, incidents, end);
    }

    /// <summary>Checks a set of coverage items against the stored frame, wells and incidents.</summary>
    public async Task<CoverageSnapshot> CheckAsync(IReadOnlyList<CoverageItem> items, CancellationToken ct)
    {
        var (frame, wells, incidents, asOf) = await InputsAsync(ct).ConfigureAwait(false);
        var departments = (await layers.DepartmentsAsync(ct).ConfigureAwait(false)).ToDictionary(d => d.Code);
        var input = new CoverageInput(frame, items) { Wells = wells, Incidents = incidents, AsOf = asOf };
        var report = await Task.Run(() => CoverageCheck.Run(input, new CoverageOptions { MinAreaM2 = 100 }), ct).ConfigureAwait(false);
        return new CoverageSnapshot(report, departments, asOf);
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
