using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace MapControl.Web.Components.Map;

/// <summary>The one map: a Blazor component over Leaflet with its own JS module; every JS handle is disposed.</summary>
public sealed partial class LeafletMap
{
    private ElementReference _element;
    private IJSObjectReference? _module;
    private IJSObjectReference? _map;
    private bool _disposed; // the page left: calls still under way (a layer loading) do nothing instead of failing the circuit
    private DotNetObjectReference<LeafletMap>? _self;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>Initial centre longitude.</summary>
    [Parameter] public double CenterLon { get; set; } = 118.55;

    /// <summary>Initial centre latitude.</summary>
    [Parameter] public double CenterLat { get; set; } = 37.55;

    /// <summary>Initial zoom.</summary>
    [Parameter] public int Zoom { get; set; } = 9;

    /// <summary>The language of the map's own controls (legend header, measure tool, cursor readout).</summary>
    [Parameter] public Localization.Texts Texts { get; set; } = Localization.Texts.Zh;

    /// <summary>Raised once the map exists and layers can be added.</summary>
    [Parameter] public EventCallback OnReady { get; set; }

    /// <summary>Raised on a click on the map background.</summary>
    [Parameter] public EventCallback<MapClick> OnMapClicked { get; set; }

    /// <summary>Raised on a click on a feature.</summary>
    [Parameter] public EventCallback<FeatureClick> OnFeatureClicked { get; set; }

    /// <summary>Raised after the map was panned or zoomed.</summary>
    [Parameter] public EventCallback<MapView> OnViewChanged { get; set; }

    /// <summary>Raised when the user switches an overlay in the layer control.</summary>
    [Parameter] public EventCallback<LayerToggle> OnLayerToggled { get; set; }

    /// <summary>Raised when the edited geometry changed (vertex moved, polygon drawn, cut or removed).</summary>
    [Parameter] public EventCallback OnEdited { get; set; }

    /// <summary>True once the JS map exists.</summary>
    public bool IsReady => _map is not null;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Map/LeafletMap.razor.js");
        _self = DotNetObjectReference.Create(this);
        _map = await _module.InvokeAsync<IJSObjectReference>("create", _element, _self,
            new
            {
                centerLon = CenterLon, centerLat = CenterLat, zoom = Zoom,
                palette = Shell.Palette.ForMap(),
                texts = JsTexts(Texts),
            });
        if (_disposed)
        {
            await DisposeJsAsync();
            return;
        }
        await OnReady.InvokeAsync();
    }

    /// <summary>Adds (or replaces) a GeoJSON overlay fetched by the browser from <paramref name="url"/>; returns its feature count.</summary>
    public ValueTask<int> AddGeoJsonAsync(string id, string title, string url, LayerStyle style, bool visible = true) =>
        Map.InvokeAsync<int>("addGeoJson", id, title, url, ToJs(style), visible);

    /// <summary>Adds (or replaces) a vector-tile overlay; <paramref name="layerName"/> is the MVT layer inside the tiles.</summary>
    public ValueTask AddVectorTilesAsync(string id, string title, string urlTemplate, string layerName, LayerStyle style, bool visible = true) =>
        Map.InvokeVoidAsync("addVectorTiles", id, title, urlTemplate, layerName, ToJs(style), visible);

    /// <summary>Adds a raster tile layer under the overlays (the basemap).</summary>
    public ValueTask AddTilesAsync(string id, string title, string urlTemplate, string attribution = "") =>
        Map.InvokeVoidAsync("addTiles", id, title, urlTemplate, new { attribution });

    /// <summary>Sets a heatmap overlay from (lat, lon, weight) triples.</summary>
    public ValueTask SetHeatAsync(string id, string title, IEnumerable<double[]> points, bool visible = true, IReadOnlyList<LegendItem>? legend = null) =>
        Map.InvokeVoidAsync("setHeat", id, title, points, HeatOptions(legend, null, null), visible);

    /// <summary>Sets a heatmap overlay from [lat, lon, weight] triples the browser fetches from <paramref name="url"/>; returns the point count.</summary>
    /// <remarks>With an owner (a view) the layer leaves the map with its view; the gradient maps 0–1 (as text) to colours.</remarks>
    public ValueTask<int> SetHeatFromUrlAsync(string id, string title, string url, IReadOnlyList<LegendItem>? legend = null, bool visible = true,
        string? owner = null, IReadOnlyDictionary<string, string>? gradient = null, double? cellM = null)
    {
        var options = HeatOptions(legend, owner, gradient);
        if (cellM is > 0) options["cellM"] = cellM;
        return Map.InvokeAsync<int>("setHeatFromUrl", id, title, url, options, visible);
    }

    private static Dictionary<string, object?> HeatOptions(IReadOnlyList<LegendItem>? legend, string? owner, IReadOnlyDictionary<string, string>? gradient)
    {
        var o = new Dictionary<string, object?> { ["legend"] = legend?.Select(l => new { colour = l.Colour, label = l.Label, shape = l.Shape }), ["owner"] = owner };
        if (gradient is not null) o["gradient"] = gradient;
        return o;
    }

    /// <summary>The view on screen: layers owned by another view leave the map, and arrive no more.</summary>
    public ValueTask SetOwnerAsync(string owner) => Map.InvokeVoidAsync("setOwner", owner);

    /// <summary>Changes the language of the map's own controls.</summary>
    public ValueTask SetTextsAsync(Localization.Texts texts) => _map is null ? ValueTask.CompletedTask : _map.InvokeVoidAsync("setTexts", JsTexts(texts));

    private static object JsTexts(Localization.Texts t) => new { legend = t["map.legend"], measure = t["map.measure"], measureHint = t["map.measurehint"] };

    /// <summary>The cursor readout in CGCS2000 6-degree Gauss-Kruger (Core <see cref="MapControl.Core.Crs.GaussKrugerReadout"/>).</summary>
    [JSInvokable("GaussKruger")]
    public string GaussKruger(double lon, double lat) => MapControl.Core.Crs.GaussKrugerReadout.Of(lon, lat) is { } p
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CGCS2000 GK {p.Zone}: X {p.X:0.0} Y {p.Y:0.0}")
        : "";

    /// <summary>The measure tool's figures for [lon, lat] points (Core <see cref="MapControl.Core.Spatial.GeodesicMeasure"/>): length, and area from 3 points.</summary>
    [JSInvokable("Measure")]
    public string Measure(double[][] points)
    {
        if (points is null || points.Length > 10_000) return "";
        var list = points.Where(p => p is { Length: >= 2 } && double.IsFinite(p[0]) && double.IsFinite(p[1])).Select(p => (p[0], p[1])).ToArray();
        var length = MapControl.Core.Spatial.GeodesicMeasure.Length(list);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var text = length >= 1000 ? string.Create(c, $"{length / 1000:0.000} km") : string.Create(c, $"{length:0.0} m");
        if (list.Length >= 3)
        {
            var area = MapControl.Core.Spatial.GeodesicMeasure.Area(list);
            text += " · " + (area >= 1e5 ? string.Create(c, $"{area / 1e6:0.000} km²") : string.Create(c, $"{area:0} m²"));
        }
        return text;
    }

    /// <summary>Puts a GeoJSON geometry on the map for editing with leaflet-geoman (vertices, drag, draw, cut, remove, snapping).</summary>
    public ValueTask StartEditAsync(string geoJson, string colour) => Map.InvokeVoidAsync("startEdit", System.Text.Json.JsonDocument.Parse(geoJson).RootElement,
        new { colour, sharedVertexM = MapControl.Core.Redraw.VertexSnap.ToleranceM });

    /// <summary>The edited geometry as GeoJSON MultiPolygon text, or null when nothing is left.</summary>
    public async ValueTask<string?> EditedGeometryAsync()
    {
        var json = await Map.InvokeAsync<System.Text.Json.JsonElement?>("editedGeometry");
        return json is { ValueKind: System.Text.Json.JsonValueKind.Object } j ? j.GetRawText() : null;
    }

    /// <summary>Starts topological editing: the item's geometry plus its neighbours (shown, snappable; shared vertices follow a move when editable).</summary>
    public ValueTask StartEditAsync(string geoJson, string colour, IEnumerable<EditNeighbour> neighbours) =>
        Map.InvokeVoidAsync("startEdit", System.Text.Json.JsonDocument.Parse(geoJson).RootElement, new
        {
            colour,
            // Two points within Core's snap distance are one vertex, in the browser as on the server (one rule, one place).
            sharedVertexM = MapControl.Core.Redraw.VertexSnap.ToleranceM,
            neighbours = neighbours.Select(n => new { key = n.Key, name = n.Name, colour = n.Colour, editable = n.Editable, geometry = System.Text.Json.JsonDocument.Parse(n.GeoJson).RootElement }),
        });

    /// <summary>The edit as it is now (geometry, neighbours moved with it, revision, undo/redo), or null when not editing.</summary>
    public async ValueTask<EditState?> EditStateAsync() => _map is null ? null : await _map.InvokeAsync<EditState?>("editState");

    /// <summary>Undoes the last edit step; false when there is none.</summary>
    public ValueTask<bool> UndoEditAsync() => Map.InvokeAsync<bool>("editUndo");

    /// <summary>Redoes the last undone step; false when there is none.</summary>
    public ValueTask<bool> RedoEditAsync() => Map.InvokeAsync<bool>("editRedo");

    /// <summary>Replaces the edited geometry (one undoable step).</summary>
    public ValueTask ReplaceEditAsync(string geoJson) => Map.InvokeVoidAsync("editReplace", System.Text.Json.JsonDocument.Parse(geoJson).RootElement);

    /// <summary>Marks the edit as saved (no unsaved-edits guard until the next change).</summary>
    public ValueTask MarkEditSavedAsync() => _map is null ? ValueTask.CompletedTask : _map.InvokeVoidAsync("editMarkSaved");

    /// <summary>Whether a moved shared vertex moves the neighbours too.</summary>
    public ValueTask SetTopologicalAsync(bool on) => Map.InvokeVoidAsync("editTopological", on);

    /// <summary>After a conflict: puts the neighbours as stored now (with the planner's replayed moves, <c>changed</c>) into the editor.</summary>
    public ValueTask RebaseNeighboursAsync(IEnumerable<(string Key, string GeoJson, bool Changed)> neighbours) =>
        // One argument, the list (an array given alone would be spread into one argument per neighbour).
        Map.InvokeVoidAsync("editRebaseNeighbours", new object?[] { neighbours.Select(n => new { key = n.Key, geometry = System.Text.Json.JsonDocument.Parse(n.GeoJson).RootElement, changed = n.Changed }).ToArray() });

    /// <summary>Raised when a shared vertex moved neighbours too ("moved") or was refused for lack of rights ("refused").</summary>
    [Parameter] public EventCallback<EditNotice> OnEditNotice { get; set; }

    [JSInvokable("OnEditNotice")] public async Task EditNoticed(EditNotice notice)
    {
        if (EditNoticeRaised is { } raised) await raised(notice);
        await OnEditNotice.InvokeAsync(notice);
    }

    /// <summary>Moves one vertex of the edited polygon by a share of the view.</summary>
    public ValueTask<bool> NudgeVertexAsync(int index, double dLonShare, double dLatShare) => Map.InvokeAsync<bool>("nudgeVertex", index, dLonShare, dLatShare);

    /// <summary>Ends editing and removes the edit layer and toolbar.</summary>
    public ValueTask StopEditAsync() => _map is null ? ValueTask.CompletedTask : _map.InvokeVoidAsync("stopEdit");

    /// <summary>Saves the rendered map canvases as a PNG file in the browser (see the JS module for what it contains); returns its size in bytes.</summary>
    public ValueTask<int> DownloadPngAsync(string fileName, string? title = null, string? subtitle = null) =>
        Map.InvokeAsync<int>("downloadPng", fileName, title is null ? null : new { title, subtitle });

    /// <summary>How many features of a loaded GeoJSON overlay have the property equal to the value (as text).</summary>
    public ValueTask<int> CountWhereAsync(string id, string property, string value) => Map.InvokeAsync<int>("countWhere", id, property, value);

    /// <summary>Fits the view to an overlay's features.</summary>
    public ValueTask FitToLayerAsync(string id) => Map.InvokeVoidAsync("fitToLayer", id);

    /// <summary>Fits the view to an overlay unless a list asked for a flight since <paramref name="unlessFlownSince"/> (a <see cref="FlightCountAsync"/> token).</summary>
    public ValueTask FitToLayerAsync(string id, int unlessFlownSince) => Map.InvokeVoidAsync("fitToLayer", id, unlessFlownSince);

    /// <summary>The number of flights asked for so far (a token for <see cref="FitToLayerAsync(string, int)"/>).</summary>
    public ValueTask<int> FlightCountAsync() => Map.InvokeAsync<int>("flightCount");

    /// <summary>Tells Leaflet the map's container changed size.</summary>
    public ValueTask InvalidateSizeAsync() => _map is null ? ValueTask.CompletedTask : _map.InvokeVoidAsync("invalidateSize");

    /// <summary>Removes an overlay and releases its handlers.</summary>
    public ValueTask RemoveLayerAsync(string id) => Map.InvokeVoidAsync("removeLayer", id);

    /// <summary>Shows or hides an overlay.</summary>
    public ValueTask SetVisibleAsync(string id, bool visible) => Map.InvokeVoidAsync("setVisible", id, visible);

    /// <summary>Ids of the overlays currently shown.</summary>
    public ValueTask<string[]> GetVisibleLayersAsync() => Map.InvokeAsync<string[]>("visibleLayers");

    /// <summary>Raised when an alert marker is clicked (its id).</summary>
    [Parameter] public EventCallback<long> OnAlertClicked { get; set; }

    /// <summary>Draws live units and alerts (<paramref name="replace"/>: a full snapshot, drop what is not in it).</summary>
    public ValueTask SetLiveAsync(IEnumerable<object> units, IEnumerable<object> alerts, object titles, bool replace) =>
        _map is null ? ValueTask.CompletedTask : _map.InvokeVoidAsync("setLive", units, alerts, titles, replace);

    /// <summary>Flies to a point.</summary>
    public ValueTask FlyToPointAsync(double lon, double lat, int zoom = 15) => Map.InvokeVoidAsync("flyTo", lon, lat, zoom);

    /// <summary>Plays the new-alert sound.</summary>
    public ValueTask BeepAsync() => _map is null ? ValueTask.CompletedTask : _map.InvokeVoidAsync("beep");

    /// <summary>Called by the JS module when an alert marker is clicked.</summary>
    [JSInvokable("OnAlertClick")] public Task AlertClicked(long id) => OnAlertClicked.InvokeAsync(id);

    /// <summary>Flies the map to a lon/lat box.</summary>
    public ValueTask FlyToAsync(double west, double south, double east, double north, int maxZoom = 16) =>
        Map.InvokeVoidAsync("flyToBounds", west, south, east, north, maxZoom);

    /// <summary>Outlines one GeoJSON geometry on top of everything (null clears).</summary>
    public ValueTask HighlightAsync(object? geoJson) => Map.InvokeVoidAsync("highlight", geoJson);

    /// <summary>The current view.</summary>
    public ValueTask<MapView> GetViewAsync() => Map.InvokeAsync<MapView>("view");

    /// <summary>Called by the JS module.</summary>
    [JSInvokable] public Task OnMapClick(MapClick click) => OnMapClicked.InvokeAsync(click);
    [JSInvokable] public Task OnFeatureClick(FeatureClick click) => OnFeatureClicked.InvokeAsync(click);
    [JSInvokable("OnViewChanged")] public Task ViewChanged(MapView view) => OnViewChanged.InvokeAsync(view);
    [JSInvokable("OnLayerToggled")] public Task LayerToggled(LayerToggle toggle) => OnLayerToggled.InvokeAsync(toggle);
    [JSInvokable("OnEdited")] public async Task Edited()
    {
        if (EditChanged is { } changed) await changed();
        await OnEdited.InvokeAsync();
    }

    /// <summary>Raised when the edited geometry changed, for the panel that started the edit.</summary>
    public event Func<Task>? EditChanged;

    /// <summary>Raised with each notice of the editor, for the panel that started the edit.</summary>
    public event Func<EditNotice, Task>? EditNoticeRaised;

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return DisposeJsAsync();
    }

    private async ValueTask DisposeJsAsync()
    {
        try
        {
            if (_map is not null)
            {
                await _map.InvokeVoidAsync("dispose");
                await _map.DisposeAsync();
            }
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone with the browser tab: the JS side has nothing left to release.
        }
        catch (TaskCanceledException)
        {
        }
        _map = null;
        _module = null;
        _self?.Dispose();
        _self = null;
    }

    // After the page has left (the user navigated away while layers were loading), the map's calls do nothing: an exception
    // there would end the user's circuit, and the next page with it.
    private IJSObjectReference Map => _disposed ? GoneMap.Instance : _map ?? throw new InvalidOperationException("The map is not ready yet; wait for OnReady.");

    /// <summary>The map of a page that has left: every call returns the default at once.</summary>
    private sealed class GoneMap : IJSObjectReference
    {
        public static readonly GoneMap Instance = new();

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => ValueTask.FromResult(default(TValue)!);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            ValueTask.FromResult(default(TValue)!);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static object ToJs(LayerStyle s) => new
    {
        @base = s.Base,
        colourProperty = s.ColourProperty,
        rules = s.Rules?.Select(r => new { property = r.Property, value = r.Value, style = r.Style }),
        labelProperty = s.LabelProperty,
        permanentLabels = s.PermanentLabels,
        legend = s.Legend?.Select(l => new { colour = l.Colour, label = l.Label, shape = l.Shape }),
        dynamic = s.Dynamic,
        countProperty = s.CountProperty,
        hidden = s.Hidden,
        filter = s.Filter,
        owner = s.Owner,
        cluster = s.Cluster,
    };
}
