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

    /// <summary>White outlines of point symbols (incidents, towns) and the fill of not-significant Gi* cells in the legend.</summary>
    public const string PointOutline = "#ffffff", NotSignificant = "#ffffff";

    /// <summary>Idle sites: outline; reclaimed sites' outline.</summary>
    public const string IdleSiteLine = "#555555", IdleReclaimedLine = "#4d7f2a";

    /// <summary>Outline of year-over-year cells; outline and base fill of patrol recency cells.</summary>
    public const string YoyLine = "#888888", RecencyLine = "#666666", RecencyBase = "#bdbdbd";

    /// <summary>Live patrol units by the age of their last fix (fresh, over 5 min, over 30 min) and their trails; live alerts and their routes.</summary>
    public const string UnitFresh = "#1565c0", UnitStale = "#f9a825", UnitLost = "#757575", LiveAlert = "#6a1b9a";

    /// <summary>The PNG export: page, title band and its text, text, legend frame and swatch outline.</summary>
    public const string ExportPage = "#ffffff", ExportBand = "#12304a", ExportBandText = "#ffffff", ExportText = "#000000",
        ExportFrame = "#8a8a8a", ExportSwatchLine = "#555555", ExportLegend = "rgba(255,255,255,0.92)";

    /// <summary>The editor: the edited item when its department has no colour; neighbours without a colour (patrol zones); measure dots' fill.</summary>
    public const string EditDefault = "#d62728", EditNeighbour = "#555555", MeasureDot = "#ffffff";

    /// <summary>The centre's row and line (KPI table, chart): the top bar's navy.</summary>
    public const string Centre = "#12304a";

    /// <summary>Cell lines of the OGC API's HTML pages.</summary>
    public const string OgcTableLine = "#cccccc";

    /// <summary>A colour given by data that is not a colour (drawn as this grey).</summary>
    public const string Unknown = "#888888";

    /// <summary>Chart axis.</summary>
    public const string ChartAxis = "#999999";

    /// <summary>The colours the map's JS module draws with (it holds none of its own), passed in its options.</summary>
    public static object ForMap() => new
    {
        highlight = Highlight, halo = HighlightHalo, measure = Measure, measureDot = MeasureDot,
        unitFresh = UnitFresh, unitStale = UnitStale, unitLost = UnitLost, liveAlert = LiveAlert,
        exportPage = ExportPage, exportBand = ExportBand, exportBandText = ExportBandText, exportText = ExportText,
        exportFrame = ExportFrame, exportSwatchLine = ExportSwatchLine, exportLegend = ExportLegend, editDefault = EditDefault, editNeighbour = EditNeighbour,
        unknown = Unknown,
    };

    /// <summary>
    /// The page's colours (top bar, panels, lists, buttons, live markers, clusters, shadows): CSS variable name (without the
    /// <c>--mc-</c> prefix) → colour. <c>app.css</c> uses only these variables (emitted by <see cref="CssVariables"/> in
    /// <c>App.razor</c>) and holds no colour of its own.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Css = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["surface"] = "#fff",
        ["brand"] = "#12304a",
        ["border"] = "#d0d7de",
        ["accent"] = "#f0b429",
        ["muted-text"] = "#5b6b79",
        ["selected"] = "#fff4d6",
        ["error"] = "#b10026",
        ["muted-line"] = "#8aa1b4",
        ["alert-halo"] = "rgba(106,27,154,.25)",
        ["unit-stale"] = "#f9a825",
        ["surface-alt"] = "#f6f8fa",
        ["surface-muted"] = "#eef2f4",
        ["unit-lost"] = "#757575",
        ["alert"] = "#6a1b9a",
        ["brand-2"] = "#2a5273",
        ["ok"] = "#1a6b1a",
        ["unit-fresh"] = "#1565c0",
        ["shadow-5"] = "#0005",
        ["shadow-3"] = "#0003",
        ["shadow-7"] = "#0007",
        ["shadow-6"] = "#0006",
        ["cluster"] = "rgba(37,48,68,.7)",
        ["scrim"] = "rgba(0,0,0,.5)",
        ["surface-glass"] = "#fffd",
        ["alert-row"] = "#faf5fc",
        ["surface-grey"] = "#f5f5f5",
        ["hover"] = "#eef3f8",
        ["active"] = "#e8f0f7",
        ["highlight-row"] = "#d9f6fb",
        ["line-light"] = "#c9d7e3",
        ["disabled"] = "#9e9e9e",
        ["warn-text"] = "#8a6d00",
        ["link-muted"] = "#5b7a94",
        ["text-2"] = "#444",
        ["text"] = "#333",
        ["rail"] = "#253044",
        ["brand-3"] = "#1d4566",
        ["brand-hover"] = "#1d3b55",
        ["ink"] = "#1b2733",
        ["brand-tint"] = "#12304a14",
        ["label"] = "#123",
        ["brand-dark"] = "#0c2235",
        ["link"] = "#0b5cad",
        ["highlight-accent"] = "#00b8d4",
    };

    /// <summary>The <c>:root</c> rule declaring <see cref="Css"/> as <c>--mc-*</c> variables (constants only, no user text).</summary>
    public static string CssVariables() => ":root{" + string.Concat(Css.Select(kv => $"--mc-{kv.Key}:{kv.Value};")) + "}";

    /// <summary>The colour of an incident kind.</summary>
    public static string IncidentColour(string kind) => IncidentKinds.TryGetValue(kind, out var c) ? c : IncidentOther;
}
