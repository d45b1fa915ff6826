using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>Result of a coverage check; geometries in lon/lat (SRID 4326), areas in m², lengths in m.</summary>
/// <param name="Gaps">Connected parts of the frame covered by no item, largest risk first.</param>
/// <param name="Overlaps">Connected parts of the frame covered by two or more items (交叉区), largest first; only inside the frame.</param>
/// <param name="InvalidEdges">Item edges that NTS CoverageValidator flags: not matched exactly by a neighbour (near-misses and edges inside an overlap) or bounding a gap narrower than the tolerance.</param>
/// <param name="Problems">Input that was repaired or skipped.</param>
/// <param name="FrameAreaM2">Area of the frame.</param>
/// <param name="CoveredAreaM2">Area of the frame covered by at least one item (frame area minus all gaps, reported or not).</param>
public sealed record CoverageReport(
    IReadOnlyList<CoverageGap> Gaps,
    IReadOnlyList<CoverageOverlap> Overlaps,
    IReadOnlyList<InvalidEdge> InvalidEdges,
    IReadOnlyList<CoverageProblem> Problems,
    double FrameAreaM2,
    double CoveredAreaM2);

/// <summary>A gap (blank area): one connected polygon of the frame covered by no item.</summary>
/// <param name="Geometry">The gap polygon, lon/lat.</param>
/// <param name="AreaM2">Area in m².</param>
/// <param name="WidthM">Band width in m (see <see cref="PolygonMeasures.Width"/>).</param>
/// <param name="Departments">Owners whose polygons touch the gap (within the touch tolerance), sorted.</param>
/// <param name="Wells">Wells strictly inside the gap.</param>
/// <param name="KeyWells">Key wells strictly inside the gap.</param>
/// <param name="Incidents">Incidents of the 12 months before asOf strictly inside the gap.</param>
/// <param name="RiskScore">Score from <see cref="GapRiskWeights.Score"/>.</param>
public sealed record CoverageGap(Polygon Geometry, double AreaM2, double WidthM, IReadOnlyList<string> Departments,
    int Wells, int KeyWells, int Incidents, double RiskScore);

/// <summary>An overlap (交叉区): one connected polygon inside the frame covered by two or more items.</summary>
/// <param name="Geometry">The overlap polygon, lon/lat.</param>
/// <param name="AreaM2">Area in m².</param>
/// <param name="WidthM">Band width in m (see <see cref="PolygonMeasures.Width"/>).</param>
/// <param name="Departments">Owners of the items overlapping there, sorted and distinct.</param>
public sealed record CoverageOverlap(Polygon Geometry, double AreaM2, double WidthM, IReadOnlyList<string> Departments);

/// <summary>A flagged edge of one item (a source of slivers): lines in lon/lat with the departments involved.</summary>
/// <param name="Geometry">The invalid edge lines, lon/lat.</param>
/// <param name="ItemIndex">Index of the item whose edge this is.</param>
/// <param name="Departments">The item's owner and the owners of other items within the tolerance of the line, sorted and distinct.</param>
/// <param name="LengthM">Length in m.</param>
public sealed record InvalidEdge(Geometry Geometry, int ItemIndex, IReadOnlyList<string> Departments, double LengthM);

/// <summary>An input problem, as data: the item (−1 for the frame), what was wrong, and whether it was repaired or skipped.</summary>
public sealed record CoverageProblem(int ItemIndex, string Owner, string Message, bool Repaired);
