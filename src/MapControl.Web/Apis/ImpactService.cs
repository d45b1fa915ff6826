using MapControl.Core.Coverage;
using MapControl.Core.Redraw;
using NetTopologySuite.Geometries;
using MapControl.Data.Analysis;
using MapControl.Data.Editing;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Web.Apis;

/// <summary>A gap or overlap that a redraw creates or closes.</summary>
public sealed record ChangedArea(string Kind, double AreaM2, IReadOnlyList<string> Departments, string GeoJson);

/// <summary>One gap or overlap change: kind (gap/overlap), change (created/closed/grown/shrunk), areas before and after and the delta, m².</summary>
public sealed record AreaChangeRow(string Kind, string Change, double AreaBeforeM2, double AreaAfterM2, double DeltaM2, IReadOnlyList<string> Departments, string GeoJson);

/// <summary>Workload of one department before and after a redraw.</summary>
public sealed record WorkloadRow(string DepartmentCode, string DepartmentName, string Colour,
    double AreaKm2Before, double AreaKm2After, int WellsBefore, int WellsAfter, int KeyWellsBefore, int KeyWellsAfter,
    int IncidentsBefore, int IncidentsAfter, double PatrolKm, double CompactnessBefore, double CompactnessAfter);

/// <summary>A patrol zone proposed (partly) outside its department's jurisdiction (<see cref="PatrolZoneContainment"/>); the message names the part outside.</summary>
public sealed class OutsideJurisdictionException(string message) : Exception(message);

/// <summary>A neighbouring item moved together with the edited one (topological editing): its key and proposed geometry.</summary>
public sealed record NeighbourEdit(string Key, Geometry Geometry);

/// <summary>
/// What a redraw does, as the planner panel and the API show it (from Core's RedrawImpact): first the net change of total gap and
/// overlap area (m²), then each gap/overlap change, then the workload. <see cref="Revision"/> is the fingerprint of the geometries
/// it was computed for (as sent); a save carrying it is refused if it sends other geometries.
/// </summary>
public sealed record ImpactView(
    IReadOnlyList<ChangedArea> GapsCreated, IReadOnlyList<ChangedArea> GapsClosed,
    IReadOnlyList<ChangedArea> OverlapsCreated, IReadOnlyList<ChangedArea> OverlapsClosed,
    IReadOnlyList<WorkloadRow> Workload, double? AreaBalanceBefore, double? AreaBalanceAfter,
    double GapAreaBefore, double GapAreaAfter, double OverlapAreaBefore, double OverlapAreaAfter)
{
    /// <summary>Total gap area after − before, m².</summary>
    public double GapAreaDelta => GapAreaAfter - GapAreaBefore;

    /// <summary>Total overlap area after − before, m².</summary>
    public double OverlapAreaDelta => OverlapAreaAfter - OverlapAreaBefore;

    /// <summary>Every gap and overlap created, closed, grown or shrunk, largest delta first.</summary>
    public IReadOnlyList<AreaChangeRow> Changes { get; init; } = [];

    /// <summary>Fingerprint of the geometries the impact was computed for (<see cref="GeometryRevision"/>).</summary>
    public string Revision { get; init; } = "";

    /// <summary>The edited geometry as measured (snapped to stored vertices within 10 cm, clipped when avoiding overlaps), GeoJSON.</summary>
    public string MeasuredGeoJson { get; init; } = "";

    /// <summary>True when the measured geometry differs from the one sent (snapped or clipped).</summary>
    public bool Adjusted { get; init; }

    /// <summary>Milliseconds the computation took on the server.</summary>
    public double ElapsedMs { get; init; }
}

/// <summary>Computes the impact of a proposed jurisdiction or patrol zone with <see cref="RedrawImpact"/> (the CLI's code) before saving;
/// invalid edges are not searched (the panel does not show them, and on large coverages the search costs more than the rest).
/// The "before" half is kept per edit scope while the data is unchanged (<see cref="RedrawBaselines"/>): a vertex move costs the
/// "after" half only.</summary>
public sealed class ImpactService(CoverageService coverage, JurisdictionRepository jurisdictionRepository, PatrolZoneRepository patrolZones,
    PatrolRouteRepository routes, DepartmentRepository departmentRepository, RedrawBaselines baselines)
{
    private static readonly CoverageOptions Options = new() { FindInvalidEdges = false };

    /// <summary>The fingerprint of an edit: the edited item and the neighbours moved with it, as sent, and whether overlaps are avoided
    /// (a save with the other choice stores a shape nobody saw).</summary>
    public static string RevisionOf(string key, Geometry proposed, IReadOnlyList<NeighbourEdit>? neighbours, bool avoidOverlaps = false) =>
        GeometryRevision.Of(new[] { (avoidOverlaps ? key + "|avoid" : key, proposed) }.Concat((neighbours ?? []).Select(n => (n.Key, n.Geometry))));

    /// <summary>The impact of replacing the current geometry of <paramref name="key"/> by <paramref name="proposed"/> (and of the
    /// <paramref name="neighbours"/> moved with it); with <paramref name="avoidOverlaps"/> the proposal is first clipped by the other items.</summary>
    /// <exception cref="KeyNotFoundException">No current jurisdiction or patrol zone has that key (or a neighbour's).</exception>
    public async Task<ImpactView> ComputeAsync(VersionedLayer target, string key, Geometry proposed, CancellationToken ct,
        IReadOnlyList<NeighbourEdit>? neighbours = null, bool avoidOverlaps = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var revision = RevisionOf(key, proposed, neighbours, avoidOverlaps);
        // Jurisdictions share one baseline; a patrol zone is checked within its department's jurisdiction, one scope per zone edited.
        var scope = target == VersionedLayer.Jurisdiction ? "jurisdiction" : "patrol_zone:" + key;
        var entry = await baselines.GetAsync(scope, (marker, token) => BuildAsync(target, key, marker, token), ct).ConfigureAwait(false);
        var keys = entry.Keys;
        var current = entry.Baseline.Current.Items;
        var index = IndexOf(keys, key);
        if (index < 0) throw new KeyNotFoundException(key);
        var edited = avoidOverlaps ? AvoidOverlaps.Clip(proposed, current.Where((_, i) => i != index).Select(i => i.Geometry)) : proposed;
        var proposals = new List<RedrawProposal> { new(index, edited) };
        foreach (var n in neighbours ?? [])
        {
            var at = IndexOf(keys, n.Key);
            if (at < 0 || at == index) throw new KeyNotFoundException(n.Key);
            proposals.Add(new RedrawProposal(at, n.Geometry));
        }
        if (target == VersionedLayer.PatrolZone && entry.Department is { } department)
        {
            // The frame of a patrol zone's baseline is its department's jurisdiction: a zone reaching outside it is refused, as the save refuses it.
            foreach (var p in proposals)
            {
                if (PatrolZoneContainment.Outside(p.NewGeometry, entry.Baseline.Current.Frame) is { } outside)
                    throw new OutsideJurisdictionException(PatrolZoneContainment.Refusal(keys[p.ItemIndex], department, outside));
            }
        }
        RedrawReport report;
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            report = await Task.Run(() => RedrawImpact.Compute(entry.Baseline, proposals), ct).ConfigureAwait(false);
        }
        finally { entry.Gate.Release(); }
        var departments = (await departmentRepository.GetAllAsync(ct).ConfigureAwait(false)).ToDictionary(d => d.Code);

        static ChangedArea Gap(CoverageGap g) => new("gap", Math.Round(g.AreaM2, 1), g.Departments, FeatureJson.Geometry(g.Geometry));
        static ChangedArea Overlap(CoverageOverlap o) => new("overlap", Math.Round(o.AreaM2, 1), o.Departments, FeatureJson.Geometry(o.Geometry));
        static AreaChangeRow Row<T>(string kind, PolygonChange<T> c, Func<T, Polygon> geometry, Func<T, IReadOnlyList<string>> owners)
        {
            var shown = c.After.Count > 0 ? c.After : c.Before;
            var g = shown.Count == 1 ? (Geometry)geometry(shown[0]) : new GeometryFactory().CreateMultiPolygon(shown.Select(geometry).ToArray());
            return new AreaChangeRow(kind, c.Kind.ToString().ToLowerInvariant(), Math.Round(c.AreaBeforeM2, 1), Math.Round(c.AreaAfterM2, 1), Math.Round(c.DeltaM2, 1),
                shown.SelectMany(owners).Distinct().Order(StringComparer.Ordinal).ToList(), FeatureJson.Geometry(g));
        }
        var changes = report.Gaps.Changes.Select(c => Row("gap", c, g => g.Geometry, g => g.Departments))
            .Concat(report.Overlaps.Changes.Select(c => Row("overlap", c, o => o.Geometry, o => o.Departments)))
            .OrderByDescending(c => Math.Abs(c.DeltaM2)).ToArray();
        var after = report.WorkloadAfter.ToDictionary(w => w.Department);
        var rows = report.WorkloadBefore.Select(b =>
        {
            var a = after.GetValueOrDefault(b.Department) ?? b;
            var d = departments.GetValueOrDefault(b.Department);
            return new WorkloadRow(b.Department, d?.Name ?? b.Department, d?.Colour ?? Components.Shell.Palette.Unknown,
                Math.Round(b.AreaM2 / 1e6, 3), Math.Round(a.AreaM2 / 1e6, 3), b.Wells, a.Wells, b.KeyWells, a.KeyWells,
                b.Incidents, a.Incidents, Math.Round(b.PatrolLengthM / 1000, 2), Math.Round(b.Compactness, 4), Math.Round(a.Compactness, 4));
        }).ToArray();
        var measured = report.Measured[0].NewGeometry;
        return new ImpactView(
            report.Gaps.Created.Select(Gap).ToArray(), report.Gaps.Closed.Select(Gap).ToArray(),
            report.Overlaps.Created.Select(Overlap).ToArray(), report.Overlaps.Closed.Select(Overlap).ToArray(),
            rows, Round(report.BalanceBefore.Area), Round(report.BalanceAfter.Area),
            Math.Round(report.GapArea.BeforeM2, 1), Math.Round(report.GapArea.AfterM2, 1),
            Math.Round(report.OverlapArea.BeforeM2, 1), Math.Round(report.OverlapArea.AfterM2, 1))
        {
            Changes = changes,
            Revision = revision,
            MeasuredGeoJson = FeatureJson.Geometry(measured),
            Adjusted = !measured.EqualsExact(proposed),
            ElapsedMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1),
        };
    }

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 3) : null;

    private static int IndexOf(IReadOnlyList<string> keys, string key)
    {
        for (var i = 0; i < keys.Count; i++) if (keys[i] == key) return i;
        return -1;
    }

    /// <summary>The "before" half of a scope from the data as read after <paramref name="marker"/>: the frame (oil zones for
    /// jurisdictions, the department's jurisdiction for its patrol zones), the items, wells, incidents and planned routes.</summary>
    private async Task<RedrawBaselineEntry> BuildAsync(VersionedLayer target, string key, string marker, CancellationToken ct)
    {
        var (oilFrame, wells, incidents, asOf) = await coverage.InputsAsync(ct).ConfigureAwait(false);
        var jurisdictions = await jurisdictionRepository.GetCurrentAsync(ct).ConfigureAwait(false);
        Geometry frame;
        string? zoneDepartment = null;
        List<(string Key, CoverageItem Item)> items;
        if (target == VersionedLayer.Jurisdiction)
        {
            frame = oilFrame;
            items = jurisdictions.Select(j => (j.DepartmentCode, new CoverageItem(j.Geometry, j.DepartmentCode))).ToList();
        }
        else
        {
            // Patrol zones are checked within their department's jurisdiction (DESIGN §4).
            var zones = await patrolZones.GetCurrentAsync(ct).ConfigureAwait(false);
            var department = zones.FirstOrDefault(z => z.Code == key)?.DepartmentCode ?? throw new KeyNotFoundException(key);
            var mine = zones.Where(z => z.DepartmentCode == department).ToList();
            frame = jurisdictions.FirstOrDefault(j => j.DepartmentCode == department)?.Geometry
                ?? throw new OutsideJurisdictionException($"Department '{department}' has no current jurisdiction: its patrol zones have no frame.");
            items = mine.Select(z => (z.Code, new CoverageItem(z.Geometry, z.Code))).ToList();
            zoneDepartment = department;
        }
        var input = new RedrawInput(frame, items.Select(i => i.Item).ToArray(), [])
        {
            Wells = wells, Incidents = incidents, AsOf = asOf,
            Routes = (await routes.GetAllAsync(ct).ConfigureAwait(false)).Select(r => new PlannedRoute(r.Geometry, r.DepartmentCode)).ToArray(),
        };
        return new RedrawBaselineEntry(marker, items.Select(i => i.Key).ToArray(), RedrawImpact.Prepare(input, Options)) { Department = zoneDepartment };
    }
}
