using MapControl.Core.Coverage;
using MapControl.Core.Redraw;
using NetTopologySuite.Geometries;
using MapControl.Data.Editing;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Web.Apis;

/// <summary>A gap or overlap that a redraw creates or closes.</summary>
public sealed record ChangedArea(string Kind, double AreaM2, IReadOnlyList<string> Departments, string GeoJson);

/// <summary>Workload of one department before and after a redraw.</summary>
public sealed record WorkloadRow(string DepartmentCode, string DepartmentName, string Colour,
    double AreaKm2Before, double AreaKm2After, int WellsBefore, int WellsAfter, int KeyWellsBefore, int KeyWellsAfter,
    int IncidentsBefore, int IncidentsAfter, double PatrolKm, double CompactnessBefore, double CompactnessAfter);

/// <summary>What a redraw does, as the planner panel and the API show it (from Core's RedrawImpact).</summary>
public sealed record ImpactView(
    IReadOnlyList<ChangedArea> GapsCreated, IReadOnlyList<ChangedArea> GapsClosed,
    IReadOnlyList<ChangedArea> OverlapsCreated, IReadOnlyList<ChangedArea> OverlapsClosed,
    IReadOnlyList<WorkloadRow> Workload, double? AreaBalanceBefore, double? AreaBalanceAfter,
    double GapAreaBefore, double GapAreaAfter, double OverlapAreaBefore, double OverlapAreaAfter);

/// <summary>Computes the impact of a proposed jurisdiction or patrol zone with <see cref="RedrawImpact"/> (the CLI's code) before saving.</summary>
public sealed class ImpactService(CoverageService coverage, JurisdictionRepository jurisdictionRepository, PatrolZoneRepository patrolZones,
    PatrolRouteRepository routes, DepartmentRepository departmentRepository)
{
    /// <summary>The impact of replacing the current geometry of <paramref name="key"/> by <paramref name="proposed"/>.</summary>
    /// <exception cref="KeyNotFoundException">No current jurisdiction or patrol zone has that key.</exception>
    public async Task<ImpactView> ComputeAsync(VersionedLayer target, string key, Geometry proposed, CancellationToken ct)
    {
        var (oilFrame, wells, incidents, asOf) = await coverage.InputsAsync(ct).ConfigureAwait(false);
        var jurisdictions = await jurisdictionRepository.GetCurrentAsync(ct).ConfigureAwait(false);
        Geometry frame;
        IReadOnlyList<CoverageItem> items;
        int index;
        if (target == VersionedLayer.Jurisdiction)
        {
            frame = oilFrame;
            items = jurisdictions.Select(j => new CoverageItem(j.Geometry, j.DepartmentCode)).ToArray();
            index = jurisdictions.ToList().FindIndex(j => j.DepartmentCode == key);
        }
        else
        {
            // Patrol zones are checked within their department's jurisdiction (DESIGN §4).
            var zones = await patrolZones.GetCurrentAsync(ct).ConfigureAwait(false);
            var department = zones.FirstOrDefault(z => z.Code == key)?.DepartmentCode ?? throw new KeyNotFoundException(key);
            var mine = zones.Where(z => z.DepartmentCode == department).ToList();
            frame = jurisdictions.FirstOrDefault(j => j.DepartmentCode == department)?.Geometry ?? (Geometry)oilFrame;
            items = mine.Select(z => new CoverageItem(z.Geometry, z.Code)).ToArray();
            index = mine.FindIndex(z => z.Code == key);
        }
        if (index < 0) throw new KeyNotFoundException(key);
        var input = new RedrawInput(frame, items, [new RedrawProposal(index, proposed)])
        {
            Wells = wells, Incidents = incidents, AsOf = asOf, Routes = (await routes.GetAllAsync(ct).ConfigureAwait(false)).Select(r => new PlannedRoute(r.Geometry, r.DepartmentCode)).ToArray(),
        };
        var report = await Task.Run(() => RedrawImpact.Compute(input, new CoverageOptions()), ct).ConfigureAwait(false);
        var departments = (await departmentRepository.GetAllAsync(ct).ConfigureAwait(false)).ToDictionary(d => d.Code);

        static ChangedArea Gap(CoverageGap g) => new("gap", Math.Round(g.AreaM2, 1), g.Departments, FeatureJson.Geometry(g.Geometry));
        static ChangedArea Overlap(CoverageOverlap o) => new("overlap", Math.Round(o.AreaM2, 1), o.Departments, FeatureJson.Geometry(o.Geometry));
        var after = report.WorkloadAfter.ToDictionary(w => w.Department);
        var rows = report.WorkloadBefore.Select(b =>
        {
            var a = after.GetValueOrDefault(b.Department) ?? b;
            var d = departments.GetValueOrDefault(b.Department);
            return new WorkloadRow(b.Department, d?.Name ?? b.Department, d?.Colour ?? "#888888",
                Math.Round(b.AreaM2 / 1e6, 3), Math.Round(a.AreaM2 / 1e6, 3), b.Wells, a.Wells, b.KeyWells, a.KeyWells,
                b.Incidents, a.Incidents, Math.Round(b.PatrolLengthM / 1000, 2), Math.Round(b.Compactness, 4), Math.Round(a.Compactness, 4));
        }).ToArray();
        return new ImpactView(
            report.Gaps.Created.Select(Gap).ToArray(), report.Gaps.Closed.Select(Gap).ToArray(),
            report.Overlaps.Created.Select(Overlap).ToArray(), report.Overlaps.Closed.Select(Overlap).ToArray(),
            rows, Round(report.BalanceBefore.Area), Round(report.BalanceAfter.Area),
            Math.Round(report.Before.Gaps.Sum(g => g.AreaM2)), Math.Round(report.After.Gaps.Sum(g => g.AreaM2)),
            Math.Round(report.Before.Overlaps.Sum(o => o.AreaM2)), Math.Round(report.After.Overlaps.Sum(o => o.AreaM2)));
    }

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 3) : null;
}
