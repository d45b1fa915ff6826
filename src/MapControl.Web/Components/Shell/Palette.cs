namespace MapControl.Web.Components.Shell;

/// <summary>
/// The one palette of the one map: every colour a layer, legend, chart or export uses comes from here (the JS module draws what
/// it is given and holds no colours of its own). Rules (docs/CARTOGRAPHY.md):
/// <list type="bullet">
/// <item>Kinds of things never share a colour: the warm ramp (orange → dark red) is for significant Gi* hot cells only; incidents are
/// coloured by kind with Okabe–Ito hues (safe for the common colour-vision deficiencies) that no other default layer uses; key wells
/// are a symbol (a dark diamond), not a coloured dot; gaps are yellow with a black dashed outline, overlaps violet.</item>
/// <item>Sequential quantities (density, recency) use single-hue ramps that are neither warm nor an incident hue.</item>
/// </list>
/// </summary>
public static class Palette
{
    /// <summary>Gi* hot cells, by confidence step 90 / 95 / 99 % (Core's <see cref="MapControl.Core.Hotspots.HotSpotConfidence"/>): the warm ramp, used by nothing else.</summary>
    public static readonly string[] HotRamp = ["#fdbb84", "#ef6548", "#b30000"];

    /// <summary>Gi* cold cells: a pale blue fill with a blue outline.</summary>
    public const string Cold = "#c6dbef", ColdLine = "#6baed6";

    /// <summary>Outline of cells that are not significant (no fill).</summary>
    public const string NotSignificantLine = "#b0b0b0";

    /// <summary>Incident kinds (Okabe–Ito): blue, bluish green, reddish purple, black, sky blue.</summary>
    public static IReadOnlyDictionary<string, string> IncidentKinds { get; } = new Dictionary<string, string>
    {
        ["casing_theft"] = "#0072b2", ["pipeline_tapping"] = "#009e73", ["workover_oil_collection"] = "#cc79a7",
        ["equipment_theft"] = "#1a1a1a", ["encroachment"] = "#56b4e9",
    };

    /// <summary>An incident of a kind not listed.</summary>
    public const string IncidentOther = "#7f7f7f";

    /// <summary>Key wells: a diamond symbol, filled dark when a camera watches it, hollow (white) when none does.</summary>
    public const string KeyWell = "#253044", KeyWellUnwatched = "#ffffff";

    /// <summary>Gaps: yellow with a black dashed outline.</summary>
    public const string Gap = "#f0e442", GapLine = "#1a1a1a";

    /// <summary>Overlaps: violet.</summary>
    public const string Overlap = "#8073ac", OverlapLine = "#542788";

    /// <summary>Blank strips along shared boundaries: brown.</summary>
    public const string BlankStrip = "#a6761d", BlankStripLine = "#6b4c12";

    /// <summary>Oil zones: a pale wheat fill with a dark ochre dashed outline.</summary>
    public const string OilZone = "#f5e9c9", OilZoneLine = "#8c7a3c";

    /// <summary>Ordinary wells: small grey dots.</summary>
    public const string Well = "#8c8c8c", WellLine = "#555555";

    /// <summary>Cameras: view sectors in light grey-green.</summary>
    public const string Camera = "#b8d8be", CameraLine = "#5f8f67";

    /// <summary>Idle sites: idle grey, encroached dark purple, reclaimed light green.</summary>
    public const string IdleSite = "#bdbdbd", IdleEncroached = "#5e3c99", IdleReclaimed = "#b2df8a";

    /// <summary>Patrol tracks.</summary>
    public const string Track = "#1f78b4";

    /// <summary>Patrol coverage: covered light green, uncovered grey.</summary>
    public const string Covered = "#b2df8a", Uncovered = "#737373";

    /// <summary>Patrol recency (Purples, sequential): ≤ 24 h, ≤ 72 h, ≤ 7 d, not in 7 days.</summary>
    public static readonly string[] RecencyRamp = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#54278f"];

    /// <summary>Kernel density (heat): a single-hue teal ramp from transparent to dark, not warm (warm is for Gi*).</summary>
    public static readonly string[] DensityRamp = ["#ccece6", "#66c2a4", "#238b45", "#00441b"];

    /// <summary>Year-over-year change per cell (BrBG diverging): more incidents brown, fewer teal.</summary>
    public const string YoyUp = "#8c510a", YoyDown = "#01665e", YoySame = "#d9d9d9";

    /// <summary>The outline of the feature flown to from a list (a black-and-cyan halo, used by no layer).</summary>
    public const string Highlight = "#00e5ff", HighlightHalo = "#000000";

    /// <summary>Measure tool lines and areas.</summary>
    public const string Measure = "#000000";

    /// <summary>Chart: all departments this year, and a year earlier (dashed).</summary>
    public const string ChartTotal = "#1b2733", ChartLastYear = "#9a9a9a";

    /// <summary>Basemap: sea, coast, river, road, town.</summary>
    public const string Sea = "#dbe7f0", Coast = "#9fb6c8", River = "#a8c8e4", Road = "#d9cfb8", Town = "#8c8c8c", BasemapLine = "#c3ccd4";

    /// <summary>The colour of an incident kind.</summary>
    public static string IncidentColour(string kind) => IncidentKinds.TryGetValue(kind, out var c) ? c : IncidentOther;
}
