namespace MapControl.Web.Components.Map;

/// <summary>The visible extent of the map in lon/lat and its zoom.</summary>
public sealed record MapView(double West, double South, double East, double North, double Zoom);

/// <summary>A click on the map background.</summary>
public sealed record MapClick(double Lon, double Lat);

/// <summary>A click on a feature of an overlay: its layer, where, and its (scalar) properties as text.</summary>
public sealed record FeatureClick(string LayerId, double Lon, double Lat, IReadOnlyDictionary<string, string?> Properties);

/// <summary>An overlay switched on or off in the layer control.</summary>
public sealed record LayerToggle(string LayerId, bool Visible);

/// <summary>One row of a layer's legend.</summary>
public sealed record LegendItem(string Colour, string Label, string? Shape = null);

/// <summary>A style rule: features whose property equals the value get the style.</summary>
public sealed record StyleRule(string Property, string Value, IReadOnlyDictionary<string, object> Style);

/// <summary>How a layer is drawn: Leaflet path options, an optional colour property, rules, a label property and a legend;
/// Dynamic layers are fetched again with bbox and zoom after every move; CountProperty marks cluster sizes; Hidden keeps a layer out of the layer control;
/// Owner names the view that owns the layer (it leaves the map with its view); Cluster draws points clustered.</summary>
public sealed record LayerStyle(
    IReadOnlyDictionary<string, object> Base,
    string? ColourProperty = null,
    IReadOnlyList<StyleRule>? Rules = null,
    string? LabelProperty = null,
    bool PermanentLabels = false,
    IReadOnlyList<LegendItem>? Legend = null,
    bool Dynamic = false,
    string? CountProperty = null,
    bool Hidden = false,
    IReadOnlyDictionary<string, string?>? Filter = null,
    string? Owner = null,
    bool Cluster = false);

/// <summary>A neighbour shown while editing: its key, name, colour, whether the editor may move it, its geometry (GeoJSON).</summary>
public sealed record EditNeighbour(string Key, string Name, string Colour, bool Editable, string GeoJson);

/// <summary>A neighbour moved with the edited item: its key and geometry.</summary>
public sealed record EditedNeighbour(string Key, System.Text.Json.JsonElement Geometry);

/// <summary>The edit in the browser: the item's geometry, the neighbours moved with it, the revision (bumped by every change), undo/redo, unsaved.</summary>
public sealed record EditState(System.Text.Json.JsonElement? Geometry, IReadOnlyList<EditedNeighbour> Neighbours, int Revision, bool CanUndo, bool CanRedo, bool Dirty);

/// <summary>What the editor did with a shared vertex: "moved" the named neighbours with it, or "refused" (no rights on them).</summary>
public sealed record EditNotice(string Kind, IReadOnlyList<string> Names);
