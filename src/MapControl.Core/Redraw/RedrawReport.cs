using MapControl.Core.Coverage;

namespace MapControl.Core.Redraw;

/// <summary>What a redraw does: the net change of gap and overlap area first, then each gap and overlap created, closed, grown
/// or shrunk, coverage before and after, and the workload per department.</summary>
/// <param name="Before">Coverage check of the current items.</param>
/// <param name="After">Coverage check with the proposals applied.</param>
/// <param name="Gaps">Gaps created, closed, grown and shrunk by the redraw.</param>
/// <param name="Overlaps">Overlaps created, closed, grown and shrunk by the redraw.</param>
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
    WorkloadBalance BalanceAfter)
{
    /// <summary>Total gap area of the frame before and after (every gap, however small: frame area minus covered area).</summary>
    public AreaChange GapArea { get; init; } = new(0, 0);

    /// <summary>Total overlap area inside the frame before and after (every overlap, however small).</summary>
    public AreaChange OverlapArea { get; init; } = new(0, 0);

    /// <summary>The proposals as they were measured, after <see cref="VertexSnap"/> (index as in the input's proposals).</summary>
    public IReadOnlyList<RedrawProposal> Measured { get; init; } = [];
}

/// <summary>A total area before and after, m²; <see cref="DeltaM2"/> = after − before.</summary>
public sealed record AreaChange(double BeforeM2, double AfterM2)
{
    /// <summary>After − before, m².</summary>
    public double DeltaM2 => AfterM2 - BeforeM2;
}

/// <summary>What happened to one gap or overlap.</summary>
public enum ChangeKind { Created, Closed, Grown, Shrunk }

/// <summary>
/// One gap or overlap change: the "before" and "after" polygons that share area (a connected group of matches, so a split or
/// merge is one change), their total areas and the delta. Created: no before polygon; closed: no after polygon; grown or shrunk:
/// matched, and the area changed by more than <see cref="CoverageChanges{T}.ToleranceM2"/>.
/// </summary>
public sealed record PolygonChange<T>(ChangeKind Kind, IReadOnlyList<T> Before, IReadOnlyList<T> After, double AreaBeforeM2, double AreaAfterM2)
{
    /// <summary>After − before, m².</summary>
    public double DeltaM2 => AreaAfterM2 - AreaBeforeM2;
}

/// <summary>
/// How gaps or overlaps differ between two coverage checks. Polygons are matched when they share area (≥ 1% of the smaller one);
/// each connected group of matches is one change. A group with only "after" polygons is created, only "before" ones closed; a
/// matched group whose area changed by more than <see cref="ToleranceM2"/> is grown or shrunk; other groups are unchanged and not
/// listed. Changes are sorted by the size of their delta, largest first. Only reported polygons (above the thresholds) are matched;
/// the totals in <see cref="RedrawReport.GapArea"/> and <see cref="RedrawReport.OverlapArea"/> count every polygon.
/// </summary>
public sealed record CoverageChanges<T>(IReadOnlyList<PolygonChange<T>> Changes)
{
    /// <summary>Area change (m²) below which a matched gap or overlap counts as unchanged: 10 cm × 10 cm.</summary>
    public const double ToleranceM2 = 0.01;

    /// <summary>New polygons (as in the after report).</summary>
    public IReadOnlyList<T> Created => Changes.Where(c => c.Kind == ChangeKind.Created).SelectMany(c => c.After).ToList();

    /// <summary>Polygons that disappeared (as in the before report).</summary>
    public IReadOnlyList<T> Closed => Changes.Where(c => c.Kind == ChangeKind.Closed).SelectMany(c => c.Before).ToList();

    /// <summary>Matched polygons that grew.</summary>
    public IReadOnlyList<PolygonChange<T>> Grown => Changes.Where(c => c.Kind == ChangeKind.Grown).ToList();

    /// <summary>Matched polygons that shrank.</summary>
    public IReadOnlyList<PolygonChange<T>> Shrunk => Changes.Where(c => c.Kind == ChangeKind.Shrunk).ToList();
}

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
