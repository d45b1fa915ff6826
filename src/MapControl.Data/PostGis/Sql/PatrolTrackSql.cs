using System.Globalization;
using MapControl.Core.Hotspots;
using MapControl.Core.Patrol;

namespace MapControl.Data.PostGis.Sql;

/// <summary>
/// SQL that builds patrol tracks from GPS points by Core's one track rule (<see cref="TrackOptions"/>, as
/// <see cref="TrackBuilder"/> does): per unit and China Standard Time day, broken where consecutive points are more than
/// <see cref="TrackOptions.DefaultMaxTimeGap"/> or <see cref="TrackOptions.DefaultMaxJumpM"/> metres apart. The thresholds
/// and the day's offset are written into the SQL from those Core values; nothing here holds a number of its own.
/// </summary>
public static class PatrolTrackSql
{
    /// <summary>The rule in words, for layer and collection descriptions (built from the same Core values).</summary>
    public static string Rule { get; } = string.Create(CultureInfo.InvariantCulture,
        $"per unit and China Standard Time (UTC{Offset(TrackOptions.DayUtcOffset)}) day, broken where consecutive points are more than " +
        $"{TrackOptions.DefaultMaxTimeGap.TotalMinutes:0.###} min or {TrackOptions.DefaultMaxJumpM / 1000:0.###} km apart");

    /// <summary>
    /// Tracks of the points with recorded_at in [@from, @to) (both bound timestamptz parameters), optionally for one unit
    /// (@unit, text, null for all). Columns: id (unit.day.segment), unit_code, department_code, day (text, the China
    /// Standard Time date), segment (int, from 1 within the day), started_at, ended_at, points (int), geom (LineString, 4326).
    /// Tracks of fewer than 2 points (Core keeps them as Point tracks) are left out: a layer of lines has nothing to draw.
    /// The distance is the geodesic on the WGS84 spheroid (geography); Core measures in a transverse Mercator centred on the
    /// data, which agrees within 0.01% over the oilfield, so the two differ only for a jump within ~0.2 m of the limit.
    /// </summary>
    public static string Tracks { get; } = Build(TrackOptions.DefaultMaxTimeGap, TrackOptions.DefaultMaxJumpM, TrackOptions.DayUtcOffset, near: false);

    /// <summary>
    /// <see cref="Tracks"/> limited to the unit-days with a fix inside the envelope (@west, @south, @east, @north: double, degrees):
    /// the same tracks, whole, for every unit-day that can reach it. Pass an envelope grown by <see cref="NearMarginDegrees"/> around
    /// the area of interest (a vector tile with its buffer): consecutive fixes of one track are at most
    /// <see cref="TrackOptions.DefaultMaxJumpM"/> apart, so every track that crosses the area has a fix within that distance of it.
    /// A tile of a 3-day window read 61,200 fixes and built 180 tracks to draw 21 (1.6 s); this reads the fixes of those 21 only.
    /// </summary>
    public static string TracksNear { get; } = Build(TrackOptions.DefaultMaxTimeGap, TrackOptions.DefaultMaxJumpM, TrackOptions.DayUtcOffset, near: true);

    /// <summary>
    /// The margin (degrees of latitude, of longitude) that covers <see cref="TrackOptions.DefaultMaxJumpM"/> on the ground around an
    /// envelope reaching <paramref name="maxAbsLatitude"/>: a degree of latitude is at least 110,574 m, one of longitude at least
    /// 111,319 m × cos(latitude) (WGS84); 1% more for safety.
    /// </summary>
    public static (double Lat, double Lon) NearMarginDegrees(double maxAbsLatitude)
    {
        var jump = TrackOptions.DefaultMaxJumpM * 1.01;
        var cos = Math.Cos(Math.Min(Math.Abs(maxAbsLatitude), 85) * Math.PI / 180);
        return (jump / 110_574, jump / (111_319 * cos));
    }

    /// <summary>The [from, to) window of the China Standard Time day of a track id's <c>day</c> part.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) DayWindow(DateOnly day)
    {
        var start = ChinaTime.StartOf(day);
        return (start, start.AddDays(1));
    }

    private static string Build(TimeSpan maxGap, double maxJumpM, TimeSpan dayOffset, bool near)
    {
        var gap = maxGap.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
        var jump = maxJumpM.ToString("R", CultureInfo.InvariantCulture);
        var offset = dayOffset.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
        var nearJump = (0.99 * maxJumpM).ToString("R", CultureInfo.InvariantCulture);
        var day = $"((recorded_at AT TIME ZONE 'UTC') + interval '{offset} seconds')::date";
        // Near an envelope: the unit-days with a fix in it, then all of their fixes in the window (by the (unit, time) key).
        var source = near
            ? $"""
                (SELECT g.* FROM (SELECT DISTINCT unit_code, {day} AS day FROM gps_point
                                  WHERE recorded_at >= @from AND recorded_at < @to AND (@unit::text IS NULL OR unit_code = @unit::text)
                                    AND geom && ST_MakeEnvelope(@west, @south, @east, @north, 4326)) n
                 JOIN gps_point g ON g.unit_code = n.unit_code
                  AND g.recorded_at >= greatest(@from, (n.day::timestamp - interval '{offset} seconds') AT TIME ZONE 'UTC')
                  AND g.recorded_at < least(@to, (n.day::timestamp + interval '1 day' - interval '{offset} seconds') AT TIME ZONE 'UTC')) g
              """
            : "gps_point";
        return $"""
            WITH p AS (
                SELECT unit_code, department_code, recorded_at, geom,
                       {day} AS day,
                       lag(recorded_at) OVER w AS prev_at,
                       lag(geom) OVER w AS prev_geom
                FROM {source}
                WHERE recorded_at >= @from AND recorded_at < @to AND (@unit::text IS NULL OR unit_code = @unit::text)
                WINDOW w AS (PARTITION BY unit_code, {day} ORDER BY recorded_at)
            ), s AS (
                SELECT p.*, sum(CASE WHEN prev_at IS NULL
                                       OR recorded_at - prev_at > interval '{gap} seconds'
                                       OR (ST_DistanceSphere(geom, prev_geom) > {nearJump}
                                           AND ST_Distance(geom::geography, prev_geom::geography) > {jump}) THEN 1 ELSE 0 END)
                            OVER (PARTITION BY unit_code, day ORDER BY recorded_at) AS segment
                FROM p
            )
            SELECT unit_code || '.' || day::text || '.' || segment::text AS id,
                   unit_code, department_code, day::text AS day, segment::int AS segment,
                   min(recorded_at) AS started_at, max(recorded_at) AS ended_at, count(*)::int AS points,
                   ST_MakeLine(geom ORDER BY recorded_at) AS geom
            FROM s
            GROUP BY unit_code, department_code, day, segment
            HAVING count(*) >= 2
            """;
    }

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
