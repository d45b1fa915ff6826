using System.Globalization;
using MapControl.Web.Localization;

namespace MapControl.Web.Components.Shell;

/// <summary>
/// How the attribute drawer shows a clicked feature: layer titles and property names as words (<c>attr.*</c> texts; an unknown
/// name is shown with its underscores as spaces), instants in China time (UTC+8, "yyyy-MM-dd HH:mm"), incident kinds by name,
/// true/false as yes/no; colours and geometry are left out.
/// </summary>
public static class AttributeLabels
{
    /// <summary>Properties never shown.</summary>
    private static readonly HashSet<string> Hidden = ["colour", "geom", "cluster_id"];

    /// <summary>Properties that hold an instant (shown in China time).</summary>
    private static bool IsInstant(string key) => key.EndsWith("_at", StringComparison.Ordinal) || key is "valid_from" or "valid_to" or "last_fix";

    /// <summary>The title of a layer id.</summary>
    public static string LayerTitle(string layerId, Texts t)
    {
        var d = MapLayers.Base(t).FirstOrDefault(d => d.Id == layerId);
        if (d is not null) return t[d.TitleKey];
        return layerId switch
        {
            "hotspots" => t["layer.hotspots"], "heat" => t["layer.heat"], "yoy" => t["layer.yoy"], "recency" => t["layer.recency"],
            "incidents-clustered" => t["layer.incidents.clustered"],
            _ => layerId,
        };
    }

    /// <summary>The rows to show: (label, value) in the feature's order, hidden properties left out.</summary>
    public static IReadOnlyList<(string Label, string Value)> Rows(IReadOnlyDictionary<string, string?> properties, Texts t) =>
        properties.Where(p => !Hidden.Contains(p.Key)).Select(p => (Label(p.Key, t), Value(p.Key, p.Value, t))).ToArray();

    /// <summary>The label of a property name.</summary>
    public static string Label(string key, Texts t) => Texts.Has("attr." + key) ? t["attr." + key] : key.Replace('_', ' ');

    /// <summary>A property value as a person reads it.</summary>
    public static string Value(string key, string? value, Texts t)
    {
        if (value is null or "") return "—";
        if (IsInstant(key) && TryInstant(value, out var at)) return at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (key == "kind" && MapLayers.IncidentColours.ContainsKey(value)) return MapLayers.IncidentKindName(value, t);
        if (key == "kinds") return string.Join(", ", value.Split(", ").Select(part => part.Split(' ') is [var code, var n] && MapLayers.IncidentColours.ContainsKey(code)
            ? $"{MapLayers.IncidentKindName(code, t)} {n}" : part)); // an aggregated incidents tile cell: "code n, code n"
        if (value is "true" or "True") return t["yes"];
        if (value is "false" or "False") return t["no"];
        return value;
    }

    /// <summary>An instant from ISO 8601 text (no offset: UTC) or Unix seconds/milliseconds.</summary>
    private static bool TryInstant(string value, out DateTimeOffset at)
    {
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at)) return true;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 1e8)
        {
            at = n > 1e11 ? DateTimeOffset.FromUnixTimeMilliseconds((long)n) : DateTimeOffset.FromUnixTimeSeconds((long)n);
            return true;
        }
        return false;
    }
}
