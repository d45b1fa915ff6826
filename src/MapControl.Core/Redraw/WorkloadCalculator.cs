using MapControl.Core.Coverage;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Redraw;

/// <summary>Workload per department (area, wells, key wells, incidents, planned patrol length, compactness) and its balance.</summary>
internal sealed class WorkloadCalculator
{
    private readonly PointCounter<WellPoint> _wells;
    private readonly PointCounter<CoverageIncident> _incidents;
    private readonly ILookup<string, LineString> _routes;

    public WorkloadCalculator(RedrawInput input, MetricPoints points)
    {
        _wells = points.Wells;
        _incidents = points.Incidents;
        _routes = input.Routes.ToLookup(r => r.Department, r => points.Projection.Forward(r.Geometry));
    }

    /// <summary>Workload of each department (those given, plus any owner in the coverage), sorted by department; a department
    /// listed in <paramref name="unchanged"/> takes its row from there (its items are the same, so is its workload).</summary>
    public List<DepartmentWorkload> PerDepartment(MetricCoverage coverage, IEnumerable<string> departments,
        IReadOnlyDictionary<string, DepartmentWorkload>? unchanged = null)
    {
        var byOwner = coverage.Items.ToLookup(i => i.Owner, i => i.Geometry);
        var factory = coverage.Frame.Factory;
        var result = new List<DepartmentWorkload>();
        foreach (var department in departments.Concat(byOwner.Select(g => g.Key)).Distinct().Order(StringComparer.Ordinal))
        {
            if (unchanged is not null && unchanged.TryGetValue(department, out var same)) { result.Add(same); continue; }
            var area = coverage.Overlay.Union(byOwner[department].SelectMany(g => Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN)), factory);
            var wells = _wells.Covered(area);
            var incidents = _incidents.Covered(area);
            var routes = _routes[department].ToList();
            var inside = area.IsEmpty ? 0.0 : routes.Sum(r => r.Intersection(area).Length);
            result.Add(new DepartmentWorkload(department, area.Area, wells.Count, wells.Count(w => w.IsKeyWell), incidents.Count,
                routes.Sum(r => r.Length), inside, PolygonMeasures.PolsbyPopper(area)));
        }
        return result;
    }

    /// <summary>max/min over departments for each measure; null where the minimum is 0.</summary>
    public static WorkloadBalance Balance(IReadOnlyList<DepartmentWorkload> workloads) => new(
        Ratio(workloads.Select(w => w.AreaM2)),
        Ratio(workloads.Select(w => (double)w.Wells)),
        Ratio(workloads.Select(w => (double)w.KeyWells)),
        Ratio(workloads.Select(w => (double)w.Incidents)),
        Ratio(workloads.Select(w => w.PatrolLengthM)),
        Ratio(workloads.Select(w => w.Compactness)));

    private static double? Ratio(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return null;
        var min = list.Min();
        return min > 0 ? list.Max() / min : null;
    }
}
