namespace MapControl.Data.PostGis.Sql;

/// <summary>SQL that builds patrol tracks from GPS points: per unit and UTC day, broken where points are more than 10 min or 2 km apart.</summary>
public static class PatrolTrackSql
{
    /// <summary>Points farther apart in time than this start a new track.</summary>
    public static readonly TimeSpan MaxGap = TimeSpan.FromMinutes(10);

    /// <summary>Points farther apart in space (metres) than this start a new track.</summary>
    public const double MaxJumpM = 2000;

    /// <summary>
    /// Tracks of the points with recorded_at in [@from, @to) (both bound timestamptz parameters), optionally for one unit
    /// (@unit, text, null for all). Columns: id (unit.day.segment), unit_code, department_code, day (text), segment (int),
    /// started_at, ended_at, points (int), geom (LineString, 4326). Tracks of fewer than 2 points are left out.
    /// </summary>
    public const string Tracks = """
        WITH p AS (
            SELECT unit_code, department_code, recorded_at, geom,
                   (recorded_at AT TIME ZONE 'UTC')::date AS day,
                   lag(recorded_at) OVER w AS prev_at,
                   lag(geom) OVER w AS prev_geom
            FROM gps_point
            WHERE recorded_at >= @from AND recorded_at < @to AND (@unit::text IS NULL OR unit_code = @unit::text)
            WINDOW w AS (PARTITION BY unit_code, (recorded_at AT TIME ZONE 'UTC')::date ORDER BY recorded_at)
        ), s AS (
            SELECT p.*, sum(CASE WHEN prev_at IS NULL
                                   OR recorded_at - prev_at > interval '10 minutes'
                                   OR ST_DistanceSphere(geom, prev_geom) > 2000 THEN 1 ELSE 0 END)
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
