using MapControl.Core.Coverage;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>A gap or overlap that a redraw creates or closes.</summary>
public sealed record ChangedArea(string Kind, double AreaM2, IReadOnlyList<string> Departments, string GeoJson);

/// <summary>Workload of one department before and after a redraw.</summary>
public sealed record WorkloadRow(string DepartmentCode, string DepartmentName, string Colour,
    double AreaKm2Before, double AreaKm2After, int WellsBefore, int WellsAfter, int KeyWellsBefore, int KeyWellsAfter,
    int IncidentsBefore, int IncidentsAfter, double PatrolKm, double CompactnessBefore, double CompactnessAfter);

/// <summary>What a redraw does: gaps and overlaps created or closed, workload per department and its balance (max/min area).</summary>
public sealed record RedrawReport(
    IReadOnlyList<ChangedArea> GapsCreated, IReadOnlyList<ChangedArea> GapsClosed,
    IReadOnlyList<ChangedArea> OverlapsCreated, IReadOnlyList<ChangedArea> OverlapsClosed,
    IReadOnlyList<WorkloadRow> Workload, double AreaBalanceBefore, double AreaBalanceAfter,
    double GapAreaBefore, double GapAreaAfter, double OverlapAreaBefore, double OverlapAreaAfter);

/// <summary>Computes the impact of a proposed jurisdiction (or patrol zone) geometry before it is saved.</summary>
public sealed class ImpactService(DomainReader reader, CoverageService coverage, NpgsqlDataSource dataSource)
{
    /// <summary>Share of a gap's area that must be new (or gone) for it to count as created (or closed).</summary>
    public const double ChangeShare = 0.5;

    /// <summary>The redraw report for replacing the current geometry of <paramref name="key"/> by <paramref name="proposed"/>.</summary>
    public async Task<RedrawReport> ComputeAsync(EditTarget target, string key, Geometry proposed, CancellationToken ct)
    {
        var jurisdictions = await reader.CurrentJurisdictionsAsync(ct).ConfigureAwait(false);
        IReadOnlyList<CoverageItem> before, after;
        if (target == EditTarget.Jurisdiction)
        {
            before = jurisdictions.Select(j => new CoverageItem(j.Geometry, j.DepartmentCode)).ToArray();
            after = jurisdictions.Select(j => new CoverageItem(j.DepartmentCode == key ? proposed : j.Geometry, j.DepartmentCode)).ToArray();
        }
        else
        {
            var zones = await reader.CurrentPatrolZonesAsync(ct).ConfigureAwait(false);
            before = zones.Select(z => new CoverageItem(z.Geometry, z.DepartmentCode)).ToArray();
            after = zones.Select(z => new CoverageItem(z.Code == key ? proposed : z.Geometry, z.DepartmentCode)).ToArray();
        }
        var b = await coverage.CheckAsync(before, ct).ConfigureAwait(false);
        var a = await coverage.CheckAsync(after, ct).ConfigureAwait(false);
        var projection = MetricProjection.Dongying;

        static IReadOnlyList<ChangedArea> Changed(string kind, IEnumerable<(Polygon G, double Area, IReadOnlyList<string> D)> from,
            IEnumerable<Polygon> other, MetricProjection p)
        {
            var otherMetric = other.Select(o => p.Forward(o)).ToArray();
            var result = new List<ChangedArea>();
            foreach (var (g, area, d) in from)
            {
                var m = p.Forward(g);
                var shared = otherMetric.Where(o => o.EnvelopeInternal.Intersects(m.EnvelopeInternal)).Sum(o => o.Intersection(m).Area);
                if (area <= 0 || shared / Math.Max(m.Area, 1e-9) < 1 - ChangeShare)
                    result.Add(new ChangedArea(kind, Math.Round(area, 1), d, FeatureJson.Geometry(g)));
            }
            return result;
        }

        var gapsCreated = Changed("gap", a.Report.Gaps.Select(g => (g.Geometry, g.AreaM2, g.Departments)), b.Report.Gaps.Select(g => g.Geometry), projection);
        var gapsClosed = Changed("gap", b.Report.Gaps.Select(g => (g.Geometry, g.AreaM2, g.Departments)), a.Report.Gaps.Select(g => g.Geometry), projection);
        var overlapsCreated = Changed("overlap", a.Report.Overlaps.Select(o => (o.Geometry, o.AreaM2, o.Departments)), b.Report.Overlaps.Select(o => o.Geometry), projection);
        var overlapsClosed = Changed("overlap", b.Report.Overlaps.Select(o => (o.Geometry, o.AreaM2, o.Departments)), a.Report.Overlaps.Select(o => o.Geometry), projection);

        var workload = await WorkloadAsync(target, jurisdictions, before, after, b, projection, ct).ConfigureAwait(false);
        static double Balance(IEnumerable<double> areas)
        {
            var list = areas.Where(x => x > 0).ToArray();
            return list.Length == 0 ? 0 : Math.Round(list.Max() / list.Min(), 3);
        }
        return new RedrawReport(gapsCreated, gapsClosed, overlapsCreated, overlapsClosed, workload,
            Balance(workload.Select(w => w.AreaKm2Before)), Balance(workload.Select(w => w.AreaKm2After)),
            Math.Round(b.Report.Gaps.Sum(g => g.AreaM2)), Math.Round(a.Report.Gaps.Sum(g => g.AreaM2)),
            Math.Round(b.Report.Overlaps.Sum(o => o.AreaM2)), Math.Round(a.Report.Overlaps.Sum(o => o.AreaM2)));
    }

    private async Task<IReadOnlyList<WorkloadRow>> WorkloadAsync(EditTarget target, IReadOnlyList<MapControl.Core.Model.Jurisdiction> jurisdictions,
        IReadOnlyList<CoverageItem> before, IReadOnlyList<CoverageItem> after, CoverageSnapshot snapshot, MetricProjection projection, CancellationToken ct)
    {
        var wells = await reader.WellsAsync(ct).ConfigureAwait(false);
        var (_, _, incidents, _) = await coverage.InputsAsync(ct).ConfigureAwait(false);
        var patrolKm = await PatrolKmAsync(ct).ConfigureAwait(false);
        var rows = new List<WorkloadRow>();
        foreach (var dept in before.Select(i => i.Owner).Distinct().Order(StringComparer.Ordinal))
        {
            var gb = Union(before.Where(i => i.Owner == dept).Select(i => i.Geometry));
            var ga = Union(after.Where(i => i.Owner == dept).Select(i => i.Geometry));
            var pb = PreparedGeometryFactory.Prepare(gb);
            var pa = PreparedGeometryFactory.Prepare(ga);
            int wb = 0, wa = 0, kb = 0, ka = 0, ib = 0, ia = 0;
            foreach (var w in wells)
            {
                if (pb.Contains(w.Location)) { wb++; if (w.IsKeyWell) kb++; }
                if (pa.Contains(w.Location)) { wa++; if (w.IsKeyWell) ka++; }
            }
            foreach (var i in incidents)
            {
                if (pb.Contains(i.Location)) ib++;
                if (pa.Contains(i.Location)) ia++;
            }
            var mb = projection.Forward(gb);
            var ma = projection.Forward(ga);
            snapshot.Departments.TryGetValue(dept, out var d);
            rows.Add(new WorkloadRow(dept, d?.Name ?? dept, d?.Colour ?? "#888888",
                Math.Round(mb.Area / 1e6, 3), Math.Round(ma.Area / 1e6, 3), wb, wa, kb, ka, ib, ia,
                Math.Round(patrolKm.GetValueOrDefault(dept), 2), Compactness(mb), Compactness(ma)));
        }
        return rows;
    }

    /// <summary>Polsby–Popper compactness 4πA/P² (1 for a disc).</summary>
    public static double Compactness(Geometry metric) =>
        metric.Length > 0 ? Math.Round(4 * Math.PI * metric.Area / (metric.Length * metric.Length), 4) : 0;

    private static Geometry Union(IEnumerable<Geometry> parts)
    {
        var list = parts.ToArray();
        return list.Length == 1 ? list[0] : NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(list);
    }

    private async Task<Dictionary<string, double>> PatrolKmAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, double>();
        await using var cmd = dataSource.CreateCommand("SELECT department_code, sum(ST_Length(geom::geography)) / 1000 FROM patrol_route GROUP BY 1");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) result[r.GetString(0)] = r.GetDouble(1);
        return result;
    }
}
