namespace MapControl.Data.PostGis.Tiles;

/// <summary>How a vector tile layer filters by time.</summary>
public enum TileTimeFilter
{
    /// <summary>The layer has no time.</summary>
    None,
    /// <summary>Rows are filtered on a timestamp column (incidents by occurred_at, GPS points by recorded_at).</summary>
    Column,
    /// <summary>Tracks are built from the GPS points in the window.</summary>
    Tracks,
}

/// <summary>One layer of the vector tile endpoint: its name, its SQL source and the zooms it is served at.</summary>
/// <param name="Name">Layer name in URLs and inside the tile (e.g. "wells").</param>
/// <param name="Description">What the layer shows, for TileJSON.</param>
/// <param name="Source">A FROM item (table or sub-query) with columns geom (EPSG:4326) and the attribute columns.</param>
/// <param name="Attributes">Attribute column names written into the tile, with their TileJSON type.</param>
/// <param name="TimeColumn">The timestamp column filtered by from/to, or null.</param>
/// <param name="TimeFilter">How from/to apply.</param>
/// <param name="MinZoom">Lowest zoom served.</param>
/// <param name="MaxZoom">Highest zoom served.</param>
/// <param name="GeometryType">Point, LineString or Polygon, for TileJSON clients.</param>
/// <param name="Tables">The tables <paramref name="Source"/> reads: their <c>data_change</c> versions (by day over the window for a
/// windowed layer, <see cref="DataDayVersions"/>) key the layer's cached tiles.</param>
public sealed record TileLayer(string Name, string Description, string Source, IReadOnlyList<TileAttribute> Attributes,
    string? TimeColumn, TileTimeFilter TimeFilter, int MinZoom, int MaxZoom, string GeometryType, IReadOnlyList<string> Tables)
{
    /// <summary>
    /// Below this zoom the layer's points are served aggregated (<see cref="VectorTileSql.Aggregated"/>): one feature per cell of
    /// <see cref="VectorTileSql.AggregateCell"/> tile units and department, with its count, its most frequent kind and its kinds
    /// (docs/DEFINITIONS.md "Incidents tile below z13"). Null: never.
    /// </summary>
    public int? AggregateBelowZoom { get; init; }

    /// <summary>True when a tile of zoom <paramref name="z"/> is served aggregated.</summary>
    public bool AggregatesAt(int z) => AggregateBelowZoom is { } below && z < below;
}

/// <summary>An attribute of a tile layer and its TileJSON field type ("String", "Number", "Boolean").</summary>
/// <param name="Column">Attribute name in the tile.</param>
/// <param name="Type">TileJSON type.</param>
/// <param name="Expression">SQL expression over the source alias <c>t</c>; null means the column itself.</param>
public sealed record TileAttribute(string Column, string Type, string? Expression = null)
{
    /// <summary>The SQL select item.</summary>
    public string SelectItem => Expression is null ? $"t.{Column}" : $"{Expression} AS {Column}";
}

/// <summary>The allow-list of vector tile layers: identifiers in tile SQL come only from here.</summary>
public static class TileLayers
{
    /// <summary>Wells (油井).</summary>
    public const string Wells = "wells";
    /// <summary>Incidents (案件), filterable by occurred_at.</summary>
    public const string Incidents = "incidents";
    /// <summary>Raw GPS points, filterable by recorded_at.</summary>
    public const string Gps = "gps";
    /// <summary>Patrol tracks built from GPS points by Core's track rule (<see cref="Sql.PatrolTrackSql"/>), filterable by time.</summary>
    public const string Tracks = "tracks";
    /// <summary>Current jurisdictions (辖区).</summary>
    public const string Jurisdictions = "jurisdictions";
    /// <summary>Current patrol zones (巡区).</summary>
    public const string PatrolZones = "patrol-zones";
    /// <summary>Idle sites (闲置场地).</summary>
    public const string IdleSites = "idle-sites";
    /// <summary>Oil zones (油区).</summary>
    public const string OilZones = "oil-zones";
    /// <summary>Cameras (监控点).</summary>
    public const string Cameras = "cameras";
    /// <summary>Planned patrol routes.</summary>
    public const string PatrolRoutes = "patrol-routes";

    private static TileAttribute S(string c) => new(c, "String");
    private static TileAttribute N(string c) => new(c, "Number");
    private static TileAttribute B(string c) => new(c, "Boolean");
    private static TileAttribute T(string c) => new(c, "String", $"to_char(t.{c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    private static TileAttribute D(string c) => new(c, "String", $"t.{c}::text");

    private static readonly TileLayer[] _all =
    [
        new(Wells, "Wells with kind, status and key-well flag", "well", [S("code"), S("kind"), S("status"), B("is_key"), S("oil_zone_code")],
            null, TileTimeFilter.None, 8, 22, "Point", ["well"]),
        new(Incidents, "Incidents; ?from=&to= filter occurred_at; below z13 one point per 16-pixel cell and department with count, kind (the most frequent) and kinds", "incident",
            [S("code"), S("kind"), T("occurred_at"), S("discovered_by"), N("oil_recovered_t"), S("status"), S("department_code"), S("oil_zone_code")],
            "occurred_at", TileTimeFilter.Column, 6, 22, "Point", ["incident"]) { AggregateBelowZoom = 13 },
        new(Gps, "Raw patrol GPS points; ?from=&to= filter recorded_at (default: last 24 h)", "gps_point",
            [S("unit_code"), S("department_code"), T("recorded_at"), N("speed_kmh"), N("bearing")],
            "recorded_at", TileTimeFilter.Column, 10, 22, "Point", ["gps_point"]),
        new(Tracks, "Patrol tracks from GPS points, " + Sql.PatrolTrackSql.Rule + "; ?from=&to= (default: last 7 days)",
            "(" + Sql.PatrolTrackSql.TracksNear + ")",
            [S("id"), S("unit_code"), S("department_code"), S("day"), N("segment"), T("started_at"), T("ended_at"), N("points")],
            null, TileTimeFilter.Tracks, 6, 22, "LineString", ["gps_point"]),
        new(Jurisdictions, "Current department jurisdictions", "(SELECT j.id, j.department_code, d.name AS department_name, d.colour, j.valid_from, j.geom FROM jurisdiction j JOIN department d ON d.code = j.department_code WHERE j.valid_to IS NULL)",
            [N("id"), S("department_code"), S("department_name"), S("colour"), T("valid_from")], null, TileTimeFilter.None, 4, 22, "Polygon", ["jurisdiction", "department"]),
        new(PatrolZones, "Current patrol zones", "(SELECT id, code, department_code, name, geom FROM patrol_zone WHERE valid_to IS NULL)",
            [N("id"), S("code"), S("department_code"), S("name")], null, TileTimeFilter.None, 6, 22, "Polygon", ["patrol_zone"]),
        new(IdleSites, "Idle sites with status", "idle_site", [S("code"), S("name"), S("kind"), S("status"), D("encroached_on"), D("reclaimed_on")],
            null, TileTimeFilter.None, 8, 22, "Polygon", ["idle_site"]),
        new(OilZones, "Oil zones", "oil_zone", [S("code"), S("name")], null, TileTimeFilter.None, 0, 22, "Polygon", ["oil_zone"]),
        new(Cameras, "Video cameras", "camera", [S("code"), N("heading_deg"), N("fov_deg"), N("range_m"), S("well_code")],
            null, TileTimeFilter.None, 8, 22, "Point", ["camera"]),
        new(PatrolRoutes, "Planned patrol routes", "patrol_route", [S("code"), S("department_code"), S("name")],
            null, TileTimeFilter.None, 6, 22, "LineString", ["patrol_route"]),
    ];

    private static readonly Dictionary<string, TileLayer> _byName = _all.ToDictionary(l => l.Name, StringComparer.Ordinal);

    /// <summary>Every layer.</summary>
    public static IReadOnlyList<TileLayer> All => _all;

    /// <summary>The layer of this name, or null when it is not on the list.</summary>
    public static TileLayer? Find(string name) => _byName.GetValueOrDefault(name);
}
