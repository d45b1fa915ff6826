using System.Globalization;
using MapControl.Core.Model;
using Npgsql;
using NpgsqlTypes;
using static MapControl.Web.Apis.GeoJsonSql;

namespace MapControl.Web.Apis;

/// <summary>A lon/lat box (west, south, east, north) parsed from <c>bbox=w,s,e,n</c>.</summary>
public sealed record BoundingBox(double West, double South, double East, double North)
{
    /// <summary>The whole lon/lat range.</summary>
    public static BoundingBox World { get; } = new(-180, -90, 180, 90);

    /// <summary>Parses <c>w,s,e,n</c>; null when absent or malformed.</summary>
    public static BoundingBox? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',');
        if (parts.Length != 4) return null;
        var v = new double[4];
        for (var i = 0; i < 4; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i])) return null;
        return new BoundingBox(Math.Max(-180, v[0]), Math.Max(-90, v[1]), Math.Min(180, v[2]), Math.Min(90, v[3]));
    }
}

/// <summary>The map's small layers as GeoJSON straight from PostGIS (wells, incidents and tracks are vector tiles).</summary>
public sealed class LayerQueries(NpgsqlDataSource dataSource)
{
    // A point lies in a department when the department's current jurisdiction contains it.
    private const string PointInDepartment = """
        (@dept IS NULL OR EXISTS (SELECT 1 FROM jurisdiction j WHERE j.valid_to IS NULL AND j.department_code = @dept AND ST_Intersects(j.geom, x.geom)))
        """;

    /// <summary>Departments with their colours.</summary>
    public async Task<IReadOnlyList<Department>> DepartmentsAsync(CancellationToken ct)
    {
        var list = new List<Department>();
        await using var cmd = dataSource.CreateCommand("SELECT code, name, colour FROM department ORDER BY code");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(new Department(r.GetString(0), r.GetString(1), r.GetString(2)));
        return list;
    }

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
        QueryAsync(dataSource, $"""
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

    /// <summary>Key wells with whether a camera watches them.</summary>
    public Task<string> KeyWellsAsync(string? department, CancellationToken ct) =>
        QueryAsync(dataSource, $"""
            SELECT x.code, x.kind, x.status, x.oil_zone_code, true AS is_key,
                   EXISTS (SELECT 1 FROM camera c WHERE c.well_code = x.code) AS watched, x.geom
            FROM well x WHERE x.is_key AND {PointInDepartment}
            """, Dept(department), ct);

    /// <summary>Cameras as their view sectors (heading ± fov/2 out to range) with the camera point.</summary>
    public Task<string> CamerasAsync(string? department, CancellationToken ct) =>
        QueryAsync(dataSource, $"""
            SELECT x.code, x.heading_deg, x.fov_deg, x.range_m, x.well_code,
                   ST_MakePolygon(ST_MakeLine(ARRAY[x.geom] || ARRAY(
                       SELECT ST_Project(x.geom::geography, x.range_m, radians(x.heading_deg - x.fov_deg / 2 + x.fov_deg * i / 12.0))::geometry
                       FROM generate_series(0, 12) i) || ARRAY[x.geom])) AS geom
            FROM camera x WHERE {PointInDepartment}
            """, Dept(department), ct);

    /// <summary>Idle sites with status.</summary>
    public Task<string> IdleSitesAsync(string? department, CancellationToken ct) =>
        QueryAsync(dataSource, $"""
            SELECT x.code, x.name, x.kind, x.status, x.encroached_on, x.reclaimed_on, x.geom
            FROM idle_site x WHERE (@dept IS NULL OR EXISTS (SELECT 1 FROM jurisdiction j WHERE j.valid_to IS NULL AND j.department_code = @dept AND ST_Intersects(j.geom, x.geom)))
            """, Dept(department), ct);

    /// <summary>The offline basemap (coast, sea, Yellow River, roads, towns).</summary>
    public Task<string> BasemapAsync(CancellationToken ct) =>
        QueryAsync(dataSource, """
            SELECT id, layer, name, kind, geom FROM basemap_feature
            ORDER BY CASE layer WHEN 'sea' THEN 0 WHEN 'coast' THEN 1 WHEN 'river' THEN 2 WHEN 'road' THEN 3 ELSE 4 END, id
            """, Empty, ct);

    private static Dictionary<string, object?> Dept(string? department) => new() { ["dept"] = department };

    private static readonly Dictionary<string, object?> Empty = new();
}
