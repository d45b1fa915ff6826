using System.Globalization;
using MapControl.Core.Alerts;
using MapControl.Core.Model;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.Alerts;

/// <summary>What the live feed and the alert rules read from the store: recent fixes, areas, key-well visits (thresholds: <see cref="AlertThresholdRepository"/>).</summary>
public sealed class LiveSource(NpgsqlDataSource dataSource)
{
    private const string RecentFixesSql = """
        SELECT unit_code, recorded_at, ST_X(geom), ST_Y(geom), speed_kmh, bearing FROM gps_point
        WHERE recorded_at >= $1 AND recorded_at <= $2 ORDER BY unit_code, recorded_at
        """;
    private const string FixesOfSpansSql = """
        SELECT g.unit_code, g.recorded_at, ST_X(g.geom), ST_Y(g.geom), g.speed_kmh, g.bearing
        FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) s(unit_code, f, t)
        JOIN gps_point g ON g.unit_code = s.unit_code AND g.recorded_at >= s.f AND g.recorded_at <= s.t
        ORDER BY g.unit_code, g.recorded_at
        """;
    private const string ReportingSinceSql = """
        SELECT department_code, min(recorded_at) FROM gps_point WHERE recorded_at >= $1 AND recorded_at <= $2 GROUP BY department_code
        """;
    // The latest fix within r of each key well since a time: one index scan per key well (GiST on geom, then the exact distance).
    private const string KeyWellVisitsSql = """
        SELECT w.code, v.at FROM well w
        CROSS JOIN LATERAL (
            SELECT max(g.recorded_at) AS at FROM gps_point g
            WHERE g.recorded_at >= $1 AND g.recorded_at <= $2
              AND g.geom && ST_Expand(w.geom, $3 / 80000.0)
              AND ST_DWithin(g.geom::geography, w.geom::geography, $3)) v
        WHERE w.is_key AND v.at IS NOT NULL
        """;

    /// <summary>Fixes of every unit in [from, to], by unit and time.</summary>
    public async Task<IReadOnlyList<GpsFix>> RecentFixesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, RecentFixesSql, ReadFix, cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);

    /// <summary>Fixes of each unit in its span [From, To], by unit and time.</summary>
    public async Task<IReadOnlyList<GpsFix>> FixesAsync(IReadOnlyCollection<UnitSpan> spans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) return [];
        return await QueryAsync(dataSource, FixesOfSpansSql, ReadFix, cancellationToken, spans.Select(s => s.Unit).ToArray(),
            spans.Select(s => Utc(s.From)).ToArray(), spans.Select(s => Utc(s.To)).ToArray()).ConfigureAwait(false);
    }

    private static GpsFix ReadFix(NpgsqlDataReader r) => new(r.GetString(0), r.GetUtc(1), r.GetDouble(2), r.GetDouble(3),
        r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5));

    /// <summary>Per department, its earliest fix in [from, to] (how long its units have been reporting).</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ReportingSinceAsync(DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, ReportingSinceSql, r => (r.GetString(0), r.GetUtc(1)), cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);

    /// <summary>Per key well, the latest fix within <paramref name="radiusM"/> in [from, to].</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> KeyWellVisitsAsync(double radiusM, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, KeyWellVisitsSql, r => (r.GetString(0), r.GetUtc(1)), cancellationToken, Utc(from), Utc(to), radiusM)
            .ConfigureAwait(false)).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);

    /// <summary>Each department's area (current jurisdiction ∪ current patrol zones), lon/lat, with its name.</summary>
    public async Task<IReadOnlyList<(string Code, string Name, Geometry Area)>> DepartmentAreasAsync(CancellationToken cancellationToken = default)
    {
        var departments = await new DepartmentRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false);
        var jurisdictions = await new JurisdictionRepository(dataSource).GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var zones = await new PatrolZoneRepository(dataSource).GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var areas = new List<(string, string, Geometry)>();
        foreach (var d in departments)
        {
            var parts = jurisdictions.Where(j => j.DepartmentCode == d.Code).Select(j => (Geometry)j.Geometry)
                .Concat(zones.Where(z => z.DepartmentCode == d.Code).Select(z => (Geometry)z.Geometry)).ToList();
            if (parts.Count == 0) continue;
            areas.Add((d.Code, d.Name, parts.Count == 1 ? parts[0] : NetTopologySuite.Operation.Union.UnaryUnionOp.Union(parts)));
        }
        return areas;
    }
}

/// <summary>The outcome of posting a camera event: the alert it opened or joined, and whether the event was new.</summary>
public sealed record VideoEventResult(long AlertId, bool NewEvent, bool NewAlert, Alert? Alert, string? Error);

/// <summary>
/// Camera events posted by the video platform (<c>POST /ingest/events</c>): idempotent on (camera or position, kind, time); the
/// event opens a <c>video_event</c> alert or joins the open one of the same camera and kind, attributed to the department whose
/// jurisdiction holds the camera (the one attribution rule).
/// </summary>
public sealed class VideoEventIntake(NpgsqlDataSource dataSource)
{
    private const string FindEventSql = "SELECT alert_id FROM video_event WHERE event_key = $1";
    private const string CameraSql = "SELECT ST_X(geom), ST_Y(geom), well_code FROM camera WHERE code = $1";
    private const string InsertEventSql = """
        INSERT INTO video_event (event_key, camera_code, kind, at, geom, received_by, alert_id)
        VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326), $7, $8) ON CONFLICT (event_key) DO NOTHING
        """;

    /// <summary>Records an event from a camera (or at a position when <paramref name="cameraCode"/> is null).</summary>
    public async Task<VideoEventResult> RecordAsync(string? cameraCode, string kind, DateTimeOffset at, double? lon, double? lat, string receivedBy,
        CancellationToken cancellationToken = default)
    {
        kind = kind.Trim();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        string? well = null;
        double x, y;
        if (cameraCode is not null)
        {
            var camera = (await QueryAsync(connection, CameraSql, r => (r.GetDouble(0), r.GetDouble(1), r.GetStringOrNull(2)), cancellationToken, cameraCode)
                .ConfigureAwait(false)).SingleOrDefault();
            if (camera == default) return new VideoEventResult(0, false, false, null, $"unknown camera '{cameraCode}'");
            (x, y, well) = camera;
        }
        else
        {
            (x, y) = (lon!.Value, lat!.Value);
        }
        var key = string.Create(CultureInfo.InvariantCulture,
            $"{cameraCode ?? $"{x:0.000000},{y:0.000000}"}|{kind}|{at.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fffZ}");
        var known = (await QueryAsync(connection, FindEventSql, r => r.GetInt64(0), cancellationToken, key).ConfigureAwait(false)).SingleOrDefault();
        if (known != 0) return new VideoEventResult(known, false, false, null, null);
        var attribution = await IncidentRepository.LoadAttributionAsync(connection, cancellationToken).ConfigureAwait(false);
        var department = attribution.DepartmentAt(new Point(x, y) { SRID = Srid }, at);
        var opened = await AlertRepository.OpenAsync(connection, AlertRules.VideoEvent(cameraCode, well, kind, at, x, y, department), cancellationToken)
            .ConfigureAwait(false);
        var inserted = await ExecuteAsync(connection, InsertEventSql, cancellationToken, key, cameraCode, kind, Utc(at), x, y, receivedBy, opened.Alert.Id)
            .ConfigureAwait(false);
        if (inserted == 0)
        {
            // The same event arrived twice at once: the other request's transaction holds it; answer with its alert.
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            var other = (await QueryAsync(dataSource, FindEventSql, r => r.GetInt64(0), cancellationToken, key).ConfigureAwait(false)).SingleOrDefault();
            return new VideoEventResult(other, false, false, null, null);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new VideoEventResult(opened.Alert.Id, true, opened.Opened, opened.Alert, null);
    }
}
