using MapControl.Data.PostGis;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>Reads the domain records the analyses need (oil zones, current jurisdictions, wells, incidents of a window).</summary>
public sealed class DomainReader(NpgsqlDataSource dataSource)
{
    /// <summary>All oil zones.</summary>
    public async Task<IReadOnlyList<OilZone>> OilZonesAsync(CancellationToken ct)
    {
        var list = new List<OilZone>();
        await using var cmd = dataSource.CreateCommand("SELECT code, name, geom FROM oil_zone ORDER BY code");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(new OilZone(r.GetString(0), r.GetString(1), r.GetFieldValue<MultiPolygon>(2)));
        return list;
    }

    /// <summary>The jurisdictions in force now, one per department.</summary>
    public async Task<IReadOnlyList<Jurisdiction>> CurrentJurisdictionsAsync(CancellationToken ct)
    {
        var list = new List<Jurisdiction>();
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, department_code, geom, valid_from, valid_to, edited_by, reason FROM jurisdiction WHERE valid_to IS NULL ORDER BY department_code");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new Jurisdiction(r.GetInt64(0), r.GetString(1), r.GetFieldValue<MultiPolygon>(2),
                new VersionInfo(r.GetFieldValue<DateTimeOffset>(3), r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), r.GetString(6))));
        return list;
    }

    /// <summary>Every stored version of every jurisdiction (KPIs attribute an incident to the version in force at its time).</summary>
    public async Task<IReadOnlyList<Jurisdiction>> AllJurisdictionsAsync(CancellationToken ct)
    {
        var list = new List<Jurisdiction>();
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, department_code, geom, valid_from, valid_to, edited_by, reason FROM jurisdiction ORDER BY department_code, valid_from");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new Jurisdiction(r.GetInt64(0), r.GetString(1), r.GetFieldValue<MultiPolygon>(2),
                new VersionInfo(r.GetFieldValue<DateTimeOffset>(3), r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), r.GetString(6))));
        return list;
    }

    /// <summary>All cameras.</summary>
    public async Task<IReadOnlyList<Camera>> CamerasAsync(CancellationToken ct)
    {
        var list = new List<Camera>();
        await using var cmd = dataSource.CreateCommand("SELECT code, geom, heading_deg, fov_deg, range_m, well_code FROM camera");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new Camera(r.GetString(0), r.GetFieldValue<Point>(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5)));
        return list;
    }

    /// <summary>All idle sites.</summary>
    public async Task<IReadOnlyList<IdleSite>> IdleSitesAsync(CancellationToken ct)
    {
        var list = new List<IdleSite>();
        await using var cmd = dataSource.CreateCommand("SELECT code, name, kind, geom, status, encroached_on, reclaimed_on FROM idle_site");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new IdleSite(r.GetString(0), r.GetString(1), DomainNames.Parse<IdleSiteKind>(r.GetString(2)), r.GetFieldValue<Polygon>(3),
                DomainNames.Parse<IdleSiteStatus>(r.GetString(4)), r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6)));
        return list;
    }

    /// <summary>The current patrol zones.</summary>
    public async Task<IReadOnlyList<PatrolZone>> CurrentPatrolZonesAsync(CancellationToken ct)
    {
        var list = new List<PatrolZone>();
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, code, department_code, name, geom, valid_from, valid_to, edited_by, reason FROM patrol_zone WHERE valid_to IS NULL ORDER BY code");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new PatrolZone(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<Polygon>(4),
                new VersionInfo(r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetString(7), r.GetString(8))));
        return list;
    }

    /// <summary>All wells.</summary>
    public async Task<IReadOnlyList<Well>> WellsAsync(CancellationToken ct)
    {
        var list = new List<Well>();
        await using var cmd = dataSource.CreateCommand("SELECT code, geom, kind, status, is_key, oil_zone_code FROM well");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new Well(r.GetString(0), r.GetFieldValue<Point>(1), DomainNames.Parse<WellKind>(r.GetString(2)),
                DomainNames.Parse<WellStatus>(r.GetString(3)), r.GetBoolean(4), r.GetString(5)));
        return list;
    }

    /// <summary>Incidents that occurred in [from, to), optionally of one department.</summary>
    public async Task<IReadOnlyList<(Incident Incident, string? Department)>> IncidentsAsync(DateTimeOffset from, DateTimeOffset to,
        string? department, CancellationToken ct)
    {
        var list = new List<(Incident, string?)>();
        await using var cmd = dataSource.CreateCommand("""
            SELECT code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code
            FROM incident WHERE occurred_at >= @from AND occurred_at < @to AND (@dept IS NULL OR department_code = @dept)
            """);
        cmd.Parameters.Add(GeoJsonSql.Parameter("from", from));
        cmd.Parameters.Add(GeoJsonSql.Parameter("to", to));
        cmd.Parameters.Add(GeoJsonSql.Parameter("dept", department));
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add((new Incident(r.GetString(0), DomainNames.Parse<IncidentKind>(r.GetString(1)), r.GetFieldValue<DateTimeOffset>(2),
                r.GetFieldValue<DateTimeOffset>(3), DomainNames.Parse<DiscoverySource>(r.GetString(4)), r.GetFieldValue<Point>(5),
                r.GetDouble(6), DomainNames.Parse<IncidentStatus>(r.GetString(7))), r.IsDBNull(8) ? null : r.GetString(8)));
        return list;
    }

    /// <summary>GPS fixes recorded in [from, to) (position and time only), ordered by unit and time.</summary>
    public async Task<IReadOnlyList<GpsFix>> GpsFixesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var list = new List<GpsFix>();
        await using var cmd = dataSource.CreateCommand("""
            SELECT unit_code, recorded_at, ST_X(geom), ST_Y(geom) FROM gps_point
            WHERE recorded_at >= @from AND recorded_at < @to ORDER BY unit_code, recorded_at
            """);
        cmd.Parameters.Add(GeoJsonSql.Parameter("from", from));
        cmd.Parameters.Add(GeoJsonSql.Parameter("to", to));
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new GpsFix(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetDouble(2), r.GetDouble(3)));
        return list;
    }

    /// <summary>
    /// A text that changes when a patrol analysis of a window (patrol hours, patrol coverage) can change: the number and
    /// latest time of the window's GPS fixes (fixes are only ever added, so every ingest into the window changes it) and
    /// the change versions of jurisdictions, wells and patrol units (migration 0002). One round trip of index scans.
    /// </summary>
    public async Task<string> PatrolInputMarkerAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT concat_ws('/', count(*), max(recorded_at), {DataChange.VersionsSql("jurisdiction", "well", "patrol_unit")})
            FROM gps_point WHERE recorded_at >= @from AND recorded_at < @to
            """);
        cmd.Parameters.Add(GeoJsonSql.Parameter("from", from));
        cmd.Parameters.Add(GeoJsonSql.Parameter("to", to));
        return (string)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>The latest incident time (the data's "now" for default windows), or null when there are none.</summary>
    public async Task<DateTimeOffset?> LatestIncidentAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT max(occurred_at) FROM incident");
        var v = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return v is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : null;
    }
}
