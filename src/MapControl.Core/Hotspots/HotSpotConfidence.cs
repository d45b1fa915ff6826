namespace MapControl.Core.Hotspots;

/// <summary>
/// The confidence step of a Gi* hot cell (docs/DEFINITIONS.md, "Hot-spot confidence"): 99 when z ≥ 2.576, 95 when z ≥ 1.960,
/// else 90 (a hot cell's z is at least 1.645, two-sided 90 %); null for a cell that is not hot. The map's warm ramp and the
/// layer's <c>hot_confidence</c> property follow it.
/// </summary>
public static class HotSpotConfidence
{
    /// <summary>The z-score thresholds of the steps 90, 95 and 99 %.</summary>
    public static readonly IReadOnlyList<double> Z = [1.645, 1.960, 2.576];

    /// <summary>The step (90, 95, 99) of a hot cell from its Gi* z-score; null when the cell is not hot.</summary>
    public static int? Of(bool hot, double z) => !hot ? null : z >= Z[2] ? 99 : z >= Z[1] ? 95 : 90;
}
