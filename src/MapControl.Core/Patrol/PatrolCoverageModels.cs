using MapControl.Core.Crs;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>A key well (重点井) to be visited by patrols.</summary>
/// <param name="Code">Well code.</param>
/// <param name="Location">Point in lon/lat.</param>
public sealed record KeyWell(string Code, Point Location)
{
    /// <summary>The key wells among <paramref name="wells"/> (those with <see cref="Well.IsKeyWell"/>).</summary>
    public static IReadOnlyList<KeyWell> From(IEnumerable<Well> wells) =>
        wells.Where(w => w.IsKeyWell).Select(w => new KeyWell(w.Code, w.Location)).ToList();
}

/// <summary>What patrol coverage is computed over; all geometries in lon/lat (EPSG:4326).</summary>
/// <param name="Jurisdictions">Department code → jurisdiction (Polygon or MultiPolygon).</param>
/// <param name="Fixes">GPS fixes; tracks are built from them with <see cref="TrackBuilder"/> rules.</param>
/// <param name="Units">Patrol units (unit code → department); fixes of units not listed count for no department.</param>
/// <param name="KeyWells">Key wells whose visits are reported.</param>
/// <param name="From">Start of the time window (inclusive; null = open).</param>
/// <param name="To">End of the time window (exclusive; null = open).</param>
/// <param name="Tracks">Ready tracks (e.g. from a track file), used as given in addition to the fixes' tracks — not filtered by the window.</param>
/// <param name="Parts">Department-days computed before (<see cref="PatrolCoverage.DayPart"/>, e.g. from a cache): their coverage is used as it is, their tracks and key-well visits are added; needs <see cref="PatrolCoverageOptions.Projection"/> set to the projection they were computed in.</param>
public sealed record PatrolCoverageInput(
    IReadOnlyDictionary<string, Geometry> Jurisdictions,
    IReadOnlyList<GpsFix> Fixes,
    IReadOnlyList<PatrolUnit> Units,
    IReadOnlyList<KeyWell> KeyWells,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    IReadOnlyList<PatrolTrack>? Tracks = null,
    IReadOnlyList<PatrolDayPart>? Parts = null)
{
    /// <summary>An input of ready track lines only (the CLI's <c>patrol-coverage --tracks</c>); no fixes.</summary>
    public static PatrolCoverageInput FromTracks(
        IReadOnlyDictionary<string, Geometry> jurisdictions, IReadOnlyList<PatrolTrack> tracks, IReadOnlyList<KeyWell>? keyWells = null) =>
        new(jurisdictions, [], [], keyWells ?? [], Tracks: tracks);

    /// <summary>The GPS fixes the input stands for: raw fixes, and those reduced into daily tracks (also within day parts).</summary>
    public long FixCount => Fixes.Count + (Tracks?.Sum(t => (long)t.PointCount) ?? 0) + (Parts?.Sum(p => p.Tracks.Sum(t => (long)t.PointCount)) ?? 0);
}

/// <summary>Parameters of patrol coverage.</summary>
/// <param name="RadiusM">Coverage radius r around tracks, metres.</param>
/// <param name="SimplifyToleranceM">Douglas–Peucker tolerance t applied to tracks before buffering, metres (0 = none): every raw fix stays within t of its simplified track.</param>
/// <param name="RepeatToleranceM">Repeat passes: a simplified segment every point of which lies within ρ (this, metres) of segments already kept for the same department is dropped before buffering (0 = keep every pass; the test is exact, <see cref="SegmentDeduplicator"/>). Coverage then contains every point within r − t − ρ of a fix and reaches about r + t at most; on repeated jittery passes it follows one pass instead of the outermost one, so a ratio comes out lower by up to about ρ × the coverage's boundary length / |J| (default 4 m: at most 0.00071 on the 10⁶-fix benchmark, where 5 m gave 0.00101; docs/PERFORMANCE.md).</param>
/// <param name="BlankStripWidthM">Blank-strip band width d on each side of a shared boundary, metres (0 = no blank strips).</param>
/// <param name="NeighbourToleranceM">Two jurisdictions are neighbours where their boundaries come within this distance (0 = must touch exactly).</param>
/// <param name="MinSharedBoundaryM">Neighbours must share at least this boundary length (excludes corner contacts).</param>
/// <param name="MinPolygonAreaM2">Uncovered polygons smaller than this are left out of the lists (never out of the areas).</param>
/// <param name="QuadrantSegments">Buffer segments per quarter circle (8: a disc's area is 0.64% short; 16: 0.16%).</param>
/// <param name="TrackRules">Track-breaking rules (their window is replaced by the input's when the input sets one).</param>
/// <param name="Projection">Metric projection (null: a transverse Mercator centred on the jurisdictions).</param>
/// <param name="Trace">Diagnostics for timing harnesses (benchmarks): receives stage timings when set; null in production.</param>
public sealed record PatrolCoverageOptions(
    double RadiusM = 300.0,
    double SimplifyToleranceM = 5.0,
    double RepeatToleranceM = 4.0,
    double BlankStripWidthM = 500.0,
    double NeighbourToleranceM = 1.0,
    double MinSharedBoundaryM = 10.0,
    double MinPolygonAreaM2 = 1.0,
    int QuadrantSegments = 8,
    TrackOptions? TrackRules = null,
    MetricProjection? Projection = null,
    Action<string>? Trace = null)
{
    /// <summary>J − C always by clipping, union and overlay, never by <see cref="CoverageDifference"/> (tests compare the two).</summary>
    internal bool OverlayOnly { get; init; }

    /// <summary>Buffers or the field (<see cref="LongWindowCoverage"/>); Auto: the field for long windows.</summary>
    public PatrolCoverageMethod Method { get; init; }
}

/// <summary>The result of <see cref="PatrolCoverage.Compute"/>; geometries in lon/lat (SRID 4326), areas in m².</summary>
/// <param name="Departments">One record per jurisdiction, ordered by department code.</param>
/// <param name="BlankStrips">One record per pair of neighbouring departments (empty when the band width is 0).</param>
/// <param name="Tracks">The tracks used (built from the fixes, then the ready ones).</param>
/// <param name="RadiusM">The radius used.</param>
/// <param name="Problems">Things worth knowing that did not stop the analysis.</param>
public sealed record PatrolCoverageReport(
    IReadOnlyList<DepartmentCoverage> Departments,
    IReadOnlyList<BlankStrip> BlankStrips,
    IReadOnlyList<PatrolTrack> Tracks,
    double RadiusM,
    IReadOnlyList<PatrolProblem> Problems)
{
    private readonly Lazy<(Geometry LonLat, double AreaM2)> _coverage = new((new GeometryFactory(new PrecisionModel(), 4326).CreatePolygon(), 0.0));

    /// <summary>A report whose coverage of everyone is built on first use (the department figures never need it).</summary>
    internal PatrolCoverageReport(IReadOnlyList<DepartmentCoverage> departments, IReadOnlyList<BlankStrip> blankStrips, IReadOnlyList<PatrolTrack> tracks,
        double radiusM, IReadOnlyList<PatrolProblem> problems, Lazy<(Geometry LonLat, double AreaM2)> coverage)
        : this(departments, blankStrips, tracks, radiusM, problems) => _coverage = coverage;

    /// <summary>Union of the r-buffers of all tracks in lon/lat (empty polygon when there are none); built on first use, once.</summary>
    public Geometry Coverage => _coverage.Value.LonLat;

    /// <summary>Area of <see cref="Coverage"/>, m².</summary>
    public double CoverageAreaM2 => _coverage.Value.AreaM2;
}

/// <summary>
/// Patrol coverage of one department's jurisdiction J. With C = coverage of all units and C_own = coverage of the
/// department's own units: covered = J ∩ C, uncovered = J − C, own = J ∩ C_own, and neighbour-only (部部联动)
/// = J ∩ C − C_own, the part of the covered area that only other departments' (or unassigned) units reach.
/// </summary>
/// <param name="DepartmentCode">Department.</param>
/// <param name="JurisdictionAreaM2">Area of J.</param>
/// <param name="CoveredAreaM2">Area of J ∩ C.</param>
/// <param name="UncoveredAreaM2">Area of J − C (covered + uncovered = jurisdiction area).</param>
/// <param name="CoverageRatio">Covered / jurisdiction area (0 for an empty jurisdiction).</param>
/// <param name="OwnCoveredAreaM2">Area of J ∩ C_own.</param>
/// <param name="NeighbourOnlyAreaM2">Area of (J ∩ C) − C_own = covered − own.</param>
/// <param name="NeighbourShare">Neighbour-only area / covered area (0 when nothing is covered).</param>
/// <param name="Uncovered">J − C in lon/lat (possibly empty).</param>
/// <param name="UncoveredPolygons">Connected parts of J − C, largest first, those below the minimum area left out.</param>
/// <param name="KeyWells">Key wells inside J with their visits.</param>
/// <param name="OwnTrackCount">Number of tracks of the department's units.</param>
/// <param name="OwnPatrolLengthM">Total length of those tracks.</param>
public sealed record DepartmentCoverage(
    string DepartmentCode,
    double JurisdictionAreaM2,
    double CoveredAreaM2,
    double UncoveredAreaM2,
    double CoverageRatio,
    double OwnCoveredAreaM2,
    double NeighbourOnlyAreaM2,
    double NeighbourShare,
    Geometry Uncovered,
    IReadOnlyList<UncoveredPolygon> UncoveredPolygons,
    IReadOnlyList<KeyWellVisit> KeyWells,
    int OwnTrackCount,
    double OwnPatrolLengthM);

/// <summary>One connected uncovered polygon of a jurisdiction.</summary>
public sealed record UncoveredPolygon(Polygon Geometry, double AreaM2);

/// <summary>
/// A key well and its last patrol visit: a fix (of any unit, in the window) within r of the well; for ready
/// tracks without fixes, the track passing within r, dated by the track's end.
/// </summary>
/// <param name="Code">Well code.</param>
/// <param name="Location">Well point, lon/lat.</param>
/// <param name="Visited">True when some fix (or ready track) came within r.</param>
/// <param name="LastVisit">Time of the latest such fix (null when not visited).</param>
/// <param name="UnitCode">Unit of the latest visit (null when not visited).</param>
/// <param name="DepartmentCode">Department of that unit (null when not visited; "" when the unit has none).</param>
/// <param name="VisitFixCount">Number of fixes within r (ready tracks count 1 each).</param>
public sealed record KeyWellVisit(
    string Code,
    Point Location,
    bool Visited,
    DateTimeOffset? LastVisit,
    string? UnitCode,
    string? DepartmentCode,
    int VisitFixCount);

/// <summary>
/// What one department's units drove on one day, computed once by <see cref="PatrolCoverage.DayPart"/> and reusable in any
/// window that holds the whole day (a per-department-day cache): its tracks simplified and de-repeated as patrol coverage does,
/// kept as lines (a few kilobytes, not the buffered polygon: a window de-repeats the lines of all its days again and buffers
/// what is kept once), the tracks, and the key wells visited that day.
/// </summary>
/// <param name="Department">Department of the units.</param>
/// <param name="Day">The China Standard Time day.</param>
/// <param name="Lines">The simplified, de-repeated pieces (LineStrings, Points for lone fixes), metric (the projection of the options it was computed with).</param>
/// <param name="Tracks">The day's tracks of the department (lon/lat).</param>
/// <param name="Visits">Key wells visited that day by the department's units (only visited ones).</param>
public sealed record PatrolDayPart(string Department, DateOnly Day, IReadOnlyList<Geometry> Lines, IReadOnlyList<PatrolTrack> Tracks, IReadOnlyList<KeyWellVisit> Visits);

/// <summary>
/// A blank strip (空白带) of two neighbouring departments: the band within d of their shared boundary, inside the
/// union of their two jurisdictions, minus the patrol coverage of all departments.
/// </summary>
/// <param name="DepartmentA">First department (ordinal order).</param>
/// <param name="DepartmentB">Second department.</param>
/// <param name="Geometry">Uncovered part of the band, lon/lat (possibly empty).</param>
/// <param name="AreaM2">Area of the uncovered part.</param>
/// <param name="BandAreaM2">Area of the whole band.</param>
/// <param name="BoundaryLengthM">Length of the shared boundary (mean of the lengths seen from each side).</param>
/// <param name="UncoveredShare">Uncovered / band area (0 for an empty band).</param>
public sealed record BlankStrip(
    string DepartmentA,
    string DepartmentB,
    Geometry Geometry,
    double AreaM2,
    double BandAreaM2,
    double BoundaryLengthM,
    double UncoveredShare);

/// <summary>A problem found in the input that the analysis worked around.</summary>
/// <param name="Kind">Short machine name, e.g. "invalid_jurisdiction", "unknown_unit".</param>
/// <param name="Message">One line for people.</param>
public sealed record PatrolProblem(string Kind, string Message);
