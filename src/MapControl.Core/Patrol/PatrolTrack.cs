using MapControl.Core.Hotspots;
using MapControl.Core.Crs;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>
/// One patrol track (巡逻轨迹): consecutive GPS fixes of one unit with no break between them.
/// A single isolated fix (or fixes all at one spot) is a degenerate track whose geometry is a Point.
/// </summary>
/// <param name="UnitCode">Patrol unit that drove it ("" when unknown, e.g. a track file without units).</param>
/// <param name="DepartmentCode">Department of the unit ("" when unknown).</param>
/// <param name="Start">Time of the first fix.</param>
/// <param name="End">Time of the last fix.</param>
/// <param name="Geometry">LineString (or Point) in lon/lat, SRID 4326, the raw fixes in time order.</param>
/// <param name="PointCount">Number of fixes in the track.</param>
/// <param name="LengthM">Ground length in metres (sum of the metric distances between consecutive fixes).</param>
/// <param name="SimplifiedM">0 when the geometry holds every fix; else the tolerance it was simplified by (a daily track, <see cref="DailyTracks"/>): patrol coverage does not simplify it again by the same or a smaller tolerance.</param>
public sealed record PatrolTrack(
    string UnitCode,
    string DepartmentCode,
    DateTimeOffset Start,
    DateTimeOffset End,
    Geometry Geometry,
    int PointCount,
    double LengthM,
    double SimplifiedM = 0)
{
    /// <summary>A track read from a file as a ready line (or point, or multi-line) in lon/lat; its length is measured in <paramref name="projection"/>.</summary>
    /// <param name="lonLat">LineString, MultiLineString or Point in lon/lat.</param>
    /// <param name="departmentCode">Department whose unit drove it ("" when unknown).</param>
    /// <param name="unitCode">Unit code ("" when unknown).</param>
    /// <param name="start">Start time when known (default: <see cref="DateTimeOffset.MinValue"/>).</param>
    /// <param name="end">End time when known (default: <see cref="DateTimeOffset.MinValue"/>); used as the key wells' visit time.</param>
    /// <param name="projection">Metric projection for the length (default: Dongying).</param>
    public static PatrolTrack FromGeometry(
        Geometry lonLat,
        string departmentCode,
        string unitCode = "",
        DateTimeOffset? start = null,
        DateTimeOffset? end = null,
        MetricProjection? projection = null)
    {
        ArgumentNullException.ThrowIfNull(lonLat);
        var metric = (projection ?? MetricProjection.Dongying).Forward(lonLat);
        var copy = lonLat.Copy();
        copy.SRID = 4326;
        return new PatrolTrack(unitCode, departmentCode, start ?? DateTimeOffset.MinValue, end ?? start ?? DateTimeOffset.MinValue,
            copy, lonLat.NumPoints, metric.Length);
    }
}

/// <summary>
/// Rules that break GPS fixes into tracks, and the time window taken. The one track rule of MapControl (docs/DEFINITIONS.md,
/// "Tracks"): per unit in time order, a new track starts where consecutive fixes are more than <see cref="MaxTimeGap"/>
/// apart in time, more than <see cref="MaxJumpM"/> metres apart on the ground, or on different China Standard Time
/// (UTC+8) calendar days — a track never crosses midnight China time. The tile and OGC SQL (Data's PatrolTrackSql) is
/// built from <see cref="DefaultMaxTimeGap"/>, <see cref="DefaultMaxJumpM"/> and <see cref="DayUtcOffset"/>.
/// </summary>
/// <param name="MaxTimeGap">Consecutive fixes further apart in time than this start a new track (exactly equal stays; default 10 min).</param>
/// <param name="MaxJumpM">Consecutive fixes further apart than this many metres start a new track (exactly equal stays; default 2 km).</param>
/// <param name="From">Fixes before this instant are ignored (inclusive bound; null = no bound).</param>
/// <param name="To">Fixes at or after this instant are ignored (exclusive bound; null = no bound).</param>
/// <param name="Projection">Metric projection for distances (null: centred on the fixes).</param>
public sealed record TrackOptions(
    TimeSpan? MaxTimeGap = null,
    double MaxJumpM = TrackOptions.DefaultMaxJumpM,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    MetricProjection? Projection = null)
{
    /// <summary>The default maximum time gap, 10 minutes.</summary>
    public static readonly TimeSpan DefaultMaxTimeGap = TimeSpan.FromMinutes(10);

    /// <summary>The default maximum jump between consecutive fixes, 2 km.</summary>
    public const double DefaultMaxJumpM = 2000.0;

    /// <summary>The clock whose calendar days tracks never cross: China Standard Time, UTC+8.</summary>
    public static TimeSpan DayUtcOffset => ChinaTime.Offset;

    /// <summary>The time gap in effect.</summary>
    public TimeSpan EffectiveMaxTimeGap => MaxTimeGap ?? DefaultMaxTimeGap;

    /// <summary>True when the fix's time lies in [From, To).</summary>
    public bool InWindow(GpsFix fix) => InWindow(fix.Time);

    /// <summary>True when <paramref name="time"/> lies in [From, To).</summary>
    public bool InWindow(DateTimeOffset time) => (From is null || time >= From.Value) && (To is null || time < To.Value);

    /// <summary>The China Standard Time calendar day of an instant as a day number (days since 0001-01-01): tracks break where it changes.</summary>
    public static long DayNumber(DateTimeOffset time) => (time.UtcTicks + DayUtcOffset.Ticks) / TimeSpan.TicksPerDay;
}
