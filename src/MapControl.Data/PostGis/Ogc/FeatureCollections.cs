using MapControl.Data.PostGis.Sql;

namespace MapControl.Data.PostGis.Ogc;

/// <summary>How a collection's features carry time.</summary>
public enum FeatureTime
{
    /// <summary>No time: a datetime parameter is accepted and ignored.</summary>
    None,
    /// <summary>An instant column (incidents: occurred_at).</summary>
    Instant,
    /// <summary>An interval [started_at, ended_at] built from GPS points in the window (patrol tracks).</summary>
    TrackInterval,
}

/// <summary>A property a client may filter on with ?name=value (exact match on its text form).</summary>
public sealed record Queryable(string Name, string Type, string Description);

/// <summary>A feature collection served by OGC API – Features and exported by the CLI.</summary>
/// <param name="Id">Collection id in URLs.</param>
/// <param name="Title">Human title.</param>
/// <param name="Description">What the collection holds.</param>
/// <param name="Source">A FROM item (table or sub-query) with columns id, geom (EPSG:4326) and the properties; empty when <see cref="Computed"/>.</param>
/// <param name="IdType">"string" or "integer".</param>
/// <param name="Time">How a datetime filter applies.</param>
/// <param name="TimeColumn">The instant column, for <see cref="FeatureTime.Instant"/>.</param>
/// <param name="GeometryType">GeoJSON geometry type.</param>
/// <param name="Queryables">Properties allowed as filters.</param>
/// <param name="OrderBy">Stable order for paging (columns of the source alias t); empty when <see cref="Computed"/>.</param>
public sealed record FeatureCollectionDefinition(string Id, string Title, string Description, string Source, string IdType, FeatureTime Time,
    string? TimeColumn, string GeometryType, IReadOnlyList<Queryable> Queryables, string OrderBy)
{
    /// <summary>True when the features are computed in memory by Core (<see cref="MapControl.Data.Analysis.CoverageGaps"/>) instead of read by SQL; Source and OrderBy are empty.</summary>
    public bool Computed { get; init; }

    /// <summary>The queryable of this name, or null.</summary>
    public Queryable? FindQueryable(string name) => Queryables.FirstOrDefault(q => q.Name == name);
}

/// <summary>The allow-list of feature collections; every identifier in feature SQL comes from here.</summary>
public static class FeatureCollections
{
    /// <summary>Oil zones.</summary>
    public const string OilZones = "oil-zones";
    /// <summary>Current jurisdictions.</summary>
    public const string Jurisdictions = "jurisdictions";
    /// <summary>Current patrol zones.</summary>
    public const string PatrolZones = "patrol-zones";
    /// <summary>Wells.</summary>
    public const string Wells = "wells";
    /// <summary>Cameras.</summary>
    public const string Cameras = "cameras";
    /// <summary>Idle sites.</summary>
    public const string IdleSites = "idle-sites";
    /// <summary>Incidents.</summary>
    public const string Incidents = "incidents";
    /// <summary>Patrol tracks built from GPS points.</summary>
    public const string PatrolTracks = "patrol-tracks";
    /// <summary>Gaps: parts of the oil zones covered by no current jurisdiction (Core's coverage check, computed).</summary>
    public const string Gaps = "gaps";
    /// <summary>Planned patrol routes.</summary>
    public const string PatrolRoutes = "patrol-routes";

    private static Queryable Q(string name, string type, string description) => new(name, type, description);
    private static readonly Queryable DepartmentCode = Q("department_code", "string", "Department code (护卫部)");

    private static readonly FeatureCollectionDefinition[] _all =
    [
        new(OilZones, "Oil zones (油区)", "Oil zones: the frame that jurisdictions must cover without gaps.",
            "(SELECT code AS id, code, name, geom FROM oil_zone)", "string", FeatureTime.None, null, "MultiPolygon",
            [Q("code", "string", "Oil zone code")], "t.id"),
        new(Jurisdictions, "Jurisdictions (辖区), current", "The jurisdiction in force of each department.",
            "(SELECT j.id, j.department_code, d.name AS department_name, d.colour, j.valid_from, j.edited_by, j.reason, j.geom FROM jurisdiction j JOIN department d ON d.code = j.department_code WHERE j.valid_to IS NULL)",
            "integer", FeatureTime.None, null, "MultiPolygon", [DepartmentCode], "t.id"),
        new(PatrolZones, "Patrol zones (巡区), current", "The patrol zones in force inside the jurisdictions.",
            "(SELECT id, code, department_code, name, valid_from, geom FROM patrol_zone WHERE valid_to IS NULL)",
            "integer", FeatureTime.None, null, "Polygon", [DepartmentCode, Q("code", "string", "Patrol zone code")], "t.id"),
        new(Wells, "Wells (油井)", "Wells with kind, status, key-well flag and oil zone.",
            "(SELECT code AS id, code, kind, status, is_key, oil_zone_code, geom FROM well)", "string", FeatureTime.None, null, "Point",
            [Q("kind", "string", "oil | water_injection | gas, or a label kept as written (well-kind vocabulary)"), Q("status", "string", "producing | shut_in | idle | workover"),
             Q("is_key", "boolean", "Key well (重点井) under video"), Q("oil_zone_code", "string", "Oil zone code")], "t.id"),
        new(Cameras, "Cameras (监控点)", "Video cameras with heading, field of view and range.",
            "(SELECT code AS id, code, heading_deg, fov_deg, range_m, well_code, geom FROM camera)", "string", FeatureTime.None, null, "Point",
            [Q("well_code", "string", "Watched well")], "t.id"),
        new(IdleSites, "Idle sites (闲置场地)", "Idle well pads, yards, platforms and stations with their status.",
            "(SELECT code AS id, code, name, kind, status, encroached_on, reclaimed_on, geom FROM idle_site)", "string", FeatureTime.None, null, "Polygon",
            [Q("kind", "string", "well_pad | yard | platform | station, or a label kept as written (idle-site-kind vocabulary)"), Q("status", "string", "idle | encroached | reclaimed")], "t.id"),
        new(Incidents, "Incidents (案件)", "Incidents; datetime filters occurred_at.",
            "(SELECT code AS id, code, kind, occurred_at, discovered_at, discovered_by, oil_recovered_t, status, department_code, oil_zone_code, geom FROM incident)",
            "string", FeatureTime.Instant, "occurred_at", "Point",
            [Q("kind", "string", "Incident kind"), Q("discovered_by", "string", "patrol | video | inspection | public_report | police"),
             Q("status", "string", "open | solved | closed"), DepartmentCode, Q("oil_zone_code", "string", "Oil zone code")], "t.occurred_at, t.id"),
        new(PatrolTracks, "Patrol tracks", "Tracks from GPS points (ST_MakeLine), " + PatrolTrackSql.Rule + "; datetime selects the points.",
            "(" + PatrolTrackSql.Tracks + ")", "string", FeatureTime.TrackInterval, null, "LineString",
            [Q("unit_code", "string", "Patrol unit"), DepartmentCode, Q("day", "string", "China Standard Time (UTC+8) day, YYYY-MM-DD")], "t.unit_code, t.day, t.segment"),
        new(Gaps, "Gaps (空白区)", "Parts of the oil zones covered by no current jurisdiction, as the coverage check of the CLI and the commander view finds them (id = rank by risk, 1 = highest), with area, width, touching departments, wells, key wells, incidents of the last 12 months and risk; with a datetime interval, the incidents and risk of that window.",
            "", "integer", FeatureTime.None, null, "Polygon", [], "") { Computed = true },
        new(PatrolRoutes, "Planned patrol routes", "Planned patrol routes of the departments.",
            "(SELECT code AS id, code, department_code, name, geom FROM patrol_route)", "string", FeatureTime.None, null, "LineString",
            [DepartmentCode], "t.id"),
    ];

    private static readonly Dictionary<string, FeatureCollectionDefinition> _byId = _all.ToDictionary(c => c.Id, StringComparer.Ordinal);

    /// <summary>Every collection.</summary>
    public static IReadOnlyList<FeatureCollectionDefinition> All => _all;

    /// <summary>The collection of this id, or null when it is not on the list.</summary>
    public static FeatureCollectionDefinition? Find(string id) => _byId.GetValueOrDefault(id);
}
