using MapControl.Core.Coverage;

namespace MapControl.Core.Redraw;

/// <summary>What a redraw does: coverage before and after, the gaps and overlaps it creates and closes, and the workload per department.</summary>
/// <param name="Before">Coverage check of the current items.</param>
/// <param name="After">Coverage check with the proposals applied.</param>
/// <param name="Gaps">Gaps created, closed and changed by the redraw.</param>
/// <param name="Overlaps">Overlaps created, closed and changed by the redraw.</param>
/// <param name="WorkloadBefore">Workload per department before, sorted by department.</param>
/// <param name="WorkloadAfter">Workload per department after, sorted by department.</param>
/// <param name="BalanceBefore">Balance (max/min over departments) before.</param>
/// <param name="BalanceAfter">Balance (max/min over departments) after.</param>
public sealed record RedrawReport(
    CoverageReport Before,
    CoverageReport After,
    CoverageChanges<CoverageGap> Gaps,
    CoverageChanges<CoverageOverlap> Overlaps,
    IReadOnlyList<DepartmentWorkload> WorkloadBefore,
    IReadOnlyList<DepartmentWorkload> WorkloadAfter,
    WorkloadBalance BalanceBefore,
    WorkloadBalance BalanceAfter);

/// <summary>
/// How gaps or overlaps differ between two coverage checks. An "after" polygon sharing no area (≥ 1% of the smaller one)
/// with any "before" polygon is created; a "before" polygon sharing none with any "after" one is closed; an "after"
/// polygon that matches but whose shape differs by at least the minimum area is changed.
/// </summary>
/// <param name="Created">New polygons (as in the after report).</param>
/// <param name="Closed">Polygons that disappeared (as in the before report).</param>
/// <param name="Changed">Polygons that still exist but changed shape (as in the after report).</param>
public sealed record CoverageChanges<T>(IReadOnlyList<T> Created, IReadOnlyList<T> Closed, IReadOnlyList<T> Changed);

/// <summary>Workload of one department (DESIGN.md §4 workload balance); measured on the union of its items, not clipped to the frame.</summary>
/// <param name="Department">Department key.</param>
/// <param name="AreaM2">Area of the union of its items, m².</param>
/// <param name="Wells">Wells covered by its area (boundary included; a well in an overlap counts for each department there).</param>
/// <param name="KeyWells">Key wells covered by its area.</param>
/// <param name="Incidents">Incidents of the 12 months before asOf covered by its area.</param>
/// <param name="PatrolLengthM">Total length of its planned patrol routes, m.</param>
/// <param name="PatrolLengthInsideM">Length of its planned patrol routes inside its own area, m.</param>
/// <param name="Compactness">Polsby–Popper compactness 4πA/P² of its area (1 for a circle).</param>
public sealed record DepartmentWorkload(string Department, double AreaM2, int Wells, int KeyWells, int Incidents,
    double PatrolLengthM, double PatrolLengthInsideM, double Compactness);

/// <summary>Balance of each workload measure: max/min over departments; null when the minimum is 0 or there are no departments.</summary>
public sealed record WorkloadBalance(double? Area, double? Wells, double? KeyWells, double? Incidents, double? PatrolLength, double? Compactness);
