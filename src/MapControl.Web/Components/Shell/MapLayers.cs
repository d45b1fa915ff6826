using MapControl.Web.Components.Map;
using MapControl.Web.Localization;

namespace MapControl.Web.Components.Shell;

/// <summary>The layers of the one map: id, source and style, in drawing order; colours are fixed across views.</summary>
public static class MapLayers
{
    /// <summary>How a layer is fetched.</summary>
    public enum Source { GeoJson, VectorTiles }

    /// <summary>One layer: id, text key, URL (relative, without query), tile layer name, style, visible at start, whether it depends on department or time.</summary>
    public sealed record Definition(string Id, string TitleKey, Source Kind, string Url, LayerStyle Style, bool VisibleAtStart,
        bool ByDepartment = false, bool ByTime = false, string? TileLayer = null);

    private static Dictionary<string, object> S(params (string K, object V)[] kv) => kv.ToDictionary(x => x.K, x => x.V);

    private static StyleRule R(string property, string value, params (string K, object V)[] kv) => new(property, value, S(kv));

    /// <summary>Colours of incident kinds (legend and map): <see cref="Palette.IncidentKinds"/>.</summary>
    public static IReadOnlyDictionary<string, string> IncidentColours => Palette.IncidentKinds;

    /// <summary>Names of incident kinds.</summary>
    public static string IncidentKindName(string kind, Texts t) => (kind, t.IsChinese) switch
    {
        ("casing_theft", true) => "套管油盗窃", ("casing_theft", false) => "Casing theft",
        ("pipeline_tapping", true) => "管线打孔", ("pipeline_tapping", false) => "Pipeline tapping",
        ("workover_oil_collection", true) => "作业井非法敛油", ("workover_oil_collection", false) => "Workover oil collection",
        ("equipment_theft", true) => "设备盗窃", ("equipment_theft", false) => "Equipment theft",
        ("encroachment", true) => "侵占", ("encroachment", false) => "Encroachment",
        _ => kind,
    };

    /// <summary>The base layers of every view, bottom to top (colours: <see cref="Palette"/>; shown by default: <see cref="VisibleIn"/>).</summary>
    public static IReadOnlyList<Definition> Base(Texts t) =>
    [
        new("basemap", "layer.basemap", Source.GeoJson, "api/layers/basemap", new LayerStyle(
            S(("color", Palette.BasemapLine), ("weight", 1), ("fillOpacity", 0.0), ("radius", 3), ("fillColor", Palette.Town)),
            Rules: [R("layer", "sea", ("fillColor", Palette.Sea), ("fillOpacity", 0.8), ("color", Palette.Coast)),
                    R("layer", "coast", ("color", Palette.Coast), ("weight", 1.2)),
                    R("layer", "river", ("color", Palette.River), ("weight", 2), ("fillColor", Palette.River), ("fillOpacity", 0.7)),
                    R("layer", "road", ("color", Palette.Road), ("weight", 1.2)),
                    R("layer", "town", ("color", Palette.PointOutline), ("weight", 1), ("fillColor", Palette.Town), ("fillOpacity", 0.9), ("radius", 3))],
            LabelProperty: "name"), true),
        new("oil-zones", "layer.oilzones", Source.GeoJson, "api/layers/oil-zones", new LayerStyle(
            S(("color", Palette.OilZoneLine), ("weight", 1.5), ("dashArray", "6 3"), ("fillColor", Palette.OilZone), ("fillOpacity", 0.3)),
            LabelProperty: "name", Legend: [new(Palette.OilZone, t["layer.oilzones"])]), true),
        new("jurisdictions", "layer.jurisdictions", Source.GeoJson, "api/layers/jurisdictions", new LayerStyle(
            S(("weight", 2), ("fillOpacity", 0.08)), ColourProperty: "colour", LabelProperty: "department_name", PermanentLabels: true), true, ByDepartment: true),
        new("patrol-zones", "layer.patrolzones", Source.GeoJson, "api/layers/patrol-zones", new LayerStyle(
            S(("weight", 1), ("dashArray", "4 4"), ("fillOpacity", 0.05)), ColourProperty: "colour", LabelProperty: "name"), false, ByDepartment: true),
        new("idle-sites", "layer.idlesites", Source.GeoJson, "api/layers/idle-sites", new LayerStyle(
            S(("weight", 1), ("color", Palette.IdleSiteLine), ("fillColor", Palette.IdleSite), ("fillOpacity", 0.7)),
            Rules: [R("status", "encroached", ("fillColor", Palette.IdleEncroached), ("color", Palette.IdleEncroached)), R("status", "reclaimed", ("fillColor", Palette.IdleReclaimed), ("color", Palette.IdleReclaimedLine))],
            Legend: [new(Palette.IdleSite, t["legend.idle"]), new(Palette.IdleEncroached, t["legend.encroached"]), new(Palette.IdleReclaimed, t["legend.reclaimed"])]), false, ByDepartment: true),
        new("cameras", "layer.cameras", Source.GeoJson, "api/layers/cameras", new LayerStyle(
            S(("color", Palette.CameraLine), ("weight", 1), ("fillColor", Palette.Camera), ("fillOpacity", 0.35)),
            Legend: [new(Palette.Camera, t["layer.cameras"])]), false, ByDepartment: true),
        new("wells", "layer.wells", Source.VectorTiles, "tiles/wells/{z}/{x}/{y}.mvt", new LayerStyle(
            S(("radius", 2), ("color", Palette.WellLine), ("weight", 0.5), ("fillColor", Palette.Well), ("fillOpacity", 0.8)),
            Rules: [R("is_key", "true", ("radius", 3), ("fillColor", Palette.KeyWell), ("color", Palette.KeyWell))],
            Legend: [new(Palette.Well, t["layer.wells"])]), false, TileLayer: "wells"),
        new("key-wells", "layer.keywells", Source.GeoJson, "api/layers/key-wells", new LayerStyle(
            S(("radius", 5), ("color", Palette.KeyWell), ("weight", 1.5), ("fillColor", Palette.KeyWell), ("fillOpacity", 1.0), ("symbol", "diamond")),
            Rules: [R("watched", "false", ("fillColor", Palette.KeyWellUnwatched), ("weight", 2))],
            LabelProperty: "code",
            Legend: [new(Palette.KeyWell, t["legend.keywell.video"], "diamond"), new(Palette.KeyWellUnwatched, t["legend.keywell.novideo"], "diamond")]), true, ByDepartment: true),
        new("incidents", "layer.incidents", Source.VectorTiles, "tiles/incidents/{z}/{x}/{y}.mvt", new LayerStyle(
            S(("radius", 4), ("color", Palette.PointOutline), ("weight", 1), ("fillOpacity", 0.9), ("fillColor", Palette.IncidentOther)),
            Rules: IncidentColours.Select(kv => R("kind", kv.Key, ("fillColor", kv.Value))).ToArray(),
            Legend: IncidentLegend(t), CountProperty: "count"), true, ByDepartment: true, ByTime: true, TileLayer: "incidents"),
        new("tracks", "layer.tracks", Source.VectorTiles, "tiles/tracks/{z}/{x}/{y}.mvt", new LayerStyle(
            S(("color", Palette.Track), ("weight", 1.5), ("opacity", 0.7), ("fill", false))), false, ByDepartment: true, ByTime: true, TileLayer: "tracks"),
        new("patrol-coverage", "layer.coverage", Source.GeoJson, "api/layers/patrol-coverage", new LayerStyle(
            S(("weight", 0), ("fillColor", Palette.Covered), ("fillOpacity", 0.3)),
            Rules: [R("kind", "uncovered", ("fillColor", Palette.Uncovered), ("fillOpacity", 0.35), ("weight", 1), ("color", Palette.Uncovered))],
            Legend: [new(Palette.Covered, t["legend.patrolled7"]), new(Palette.Uncovered, t["legend.notpatrolled"])]), false),
        new("gaps", "layer.gaps", Source.GeoJson, "api/layers/gaps", new LayerStyle(
            S(("color", Palette.GapLine), ("weight", 1.5), ("dashArray", "4 3"), ("fillColor", Palette.Gap), ("fillOpacity", 0.75)),
            LabelProperty: "department_names", Legend: [new(Palette.Gap, t["layer.gaps"])]), true, ByDepartment: true, ByTime: true),
        new("overlaps", "layer.overlaps", Source.GeoJson, "api/layers/overlaps", new LayerStyle(
            S(("color", Palette.OverlapLine), ("weight", 1), ("fillColor", Palette.Overlap), ("fillOpacity", 0.55)),
            LabelProperty: "department_names", Legend: [new(Palette.Overlap, t["layer.overlaps"])]), true, ByDepartment: true),
        new("blank-strips", "layer.blankstrips", Source.GeoJson, "api/layers/blank-strips", new LayerStyle(
            S(("color", Palette.BlankStripLine), ("weight", 1), ("fillColor", Palette.BlankStrip), ("fillOpacity", 0.55)),
            Legend: [new(Palette.BlankStrip, t["layer.blankstrips"])]), false, ByDepartment: true),
    ];

    /// <summary>The legend of incident kinds.</summary>
    public static LegendItem[] IncidentLegend(Texts t) => IncidentColours.Select(kv => new LegendItem(kv.Value, IncidentKindName(kv.Key, t))).ToArray();

    /// <summary>
    /// The base layers each view shows when it opens, so the view's subject is on top: Command — gaps, overlaps, key wells and
    /// incidents over the jurisdictions; Analysis — a quiet frame (basemap, oil zones, jurisdiction outlines) under the view's own
    /// Gi* cells and clustered incidents; Planning — jurisdictions, gaps and overlaps (what a redraw changes) with key wells.
    /// </summary>
    private static readonly IReadOnlyDictionary<OneMapView, HashSet<string>> Defaults = new Dictionary<OneMapView, HashSet<string>>
    {
        [OneMapView.Commander] = ["basemap", "oil-zones", "jurisdictions", "key-wells", "incidents", "gaps", "overlaps"],
        [OneMapView.Analyst] = ["basemap", "oil-zones", "jurisdictions"],
        [OneMapView.Planner] = ["basemap", "oil-zones", "jurisdictions", "key-wells", "gaps", "overlaps"],
    };

    /// <summary>True when the base layer is shown by default in the view.</summary>
    public static bool VisibleIn(Definition d, OneMapView view) => Defaults[view].Contains(d.Id);

    /// <summary>The owner tag of a view's own layers (they leave the map with the view).</summary>
    public static string OwnerOf(OneMapView view) => view.ToString().ToLowerInvariant();

    /// <summary>Gi* hot-spot cells: the warm ramp by confidence for hot cells, pale blue for cold, outline only otherwise.</summary>
    public static LayerStyle HotSpots(Texts t) => new(S(("weight", 0.4), ("color", Palette.NotSignificantLine), ("fillOpacity", 0.0)),
        Rules: [R("class", "hot", ("fillColor", Palette.HotRamp[1]), ("fillOpacity", 0.75), ("color", Palette.HotRamp[2]), ("weight", 1)),
                R("hot_confidence", "90", ("fillColor", Palette.HotRamp[0])),
                R("hot_confidence", "99", ("fillColor", Palette.HotRamp[2])),
                R("class", "cold", ("fillColor", Palette.Cold), ("fillOpacity", 0.6), ("color", Palette.ColdLine))],
        Legend: [new(Palette.HotRamp[2], t["legend.hot99"]), new(Palette.HotRamp[1], t["legend.hot95"]), new(Palette.HotRamp[0], t["legend.hot90"]),
                 new(Palette.Cold, t["legend.cold"]), new(Palette.NotSignificant, t["legend.notsig"])], Owner: OwnerOf(OneMapView.Analyst));

    /// <summary>Year-over-year change per cell.</summary>
    public static LayerStyle YearOverYear(Texts t) => new(S(("weight", 0.4), ("color", Palette.YoyLine), ("fillOpacity", 0.15), ("fillColor", Palette.YoySame)),
        Rules: [R("trend", "up", ("fillColor", Palette.YoyUp), ("fillOpacity", 0.55)), R("trend", "down", ("fillColor", Palette.YoyDown), ("fillOpacity", 0.55))],
        Legend: [new(Palette.YoyUp, t["legend.up"]), new(Palette.YoyDown, t["legend.down"])], Owner: OwnerOf(OneMapView.Analyst));

    /// <summary>Incidents of the analysis window as clustered points coloured by kind.</summary>
    public static LayerStyle ClusteredIncidents(Texts t) => new(S(("radius", 5), ("color", Palette.PointOutline), ("weight", 1), ("fillOpacity", 0.95), ("fillColor", Palette.IncidentOther)),
        Rules: IncidentColours.Select(kv => R("kind", kv.Key, ("fillColor", kv.Value))).ToArray(),
        Legend: IncidentLegend(t), Owner: OwnerOf(OneMapView.Analyst), Cluster: true, CountProperty: "count");

    /// <summary>Kernel density: the heat layer's gradient and legend (a teal ramp, not warm).</summary>
    public static IReadOnlyDictionary<string, string> DensityGradient { get; } = new Dictionary<string, string>
    {
        ["0.25"] = Palette.DensityRamp[0], ["0.5"] = Palette.DensityRamp[1], ["0.75"] = Palette.DensityRamp[2], ["1"] = Palette.DensityRamp[3],
    };

    /// <summary>The heat layer's legend.</summary>
    public static LegendItem[] DensityLegend(Texts t) => [new(Palette.DensityRamp[0], t["legend.low"]), new(Palette.DensityRamp[2], ""), new(Palette.DensityRamp[3], t["legend.high"])];

    /// <summary>Patrol recency per hexagon (Purples).</summary>
    public static LayerStyle Recency(Texts t) => new(S(("weight", 0.5), ("color", Palette.RecencyLine), ("fillOpacity", 0.5), ("fillColor", Palette.RecencyBase)),
        Rules: [R("band", "24h", ("fillColor", Palette.RecencyRamp[0])), R("band", "72h", ("fillColor", Palette.RecencyRamp[1])),
                R("band", "7d", ("fillColor", Palette.RecencyRamp[2])), R("band", "never", ("fillColor", Palette.RecencyRamp[3]))],
        Legend: [new(Palette.RecencyRamp[0], "≤ 24 h"), new(Palette.RecencyRamp[1], "≤ 72 h"), new(Palette.RecencyRamp[2], "≤ 7 d"), new(Palette.RecencyRamp[3], t["legend.not7d"])],
        Owner: OwnerOf(OneMapView.Commander));

    /// <summary>The query string of a layer for a department and window (ISO 8601 UTC).</summary>
    public static string Query(Definition d, string? department, DateTimeOffset from, DateTimeOffset to, string? kind = null)
    {
        var parts = new List<string>();
        if (d.ByDepartment && d.Kind == Source.GeoJson && department is not null) parts.Add("department=" + Uri.EscapeDataString(department));
        if (d.ByTime)
        {
            parts.Add("from=" + Uri.EscapeDataString(from.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
            parts.Add("to=" + Uri.EscapeDataString(to.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        }
        if (kind is not null && d.Kind == Source.GeoJson) parts.Add("kind=" + Uri.EscapeDataString(kind));
        return parts.Count == 0 ? d.Url : d.Url + "?" + string.Join("&", parts);
    }
}
