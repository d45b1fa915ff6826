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

    /// <summary>Colours of incident kinds (legend and map).</summary>
    public static IReadOnlyDictionary<string, string> IncidentColours { get; } = new Dictionary<string, string>
    {
        ["casing_theft"] = "#d62728", ["pipeline_tapping"] = "#9467bd", ["workover_oil_collection"] = "#ff7f0e",
        ["equipment_theft"] = "#8c564b", ["encroachment"] = "#17becf",
    };

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

    /// <summary>The base layers of every view, bottom to top.</summary>
    public static IReadOnlyList<Definition> Base(Texts t) =>
    [
        new("basemap", "layer.basemap", Source.GeoJson, "api/layers/basemap", new LayerStyle(
            S(("color", "#9aa9b5"), ("weight", 1), ("fillOpacity", 0.0), ("radius", 3), ("fillColor", "#555")),
            Rules: [R("layer", "sea", ("fillColor", "#b9d3e8"), ("fillOpacity", 0.8), ("color", "#9cc0dd")),
                    R("layer", "coast", ("color", "#6b8fb0"), ("weight", 1.5)),
                    R("layer", "river", ("color", "#4a90d9"), ("weight", 2.5), ("fillColor", "#9cc8ee"), ("fillOpacity", 0.8)),
                    R("layer", "road", ("color", "#c8b27d"), ("weight", 1.5)),
                    R("layer", "town", ("color", "#333"), ("fillColor", "#666"), ("fillOpacity", 0.9), ("radius", 4))],
            LabelProperty: "name"), true),
        new("oil-zones", "layer.oilzones", Source.GeoJson, "api/layers/oil-zones", new LayerStyle(
            S(("color", "#7f5f00"), ("weight", 2), ("dashArray", "6 3"), ("fillColor", "#f5deb3"), ("fillOpacity", 0.25)),
            LabelProperty: "name", Legend: [new("#f5deb3", t["layer.oilzones"])]), true),
        new("jurisdictions", "layer.jurisdictions", Source.GeoJson, "api/layers/jurisdictions", new LayerStyle(
            S(("weight", 2), ("fillOpacity", 0.18)), ColourProperty: "colour", LabelProperty: "department_name", PermanentLabels: true), true, ByDepartment: true),
        new("patrol-zones", "layer.patrolzones", Source.GeoJson, "api/layers/patrol-zones", new LayerStyle(
            S(("weight", 1), ("dashArray", "4 4"), ("fillOpacity", 0.05)), ColourProperty: "colour", LabelProperty: "name"), false, ByDepartment: true),
        new("idle-sites", "layer.idlesites", Source.GeoJson, "api/layers/idle-sites", new LayerStyle(
            S(("weight", 1), ("color", "#555"), ("fillColor", "#bbb"), ("fillOpacity", 0.7)),
            Rules: [R("status", "encroached", ("fillColor", "#e31a1c"), ("color", "#a00")), R("status", "reclaimed", ("fillColor", "#33a02c"), ("color", "#1a6b1a"))],
            Legend: [new("#bbbbbb", t.IsChinese ? "闲置" : "idle"), new("#e31a1c", t.IsChinese ? "被侵占" : "encroached"), new("#33a02c", t.IsChinese ? "已收回" : "reclaimed")]), false, ByDepartment: true),
        new("cameras", "layer.cameras", Source.GeoJson, "api/layers/cameras", new LayerStyle(
            S(("color", "#b8860b"), ("weight", 1), ("fillColor", "#ffd700"), ("fillOpacity", 0.35)),
            Legend: [new("#ffd700", t["layer.cameras"])]), false, ByDepartment: true),
        new("wells", "layer.wells", Source.VectorTiles, "tiles/wells/{z}/{x}/{y}.mvt", new LayerStyle(
            S(("radius", 2), ("color", "#444"), ("weight", 0.5), ("fillColor", "#777"), ("fillOpacity", 0.8)),
            Rules: [R("is_key", "true", ("radius", 4), ("fillColor", "#d62728"), ("color", "#700"))]), false, TileLayer: "wells"),
        new("key-wells", "layer.keywells", Source.GeoJson, "api/layers/key-wells", new LayerStyle(
            S(("radius", 5), ("color", "#700"), ("weight", 1.5), ("fillColor", "#d62728"), ("fillOpacity", 0.9)),
            Rules: [R("watched", "false", ("fillColor", "#ffffff"), ("color", "#d62728"), ("weight", 2))],
            Legend: [new("#d62728", t.IsChinese ? "重点井（有视频）" : "key well (video)"), new("#ffffff", t.IsChinese ? "重点井（无视频）" : "key well (no video)")]), true, ByDepartment: true),
        new("incidents", "layer.incidents", Source.VectorTiles, "tiles/incidents/{z}/{x}/{y}.mvt", new LayerStyle(
            S(("radius", 4), ("color", "#fff"), ("weight", 1), ("fillOpacity", 0.9), ("fillColor", "#d62728")),
            Rules: IncidentColours.Select(kv => R("kind", kv.Key, ("fillColor", kv.Value))).ToArray(),
            Legend: IncidentColours.Select(kv => new LegendItem(kv.Value, IncidentKindName(kv.Key, t))).ToArray()), true, ByDepartment: true, ByTime: true, TileLayer: "incidents"),
        new("tracks", "layer.tracks", Source.VectorTiles, "tiles/tracks/{z}/{x}/{y}.mvt", new LayerStyle(
            S(("color", "#1f78b4"), ("weight", 1.5), ("opacity", 0.7), ("fill", false))), false, ByDepartment: true, ByTime: true, TileLayer: "tracks"),
        new("patrol-coverage", "layer.coverage", Source.GeoJson, "api/layers/patrol-coverage", new LayerStyle(
            S(("weight", 0), ("fillColor", "#33a02c"), ("fillOpacity", 0.25)),
            Rules: [R("kind", "uncovered", ("fillColor", "#fb9a99"), ("fillOpacity", 0.35), ("weight", 1), ("color", "#e31a1c"))],
            Legend: [new("#33a02c", t.IsChinese ? "7天内已巡" : "patrolled (7 days)"), new("#fb9a99", t.IsChinese ? "未巡" : "not patrolled")]), false),
        new("gaps", "layer.gaps", Source.GeoJson, "api/layers/gaps", new LayerStyle(
            S(("color", "#b10026"), ("weight", 2), ("fillColor", "#e31a1c"), ("fillOpacity", 0.6)),
            LabelProperty: "department_names", Legend: [new("#e31a1c", t["layer.gaps"])]), true),
        new("overlaps", "layer.overlaps", Source.GeoJson, "api/layers/overlaps", new LayerStyle(
            S(("color", "#54278f"), ("weight", 1), ("fillColor", "#807dba"), ("fillOpacity", 0.55)),
            LabelProperty: "department_names", Legend: [new("#807dba", t["layer.overlaps"])]), true),
        new("blank-strips", "layer.blankstrips", Source.GeoJson, "api/layers/blank-strips", new LayerStyle(
            S(("color", "#e6550d"), ("weight", 1), ("fillColor", "#fd8d3c"), ("fillOpacity", 0.55)),
            Legend: [new("#fd8d3c", t["layer.blankstrips"])]), false),
    ];

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
