using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Coverage;

/// <summary>
/// Gap risk over a chosen window (docs/DEFINITIONS.md, "Gap risk in a window"): the gaps of a coverage check with their incidents
/// counted over the window instead of the check's 12 months — an incident counts for a gap when it lies in the gap's interior,
/// as the check counts (<see cref="CoverageCheck"/>) — and their risk scored again with the same <see cref="GapRiskWeights"/>;
/// wells, key wells, area and width stay the check's. Ranked by that risk, then by area (largest first), as the check ranks.
/// The one rule behind the commander's list, the map's gaps layer, the OGC gaps collection and the CLI when a window is given.
/// </summary>
public static class GapRiskInWindow
{
    /// <summary>The gaps scored over the window's incidents (lon/lat points), highest risk first.</summary>
    public static IReadOnlyList<CoverageGap> Rescore(IReadOnlyList<CoverageGap> gaps, IEnumerable<Point> incidents, GapRiskWeights weights)
    {
        ArgumentNullException.ThrowIfNull(gaps);
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(weights);
        var tree = new STRtree<Point>();
        foreach (var p in incidents) tree.Insert(p.EnvelopeInternal, p);
        tree.Build();
        var rescored = gaps.Select(g =>
        {
            var candidates = tree.Query(g.Geometry.EnvelopeInternal);
            var count = 0;
            if (candidates.Count > 0)
            {
                var prepared = PreparedGeometryFactory.Prepare(g.Geometry);
                count = candidates.Count(prepared.Contains);
            }
            return g with { Incidents = count, RiskScore = weights.Score(count, g.KeyWells, g.Wells, g.AreaM2) };
        }).ToList();
        rescored.Sort((a, b) => b.RiskScore != a.RiskScore ? b.RiskScore.CompareTo(a.RiskScore) : b.AreaM2.CompareTo(a.AreaM2));
        return rescored;
    }
}
