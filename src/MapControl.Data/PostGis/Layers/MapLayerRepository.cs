using MapControl.Core.Crs;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Data.Files;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using static MapControl.Data.PostGis.DbCommands;
using static MapControl.Data.PostGis.GeoJsonQuery;

namespace MapControl.Data.PostGis.Layers;

/// <summary>
/// The one map's small layers as GeoJSON FeatureCollections (wells, incidents and tracks are vector tiles). A department's
/// wells, cameras and idle sites are those its current jurisdiction touches (overlaps count for both departments).
/// </summary>
public sealed class MapLayerRepository(NpgsqlDataSource dataSource)
{
    // A feature lies in a department when the department's current jurisdiction intersects it.
    private const string InDepartment = """
        (@dept IS NULL OR EXISTS (SELECT 1 FROM jurisdiction j WHERE j.valid_to IS NULL AND j.department_code = @dept AND ST_Intersects(j.geom, x.geom)))
        """;

    private const string InDepartmentPositional = """
        ($1::text IS NULL OR EXISTS (SELECT 1 FROM jurisdiction j WHERE j.valid_to IS NULL AND j.department_code = $1::text AND ST_Intersects(j.geom, x.geom)))
        """;

    private const string KeyWellsSql = $"SELECT x.code, x.geom, x.kind, x.status, x.is_key, x.oil_zone_code FROM well x WHERE x.is_key AND {InDepartmentPositional} ORDER BY x.code";
    private const string CamerasSql = $"SELECT x.code, x.geom, x.heading_deg, x.fov_deg, x.range_m, x.well_code FROM camera x WHERE {InDepartmentPositional} ORDER BY x.code";

    /// <summary>The projection of camera sectors and of the watched rule (the KPI's default).</summary>
    private static readonly MetricProjection Projection = MetricProjection.Dongying;

    /// <summary>Oil zones.</summary>
    public Task<string> OilZonesAsync(CancellationToken ct) =>
        QueryAsync(dataSource, "SELECT code, name, geom FROM oil_zone ORDER BY code", Empty, ct);

    /// <summary>Jurisdictions in force at <paramref name="at"/> (now when null), with department name and colour.</summary>
    public Task<string> JurisdictionsAsync(string? department, DateTimeOffset? at, CancellationToken ct) =>
        QueryAsync(dataSource, """
            SELECT j.id, j.department_code, d.name AS department_name, d.colour, j.valid_from, j.edited_by, j.reason,
                   round((ST_Area(j.geom::geography) / 1e6)::numeric, 2) AS area_km2, j.geom
            FROM jurisdiction j JOIN department d ON d.code = j.department_code
            WHERE (@dept IS NULL OR j.department_code = @dept)
              AND (CASE WHEN @at IS NULL THEN j.valid_to IS NULL ELSE j.valid_from <= @at AND (j.valid_to IS NULL OR @at < j.valid_to) END)
            ORDER BY j.department_code
            """, new Dictionary<string, object?> { ["dept"] = department, ["at"] = (object?)at ?? new NullOf(NpgsqlDbType.TimestampTz) }, ct);

    /// <summary>One stored version of a jurisdiction, by id.</summary>
    public Task<string> JurisdictionVersionAsync(long id, CancellationToken ct) =>
        QueryAsync(dataSource, """
            SELECT j.id, j.department_code, d.name AS department_name, d.colour, j.valid_from, j.valid_to, j.edited_by, j.reason, j.geom
            FROM jurisdiction j JOIN department d ON d.code = j.department_code WHERE j.id = @id
            """, new Dictionary<string, object?> { ["id"] = id }, ct);

    /// <summary>Current patrol zones.</summary>
    public Task<string> PatrolZonesAsync(string? department, CancellationToken ct) =>
        QueryAsync(dataSource, """
            SELECT p.id, p.code, p.name, p.department_code, d.name AS department_name, d.colour, p.valid_from, p.edited_by, p.reason, p.geom
            FROM patrol_zone p JOIN department d ON d.code = p.department_code
            WHERE p.valid_to IS NULL AND (@dept IS NULL OR p.department_code = @dept)
            ORDER BY p.code
            """, Dept(department), ct);

    /// <summary>One stored version of a patrol zone, by id.</summary>
    public Task<string> PatrolZoneVersionAsync(long id, CancellationToken ct) =>
        QueryAsync(dataSource, """
            SELECT p.id, p.code, p.name, p.department_code, d.name AS department_name, d.colour, p.valid_from, p.valid_to, p.edited_by, p.reason, p.geom
            FROM patrol_zone p JOIN department d ON d.code = p.department_code WHERE p.id = @id
            """, new Dictionary<string, object?> { ["id"] = id }, ct);

    /// <summary>Key wells with whether a camera watches them (<see cref="CameraSector.WatchedKeyWells"/>, the KPI's rule).</summary>
    public async Task<string> KeyWellsAsync(string? department, CancellationToken ct)
    {
        var wells = await QueryAsync(dataSource, KeyWellsSql, ReadWell, ct, department).ConfigureAwait(false);
        var cameras = await new CameraRepository(dataSource).GetAllAsync(ct).ConfigureAwait(false);
        var watched = CameraSector.WatchedKeyWells(wells, cameras, Projection);
        return FeatureJson.Collection(wells.Select(w => ((Geometry)w.Location, (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["code"] = w.Code, ["kind"] = w.Kind.Code, ["status"] = DomainNames.ToName(w.Status),
            ["oil_zone_code"] = w.OilZoneCode, ["is_key"] = true, ["watched"] = watched.Contains(w.Code),
        })));
    }

    /// <summary>Cameras as their view sectors (<see cref="CameraSector"/>: heading ± fov/2 out to range).</summary>
    public async Task<string> CamerasAsync(string? department, CancellationToken ct)
    {
        var cameras = await QueryAsync(dataSource, CamerasSql, CameraRepository.Read, ct, department).ConfigureAwait(false);
        return FeatureJson.Collection(cameras.Select(c => ((Geometry)CameraSector.LonLat(c, Projection), (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["code"] = c.Code, ["heading_deg"] = c.HeadingDeg, ["fov_deg"] = c.FieldOfViewDeg, ["range_m"] = c.RangeM, ["well_code"] = c.WellCode,
        })).Where(f => !f.Item1.IsEmpty));
    }

    /// <summary>Idle sites with status.</summary>
    public Task<string> IdleSitesAsync(string? department, CancellationToken ct) =>
        QueryAsync(dataSource, $"""
            SELECT x.code, x.name, x.kind, x.status, x.encroached_on, x.reclaimed_on, x.geom
            FROM idle_site x WHERE {InDepartment}
            """, Dept(department), ct);

    /// <summary>The offline basemap (coast, sea, Yellow River, roads, towns).</summary>
    public Task<string> BasemapAsync(CancellationToken ct) =>
        QueryAsync(dataSource, """
            SELECT id, layer, name, kind, geom FROM basemap_feature
            ORDER BY CASE layer WHEN 'sea' THEN 0 WHEN 'coast' THEN 1 WHEN 'river' THEN 2 WHEN 'road' THEN 3 ELSE 4 END, id
            """, Empty, ct);

    private static Well ReadWell(NpgsqlDataReader r) => new(r.GetString(0), r.GetFieldValue<Point>(1), new WellKind(r.GetString(2)),
        Parse<WellStatus>(r, 3), r.GetBoolean(4), r.GetString(5));

    private static Dictionary<string, object?> Dept(string? department) => new() { ["dept"] = department };

    private static readonly Dictionary<string, object?> Empty = new();
}
