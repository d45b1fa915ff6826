// The JS half of LeafletMap.razor: one Leaflet map per component instance.
// Leaflet and its plugins are loaded as classic scripts (wwwroot/lib, from npm) and found on window.L.
// Every handle made here is kept in the instance and released by dispose().

const L = window.L;
import { EditSession } from '../../js/map-editing.js';

/** Leaflet's layer list greys a layer zoomed in past its options.maxZoom. leaflet.heat's maxZoom is the zoom of full intensity,
 *  not a bound of where it draws (it draws at every zoom), so a heat layer's entry is greyed only below its minZoom, if any.
 *  Overrides Leaflet 1.9's Control.Layers internals (_checkDisabledLayers, _layerControlInputs, _getLayer). */
const HeatAwareLayers = L.Control.Layers.extend({
    _checkDisabledLayers() {
        L.Control.Layers.prototype._checkDisabledLayers.call(this);
        if (!L.HeatLayer) return;
        const zoom = this._map.getZoom();
        for (const input of this._layerControlInputs ?? []) {
            const layer = this._getLayer(input.layerId)?.layer;
            if (layer instanceof L.HeatLayer) input.disabled = layer.options.minZoom !== undefined && zoom < layer.options.minZoom;
        }
    },
});

/** Creates a map in `element` and returns the instance the .NET side holds as an IJSObjectReference. */
export function create(element, dotNet, options) {
    return new MapInstance(element, dotNet, options);
}

class MapInstance {
    constructor(element, dotNet, options) {
        this.dotNet = dotNet;
        this.element = element;
        this.layers = new Map();      // id -> { layer, title, overlay, style, url?, dynamic?, abort? }
        this.map = L.map(element, {
            center: [options.centerLat, options.centerLon],
            zoom: options.zoom,
            minZoom: options.minZoom ?? 6,
            maxZoom: options.maxZoom ?? 18,
            preferCanvas: true,
            zoomControl: true,
            attributionControl: true,
        });
        this.map.attributionControl.setPrefix('MapControl');
        // Colours of the highlight and measure lines come from the .NET palette (Palette.cs): this module holds none of its own.
        this.palette = options.palette ?? {};
        this.texts = options.texts ?? {};
        this.owner = null;            // the view whose own layers may be on the map (setOwner)
        this.flights = 0;             // flights asked for by a list (flyTo, flyToBounds): a later automatic fit yields to them
        // On a small screen (phone) the layer list starts folded behind its button.
        const small = element.clientWidth < 700 || element.clientHeight < 560;
        this.layerControl = new HeatAwareLayers(null, null, { collapsed: small, position: 'topright' }).addTo(this.map);
        L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(this.map);
        this.legend = this.#legendControl().addTo(this.map);
        this.coords = this.#coordinatesControl().addTo(this.map);
        this.measureControl = this.#measureControl().addTo(this.map);
        // The map follows its container (phone sheet, rotation, window size).
        this.resizeObserver = new ResizeObserver(() => this.map.invalidateSize());
        this.resizeObserver.observe(element);

        this.handlers = {
            click: e => this.#invoke('OnMapClick', { lon: e.latlng.lng, lat: e.latlng.lat }),
            movestart: () => this.element.setAttribute('data-moving', 'true'),
            moveend: () => {
                this.element.removeAttribute('data-moving');
                this.#markView(); this.#reloadDynamic(); this.#declutter(); this.#keepHighlight();
                this.#invoke('OnViewChanged', this.#view());
            },
            mousemove: e => this.coords.update(e.latlng),
            zoomend: () => this.#declutter(),
            overlayadd: e => this.#overlayToggled(e.layer, true),
            overlayremove: e => this.#overlayToggled(e.layer, false),
        };
        for (const [name, fn] of Object.entries(this.handlers)) this.map.on(name, fn);
        this.#markView();
        element.dataset.mapReady = 'true';
    }

    #markView() {
        const c = this.map.getCenter();
        this.element.setAttribute('data-center', `${c.lng.toFixed(5)},${c.lat.toFixed(5)}`);
        this.element.setAttribute('data-zoom', String(this.map.getZoom()));
    }

    // ---- layers -------------------------------------------------------------------------

    /** A GeoJSON overlay fetched from `url` (JSON FeatureCollection), styled by `style`.
     *  With style.dynamic the URL gets bbox and zoom and is fetched again after every pan or zoom (big layers, clustered server-side). */
    async addGeoJson(id, title, url, style, visible) {
        if (!this.#owned(style)) return 0;
        // The same overlay again (new department, window or data): keep its place in the control and in the drawing order.
        const existing = this.layers.get(id);
        if (existing && existing.url !== undefined && existing.title === title) {
            existing.style = style;
            existing.url = url;
            existing.dynamic = !!style.dynamic;
            if (visible !== this.map.hasLayer(existing.layer)) this.setVisible(id, visible);
            this.#renderLegend();
            return await this.#load(id, existing);
        }
        this.removeLayer(id);
        const entry = { title, overlay: true, style, url, dynamic: !!style.dynamic, owner: style.owner ?? null };
        const layer = L.geoJSON(null, {
            style: f => this.#style(entry.style, f.properties),
            pointToLayer: (f, latlng) => this.#point(entry.style, f, latlng),
            onEachFeature: (f, l) => {
                const st = entry.style;
                const count = st.countProperty ? Number(f.properties?.[st.countProperty] ?? 1) : 1;
                if (count > 1) {
                    l.bindTooltip(textContent(String(count)), { permanent: true, direction: 'center', className: 'mc-cluster-label' });
                } else if (st.labelProperty && f.properties?.[st.labelProperty] != null) {
                    if (f.geometry?.type === 'MultiPolygon' && f.geometry.coordinates.length > 1) labelOnLargestPart(l);
                    l.bindTooltip(textContent(f.properties[st.labelProperty]), { permanent: !!st.permanentLabels, direction: 'center', className: 'mc-label' });
                }
                l.on('click', e => {
                    L.DomEvent.stopPropagation(e);
                    if (count > 1) { this.map.setView(e.latlng, Math.min(this.map.getZoom() + 2, 18)); return; }
                    this.#featureClicked(id, f, e.latlng);
                });
            },
        });
        entry.layer = layer;
        if (style.cluster && L.markerClusterGroup) {
            // Points drawn clustered (leaflet.markercluster): the GeoJSON layer holds them, the cluster group shows them.
            entry.inner = layer;
            entry.layer = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, chunkedLoading: true,
                iconCreateFunction: c => {
                    // A child may stand for several (style.countProperty: an aggregated cell): the cluster shows the incidents.
                    const cp = entry.style.countProperty;
                    const n = cp ? c.getAllChildMarkers().reduce((sum, m) => sum + Number(m.feature?.properties?.[cp] ?? 1), 0) : c.getChildCount();
                    const size = n < 10 ? 28 : n < 100 ? 34 : 42;
                    const span = document.createElement('span');
                    span.textContent = String(n);
                    return L.divIcon({ html: span, className: 'mc-cluster', iconSize: [size, size] });
                } });
        }
        this.#register(id, title, entry.layer, visible, style, entry);
        return await this.#load(id, entry);
    }

    /** True when a layer may be added now: it has no owner, or its owner is the view on screen. */
    #owned(style) {
        return !style?.owner || this.owner === null || style.owner === this.owner;
    }

    /** The view on screen: every layer another view owns leaves the map (also one still loading: it is not added when it arrives). */
    setOwner(owner) {
        this.owner = owner;
        for (const [id, e] of [...this.layers]) {
            if (e.owner && e.owner !== owner) this.removeLayer(id);
        }
        this.highlight(null);
        this.element.setAttribute('data-owner', owner);
    }

    /** Fetches (again) the data of a GeoJSON overlay; a newer request aborts an older one. */
    async #load(id, entry) {
        entry.abort?.abort();
        const abort = new AbortController();
        entry.abort = abort;
        let url = entry.url;
        if (entry.dynamic) {
            const b = this.map.getBounds();
            const sep = url.includes('?') ? '&' : '?';
            url += `${sep}bbox=${b.getWest().toFixed(5)},${b.getSouth().toFixed(5)},${b.getEast().toFixed(5)},${b.getNorth().toFixed(5)}&zoom=${this.map.getZoom()}`;
        }
        this.element.setAttribute(`data-loading-${id}`, 'true');
        try {
            const response = await fetch(url, { credentials: 'same-origin', signal: abort.signal });
            if (!response.ok) throw new Error(`${entry.title}: ${response.status} ${response.statusText}`);
            const data = await response.json();
            if (this.layers.get(id) !== entry) return 0;   // removed or replaced meanwhile
            if (entry.inner) {
                entry.inner.clearLayers();
                entry.inner.addData(data);
                entry.layer.clearLayers();
                entry.layer.addLayers(entry.inner.getLayers());
            } else {
                entry.layer.clearLayers();
                entry.layer.addData(data);
            }
            this.#declutter();
            this.#restack(id);       // a reloaded overlay is drawn last on the shared canvas: the overlays above it go on top again
            this.#keepHighlight();   // and the highlight over all of them
            const n = data.features?.length ?? 0;
            this.element.setAttribute(`data-count-${id}`, String(n));
            // The first draw of each overlay is marked once in the page's performance timeline (read by the browser tests).
            if (performance.getEntriesByName(`mc-drawn-${id}`, 'mark').length === 0) performance.mark(`mc-drawn-${id}`);
            return n;
        } catch (e) {
            if (e.name === 'AbortError') return 0;
            throw e;
        } finally {
            if (entry.abort === abort) { entry.abort = null; this.element.removeAttribute(`data-loading-${id}`); }
        }
    }

    #reloadDynamic() {
        for (const [id, e] of this.layers) {
            if (e.dynamic && this.map.hasLayer(e.layer)) this.#load(id, e).catch(() => { });
        }
    }

    #point(style, f, latlng) {
        const s = this.#style(style, f.properties);
        MapInstance.#sizeByCount(style, f.properties, s);
        return s.symbol === 'diamond' ? new Diamond(latlng, s) : L.circleMarker(latlng, s);
    }

    /** A point that stands for several (style.countProperty > 1: a cluster, an aggregated tile cell) grows with its count. */
    static #sizeByCount(style, props, s) {
        const count = style.countProperty ? Number(props?.[style.countProperty] ?? 1) : 1;
        if (count > 1) s.radius = Math.min(28, 6 + 3 * Math.log2(count));
    }

    /** A vector-tile overlay (Mapbox Vector Tiles) from a URL template with {z}/{x}/{y}; style.filter hides features
     *  whose properties do not match ({ property: value }, value null = all). */
    addVectorTiles(id, title, urlTemplate, layerName, style, visible) {
        this.removeLayer(id);
        const layer = L.vectorGrid.protobuf(urlTemplate, {
            rendererFactory: L.canvas.tile,
            interactive: true,
            maxNativeZoom: 16,
            vectorTileLayerStyles: { [layerName]: (props) => this.#tileStyle(style, props) },
            getFeatureId: f => f.properties.id ?? f.properties.code,
        });
        layer.on('click', e => { L.DomEvent.stopPropagation(e); this.#featureClicked(id, { properties: e.layer.properties }, e.latlng); });
        let tiles = 0;
        layer.on('tileload', () => this.element.setAttribute(`data-tiles-${id}`, String(++tiles)));
        this.#register(id, title, layer, visible, style);
    }

    #tileStyle(style, props) {
        for (const [k, v] of Object.entries(style.filter ?? {})) {
            if (v !== null && v !== undefined && v !== '' && String(props?.[k]) !== String(v)) return [];
        }
        const s = this.#style(style, props);
        MapInstance.#sizeByCount(style, props, s);   // the incidents tile below z13 holds one point per cell with its count
        if (s.fill === undefined) s.fill = true;
        return s;
    }

    /** A raster tile layer (offline basemap or intranet tile server) placed under every overlay. */
    addTiles(id, title, urlTemplate, options) {
        this.removeLayer(id);
        const layer = L.tileLayer(urlTemplate, { maxZoom: 18, ...options });
        layer.addTo(this.map);
        layer.bringToBack();
        this.layers.set(id, { layer, title, overlay: false });
    }

    /** A heatmap (leaflet.heat) of [lat, lon, weight] triples. */
    setHeat(id, title, points, options, visible) {
        if (!this.#owned(options)) return;
        this.removeLayer(id);
        const layer = L.heatLayer(points, { radius: 16, blur: 18, maxZoom: 14, max: 4, ...options });
        if (options?.cellM > 0) {
            // Points of a grid (options.cellM metres, each at its cell's centre): once a cell is wider on screen than a blob, the
            // blobs would show the grid as a lattice, so from there on each blob is widened to its cell and they merge into the
            // surface the cells' counts give, at the grid's resolution (the layer's zoom handler lives while it is on the map).
            const fit = () => {
                const metresPerPixel = 40075016.686 * Math.cos(this.map.getCenter().lat * Math.PI / 180) / (256 * Math.pow(2, this.map.getZoom()));
                const cellPx = options.cellM / metresPerPixel;
                layer.setOptions({ radius: Math.max(16, 0.8 * cellPx), blur: Math.max(18, 0.9 * cellPx) });
            };
            layer.on('add', () => { this.map.on('zoomend', fit); fit(); });
            layer.on('remove', () => this.map.off('zoomend', fit));
        }
        this.#register(id, title, layer, visible, { legend: options?.legend }, { layer, title, overlay: true, style: { legend: options?.legend }, owner: options?.owner ?? null });
    }

    /** A heatmap whose [lat, lon, weight] triples are fetched from `url` (weight: incidents of a grid cell); returns the sum of
     *  the weights — the incidents drawn. leaflet.heat sums the weights of its screen cells, so a cell of n weighs as n points. */
    async setHeatFromUrl(id, title, url, options, visible) {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok) throw new Error(`${title}: ${response.status} ${response.statusText}`);
        const points = await response.json();
        if (!this.#owned(options)) return 0;   // its view was left while it loaded
        this.setHeat(id, title, points, options, visible);
        const total = points.reduce((sum, p) => sum + (p[2] ?? 1), 0);
        this.element.setAttribute(`data-count-${id}`, String(total));
        return total;
    }

    removeLayer(id) {
        const entry = this.layers.get(id);
        if (!entry) return;
        entry.abort?.abort();
        if (entry.overlay) this.layerControl.removeLayer(entry.layer);
        this.element.removeAttribute(`data-count-${id}`);
        // First off the map, then its own listeners: Leaflet drops a layer's map handlers (zoomanim, viewreset, move) and a
        // vector grid its tile renderers in listeners of the layer's 'remove' and 'tileunload' events. Dropped before, they
        // stayed on the map with no map ("Cannot read properties of null (reading 'project')") and broke the next flight.
        this.map.removeLayer(entry.layer);
        entry.layer.off();
        this.layers.delete(id);
        this.#renderLegend();
    }

    setVisible(id, visible) {
        const entry = this.layers.get(id);
        if (!entry) return;
        if (visible && !this.map.hasLayer(entry.layer)) { entry.layer.addTo(this.map); this.#restack(id); this.#keepHighlight(); }
        if (!visible && this.map.hasLayer(entry.layer)) this.map.removeLayer(entry.layer);
        this.#renderLegend();
    }

    visibleLayers() {
        return [...this.layers.entries()].filter(([, e]) => this.map.hasLayer(e.layer)).map(([id]) => id);
    }

    // ---- view ---------------------------------------------------------------------------

    flyToBounds(west, south, east, north, maxZoom) {
        this.flights++;
        this.map.flyToBounds([[south, west], [north, east]], { maxZoom: maxZoom ?? 16, duration: 0.8, paddingBottomRight: [0, this.#coveredBottom()] });
    }

    /** Pixels at the bottom of the map hidden by an element over it (a phone's bottom sheet, marked data-covers-map). */
    #coveredBottom() {
        const map = this.element.getBoundingClientRect();
        let covered = 0;
        for (const el of document.querySelectorAll('[data-covers-map]')) {
            const position = getComputedStyle(el).position;
            if (position !== 'absolute' && position !== 'fixed') continue;
            const r = el.getBoundingClientRect();
            if (r.top < map.bottom && r.bottom > map.top && r.left < map.right && r.right > map.left) covered = Math.max(covered, map.bottom - r.top);
        }
        return Math.max(0, Math.min(covered, map.height - 80));
    }

    setView(lon, lat, zoom) { this.map.setView([lat, lon], zoom); }

    view() { return this.#view(); }

    /** The number of flights asked for so far (a token for fitToLayer's unlessFlownSince). */
    flightCount() { return this.flights; }

    /** Highlights one geometry (GeoJSON) on top of everything; null clears it. It stays until cleared or replaced: through
     *  flights, department fits and reloads of the overlays it stays on the map and on top (#keepHighlight). */
    highlight(geojson) {
        if (this.highlightLayer) { this.map.removeLayer(this.highlightLayer); this.highlightLayer = null; }
        if (!geojson) { this.element.removeAttribute('data-highlight'); return; }
        // A dark halo under a bright line: visible on every fill; a point gets a ring.
        const colour = this.palette.highlight, halo = this.palette.halo;
        const group = L.featureGroup([], { pmIgnore: true });
        for (const [c, w] of [[halo, 8], [colour, 4]]) {
            L.geoJSON(geojson, {
                style: { color: c, weight: w, fill: w === 4, fillOpacity: 0.12, fillColor: colour }, interactive: false, pmIgnore: true,
                pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 12, color: c, weight: w, fill: false, interactive: false, pmIgnore: true }),
            }).addTo(group);
        }
        this.highlightLayer = group.addTo(this.map);
        this.element.setAttribute('data-highlight', 'true');
    }

    /** Keeps the drawing order (= the order the overlays were first added, bottom to top) after a reload of `id`: on the one
     *  canvas the paths added last are drawn and clicked on top, so a reloaded jurisdiction layer would otherwise cover the gaps
     *  and take their clicks. Clustered layers are markers (their own pane) and keep their place. */
    #restack(id) {
        let above = false;
        for (const [other, e] of this.layers) {
            if (other === id) { above = true; continue; }
            if (above && !e.inner && e.url !== undefined && this.map.hasLayer(e.layer)) e.layer.bringToFront?.();
        }
    }

    /** The highlight, if any, on the map and drawn over every overlay (after a move or a reload of an overlay). */
    #keepHighlight() {
        const h = this.highlightLayer;
        if (!h) return;
        if (!this.map.hasLayer(h)) h.addTo(this.map);
        h.bringToFront();
        this.element.setAttribute('data-highlight', 'true');
    }

    invalidateSize() { this.map.invalidateSize(); }

    // ---- editing (leaflet-geoman): the planner's edit session lives in wwwroot/js/map-editing.js ---------------------------

    /** Starts editing a GeoJSON geometry; options: { colour, neighbours: [{ key, name, colour, editable, geometry }], topological }. */
    startEdit(geojson, options) {
        this.stopEdit();
        // The editor's fallback colours come from the palette too (Palette.EditDefault, EditNeighbour).
        this.edit = new EditSession({ map: this.map, element: this.element, invoke: (m, a) => this.#invoke(m, a) }, geojson,
            { defaultColour: this.palette.editDefault, neighbourColour: this.palette.editNeighbour, ...options });
    }

    /** The edited geometry as one GeoJSON MultiPolygon (null when nothing is left). */
    editedGeometry() { return this.edit?.state().geometry ?? null; }

    /** The edit: geometry, neighbours moved with it, revision, undo/redo availability, dirty. */
    editState() { return this.edit?.state() ?? null; }

    editUndo() { return this.edit?.undo() ?? false; }
    editRedo() { return this.edit?.redo() ?? false; }
    editReplace(geojson) { this.edit?.replace(geojson); }
    editMarkSaved() { this.edit?.markSaved(); }
    editTopological(on) { this.edit?.setTopological(on); }
    editRebaseNeighbours(list) { this.edit?.rebaseNeighbours(list); }
    sharedVertexPixel(editable) { return this.edit?.sharedVertexPixel(editable) ?? null; }

    /** Moves one vertex of the first edited polygon by a fraction of the view (what a drag does; used by tests and demos). */
    nudgeVertex(index, dLonShare, dLatShare) { return this.edit?.nudgeVertex(index, dLonShare, dLatShare) ?? false; }

    stopEdit() {
        if (!this.edit) return;
        this.edit.dispose();
        this.edit = null;
    }

    /** Fits the view to an overlay; with unlessFlownSince (a flightCount() token) only when no list asked for a flight
     *  since the token was taken: an automatic fit (the department's) never takes the user away from what they flew to. */
    fitToLayer(id, unlessFlownSince) {
        if (unlessFlownSince != null && this.flights !== unlessFlownSince) return false;
        const e = this.layers.get(id);
        const b = e?.layer.getBounds?.();
        if (b && b.isValid()) this.map.fitBounds(b, { paddingTopLeft: [20, 20], paddingBottomRight: [20, 20 + this.#coveredBottom()] });
    }

    /** Features of a GeoJSON overlay whose property equals the value (as text). */
    countWhere(id, property, value) {
        const e = this.layers.get(id);
        let n = 0;
        e?.layer.eachLayer?.(l => { if (String(l.feature?.properties?.[property]) === String(value)) n++; });
        return n;
    }

    /** Makes the PNG (exportPng) and saves it as a file; returns its size in bytes. */
    downloadPng(fileName, header) {
        const url = this.exportPng(header);
        const a = document.createElement('a');
        a.href = url;
        a.download = fileName;
        document.body.appendChild(a);
        a.click();
        a.remove();
        return Math.round((url.length - 22) * 3 / 4);
    }

    // ---- export -------------------------------------------------------------------------

    /** The map as a PNG data URL: a title band (header.title, header.subtitle: view, department, window), the canvases Leaflet
     *  drew (vector layers with preferCanvas, heat) at their screen positions, cluster discs, and the legend of the layers shown. */
    exportPng(header) {
        const rect = this.element.getBoundingClientRect();
        const band = header ? 44 : 0;
        const out = document.createElement('canvas');
        out.width = Math.round(rect.width); out.height = Math.round(rect.height) + band;
        const ctx = out.getContext('2d');
        ctx.fillStyle = this.palette.exportPage; ctx.fillRect(0, 0, out.width, out.height);
        for (const c of this.element.querySelectorAll('canvas')) {
            const r = c.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            ctx.globalAlpha = Number(getComputedStyle(c).opacity || 1);
            ctx.drawImage(c, r.left - rect.left, r.top - rect.top + band, r.width, r.height);
        }
        ctx.globalAlpha = 1;
        for (const el of this.element.querySelectorAll('.mc-cluster')) {
            const r = el.getBoundingClientRect();
            const x = r.left - rect.left + r.width / 2, y = r.top - rect.top + band + r.height / 2;
            const style = getComputedStyle(el);
            ctx.beginPath(); ctx.arc(x, y, r.width / 2, 0, 2 * Math.PI);
            ctx.fillStyle = style.backgroundColor; ctx.fill();
            ctx.fillStyle = style.color; ctx.font = 'bold 11px sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
            ctx.fillText(el.textContent, x, y);
        }
        ctx.textAlign = 'left'; ctx.textBaseline = 'alphabetic';
        if (header) {
            ctx.fillStyle = this.palette.exportBand; ctx.fillRect(0, 0, out.width, band);
            ctx.fillStyle = this.palette.exportBandText; ctx.font = 'bold 16px sans-serif';
            ctx.fillText(String(header.title ?? ''), 10, 19);
            ctx.font = '12px sans-serif';
            ctx.fillText(String(header.subtitle ?? ''), 10, 37);
        }
        this.#drawLegend(ctx, out.width, out.height);
        ctx.fillStyle = this.palette.exportText; ctx.font = '11px sans-serif';
        ctx.fillText(`MapControl · ${this.element.getAttribute('data-center')} z${this.map.getZoom()}`, 8, out.height - 8);
        return out.toDataURL('image/png');
    }

    /** The legend of the visible layers drawn in the lower right corner of an export. */
    #drawLegend(ctx, width, height) {
        const rows = this.#legendRows();
        if (!rows.length) return;
        ctx.font = '12px sans-serif';
        const w = Math.min(260, 30 + Math.max(...rows.map(r => ctx.measureText(r.text).width)));
        const h = rows.length * 17 + 10;
        const x0 = width - w - 8, y0 = height - h - 8;
        ctx.fillStyle = this.palette.exportLegend; ctx.fillRect(x0, y0, w, h);
        ctx.strokeStyle = this.palette.exportFrame; ctx.lineWidth = 1; ctx.strokeRect(x0 + 0.5, y0 + 0.5, w - 1, h - 1);
        rows.forEach((r, i) => {
            const y = y0 + 8 + i * 17;
            if (r.title) { ctx.fillStyle = this.palette.exportText; ctx.font = 'bold 12px sans-serif'; ctx.fillText(r.text, x0 + 6, y + 11); return; }
            ctx.fillStyle = safeColour(r.colour, this.palette.unknown); ctx.strokeStyle = this.palette.exportSwatchLine;
            if (r.shape === 'diamond') {
                ctx.beginPath(); ctx.moveTo(x0 + 13, y); ctx.lineTo(x0 + 19, y + 6); ctx.lineTo(x0 + 13, y + 12); ctx.lineTo(x0 + 7, y + 6); ctx.closePath(); ctx.fill(); ctx.stroke();
            } else { ctx.fillRect(x0 + 7, y, 12, 12); ctx.strokeRect(x0 + 7.5, y + 0.5, 11, 11); }
            ctx.fillStyle = this.palette.exportText; ctx.font = '12px sans-serif'; ctx.fillText(r.text, x0 + 25, y + 11);
        });
    }

    // ---- live units and alerts -------------------------------------------------------------

    /** Creates (once) the overlays of live units and alerts. */
    #liveLayers(titles) {
        if (this.live) return this.live;
        const units = L.layerGroup();
        const trails = L.layerGroup();
        const alerts = L.layerGroup();
        this.live = { units, trails, alerts, markers: new Map(), lines: new Map(), alertMarkers: new Map(), routes: new Map() };
        this.#register('live-units', titles.units, units, true, { legend: [
            { colour: this.palette.unitFresh, label: titles.fresh }, { colour: this.palette.unitStale, label: titles.stale }, { colour: this.palette.unitLost, label: titles.lost }] });
        this.#register('live-trails', titles.trails, trails, true, {});
        this.#register('alerts', titles.alerts, alerts, true, { legend: [{ colour: this.palette.liveAlert, label: titles.alerts }] });
        return this.live;
    }

    /**
     * Live state pushed by the server: units [{code, name, lon, lat, heading, speedKmh, at (ISO), trail: [[lon, lat]…]}] and alerts
     * [{id, kind, status, lon, lat, text}]. `replace` clears what is not in the update (a full snapshot).
     */
    setLive(units, alerts, titles, replace) {
        const live = this.#liveLayers(titles);
        const now = Date.now();
        if (replace) {
            for (const [code, m] of live.markers) if (!units.some(u => u.code === code)) { live.units.removeLayer(m); live.markers.delete(code); }
            for (const [id, m] of live.alertMarkers) if (!alerts.some(a => a.id === id)) { live.alerts.removeLayer(m); live.alertMarkers.delete(id); }
        }
        for (const u of units) {
            const age = (now - Date.parse(u.at)) / 60000;
            const state = age > 30 ? 'lost' : age > 5 ? 'stale' : 'fresh';
            let m = live.markers.get(u.code);
            const icon = L.divIcon({ className: 'mc-unit mc-unit-' + state, iconSize: [22, 22], iconAnchor: [11, 11], html: '' });
            if (!m) {
                m = L.marker([u.lat, u.lon], { icon, keyboard: false });
                m.bindTooltip(textContent(''), { direction: 'top', offset: [0, -10] });
                live.units.addLayer(m);
                live.markers.set(u.code, m);
            } else {
                m.setLatLng([u.lat, u.lon]);
                m.setIcon(icon);
            }
            const el = m.getElement();
            if (el) {
                el.dataset.unit = u.code;
                el.dataset.lon = String(u.lon);
                el.dataset.lat = String(u.lat);
                el.dataset.state = state;
                el.style.setProperty('--heading', `${u.heading ?? 0}deg`);
            }
            const speed = u.speedKmh == null ? '' : ` · ${Math.round(u.speedKmh)} km/h`;
            m.setTooltipContent(textContent(`${u.name}${speed} · ${age < 1 ? '<1' : Math.round(age)} min`));
            // Trail points are [lon, lat, epoch ms]; an update appends its new points and drops those older than 30 minutes.
            let line = live.lines.get(u.code);
            if (!line) { line = L.polyline([], { color: this.palette.unitFresh, weight: 2, opacity: 0.6 }); line.times = []; live.trails.addLayer(line); live.lines.set(u.code, line); }
            let pts = u.append ? line.getLatLngs() : [];
            let times = u.append ? line.times : [];
            for (const p of u.trail ?? []) { pts.push(L.latLng(p[1], p[0])); times.push(p[2]); }
            const cutoff = Date.parse(u.at) - 30 * 60000;
            let drop = 0;
            while (drop < times.length && times[drop] < cutoff) drop++;
            if (drop > 0) { pts = pts.slice(drop); times = times.slice(drop); }
            line.times = times;
            line.setLatLngs(pts);
        }
        for (const a of alerts) {
            let m = live.alertMarkers.get(a.id);
            if (a.status === 'closed') { if (m) { live.alerts.removeLayer(m); live.alertMarkers.delete(a.id); } continue; }
            const icon = L.divIcon({ className: 'mc-alert mc-alert-' + a.status, iconSize: [26, 26], iconAnchor: [13, 13], html: '' });
            if (!m) {
                m = L.marker([a.lat, a.lon], { icon, keyboard: false, zIndexOffset: 1000 });
                m.bindTooltip(textContent(''), { direction: 'top', offset: [0, -12] });
                m.on('click', e => { L.DomEvent.stopPropagation(e); this.#invoke('OnAlertClick', a.id); });
                live.alerts.addLayer(m);
                live.alertMarkers.set(a.id, m);
            } else {
                m.setLatLng([a.lat, a.lon]);
                m.setIcon(icon);
            }
            const el = m.getElement();
            if (el) { el.dataset.alert = String(a.id); el.dataset.status = a.status; }
            m.setTooltipContent(textContent(a.text));
        }
        // A dispatched unit's way to its alert: a dashed line from the unit's latest position, along the roads when the server
        // found a way by road (a.route: [[lon, lat]…] from the unit to the alert), else straight.
        for (const a of alerts) {
            const route = live.routes.get(a.id);
            if (a.status === 'dispatched' && a.unit) {
                if (!route) {
                    const line = L.polyline([], { color: this.palette.liveAlert, weight: 3, dashArray: '8 6', opacity: 0.9 });
                    live.alerts.addLayer(line);
                    live.routes.set(a.id, { unit: a.unit, line, lat: a.lat, lon: a.lon, path: a.route ?? null, method: a.routeMethod ?? 'straight_line' });
                } else {
                    route.unit = a.unit;
                    if (a.route !== undefined) { route.path = a.route ?? null; route.method = a.routeMethod ?? 'straight_line'; }
                }
            } else if (route) {
                live.alerts.removeLayer(route.line);
                live.routes.delete(a.id);
            }
        }
        const ways = [];
        for (const [id, r] of live.routes) {
            const m = live.markers.get(r.unit);
            const way = r.path && r.path.length >= 2 ? r.path.slice(1).map(p => [p[1], p[0]]) : [[r.lat, r.lon]];
            if (m) r.line.setLatLngs([m.getLatLng(), ...way]);
            const el = r.line.getElement?.();
            if (el) el.setAttribute('data-route', String(id));
            ways.push(`${id}:${r.method}:${way.length + 1}`);
        }
        this.element.setAttribute('data-live-route-ways', ways.join(' '));
        this.element.setAttribute('data-live-routes', String(live.routes.size));
        this.element.setAttribute('data-live-units', String(live.markers.size));
        this.element.setAttribute('data-live-alerts', String(live.alertMarkers.size));
    }

    /** Flies to a point (an alert, a unit). */
    flyTo(lon, lat, zoom) { this.flights++; this.map.flyTo([lat, lon], Math.max(this.map.getZoom(), zoom ?? 15), { duration: 0.8 }); }

    /** A short beep for a new alert (Web Audio; no file, nothing inline). */
    beep() {
        try {
            this.audio ??= new (window.AudioContext || window.webkitAudioContext)();
            const o = this.audio.createOscillator();
            const g = this.audio.createGain();
            o.frequency.value = 880;
            g.gain.setValueAtTime(0.2, this.audio.currentTime);
            g.gain.exponentialRampToValueAtTime(0.001, this.audio.currentTime + 0.4);
            o.connect(g).connect(this.audio.destination);
            o.start();
            o.stop(this.audio.currentTime + 0.4);
        } catch { /* no audio device: the list still shows the alert */ }
    }

    dispose() {
        this.resizeObserver?.disconnect();
        this.#stopMeasure();
        this.stopEdit();
        for (const id of [...this.layers.keys()]) this.removeLayer(id);
        for (const [name, fn] of Object.entries(this.handlers)) this.map.off(name, fn);
        this.highlight(null);
        this.map.remove();
        this.dotNet = null;
    }

    // ---- internals ----------------------------------------------------------------------

    #register(id, title, layer, visible, style, entry) {
        entry ??= { layer, title, overlay: true, style };
        this.layers.set(id, entry);
        if (!style?.hidden) this.layerControl.addOverlay(layer, title);
        if (visible) layer.addTo(this.map);
        this.#renderLegend();
        return entry;
    }

    #style(style, props) {
        const s = { ...style.base };
        if (style.colourProperty && props?.[style.colourProperty]) {
            s.color = props[style.colourProperty];
            s.fillColor = props[style.colourProperty];
        }
        if (style.rules) {
            for (const rule of style.rules) {
                if (props && String(props[rule.property]) === String(rule.value)) Object.assign(s, rule.style);
            }
        }
        if (s.fill === undefined && s.fillColor) s.fill = true;
        return s;
    }

    #featureClicked(layerId, feature, latlng) {
        if (this.measuring) return;   // a measuring click is not a question about the feature
        const props = {};
        for (const [k, v] of Object.entries(feature.properties ?? {})) {
            if (v === null || typeof v !== 'object') props[k] = v == null ? null : String(v);
        }
        this.#invoke('OnFeatureClick', { layerId, lon: latlng.lng, lat: latlng.lat, properties: props });
    }

    #overlayToggled(layer, visible) {
        for (const [id, e] of this.layers) {
            if (e.layer !== layer) continue;
            if (visible) { this.#restack(id); this.#keepHighlight(); }   // switched on again: in its place, not on top
            this.#invoke('OnLayerToggled', { layerId: id, visible });
        }
        this.#renderLegend();
    }

    #view() {
        const b = this.map.getBounds();
        return { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth(), zoom: this.map.getZoom() };
    }

    #invoke(method, arg) {
        if (!this.dotNet) return;
        this.dotNet.invokeMethodAsync(method, ...(arg === undefined ? [] : [arg])).catch(() => { /* circuit gone: nothing to tell */ });
    }

    #legendControl() {
        const control = L.control({ position: 'bottomright' });
        control.onAdd = () => {
            this.legendDiv = L.DomUtil.create('div', 'mc-legend leaflet-bar');
            this.legendDiv.dataset.testid = 'legend';
            // A header that folds the legend (folded at start on a small screen); the body scrolls within the map's height.
            const head = L.DomUtil.create('button', 'mc-legend-head', this.legendDiv);
            head.type = 'button';
            head.dataset.testid = 'legend-toggle';
            head.textContent = this.texts.legend ?? 'Legend';
            this.legendBody = L.DomUtil.create('div', 'mc-legend-body', this.legendDiv);
            if (this.element.clientWidth < 700 || this.element.clientHeight < 560) this.legendDiv.classList.add('collapsed');
            head.addEventListener('click', () => this.legendDiv.classList.toggle('collapsed'));
            L.DomEvent.disableClickPropagation(this.legendDiv);
            L.DomEvent.disableScrollPropagation(this.legendDiv);
            return this.legendDiv;
        };
        return control;
    }

    /** The legend of the visible overlays: a title per layer, then its rows. */
    #legendRows() {
        const rows = [];
        for (const [, e] of this.layers) {
            if (!e.overlay || !this.map.hasLayer(e.layer) || !e.style?.legend) continue;
            rows.push({ title: true, text: String(e.title) });
            for (const item of e.style.legend) rows.push({ colour: item.colour, text: String(item.label ?? ''), shape: item.shape });
        }
        return rows;
    }

    #renderLegend() {
        this.element.setAttribute('data-visible', this.visibleLayers().join(' '));
        if (!this.legendBody) return;
        // Built as DOM nodes with textContent: a layer title or legend label from the data never becomes markup.
        const nodes = this.#legendRows().map(r => {
            const row = document.createElement('div');
            if (r.title) { row.className = 'mc-legend-title'; row.textContent = r.text; return row; }
            row.className = 'mc-legend-row';
            const swatch = document.createElement('span');
            swatch.className = 'mc-swatch' + (r.shape === 'diamond' ? ' mc-swatch-diamond' : '');
            swatch.style.background = safeColour(r.colour, this.palette.unknown);
            row.append(swatch, document.createTextNode(r.text));
            return row;
        });
        this.legendBody.replaceChildren(...nodes);
        this.legendDiv.style.display = nodes.length ? 'block' : 'none';
    }

    /** Permanent labels that would overlap an earlier one are hidden (first drawn wins); hover labels are left alone. */
    #declutter() {
        if (this.declutterPending) return;
        this.declutterPending = requestAnimationFrame(() => {
            this.declutterPending = 0;
            const placed = [];
            for (const el of this.element.querySelectorAll('.leaflet-tooltip-pane .mc-label')) {
                el.style.visibility = '';
                const r = el.getBoundingClientRect();
                if (r.width === 0) continue;
                if (placed.some(p => r.left < p.right + 4 && r.right + 4 > p.left && r.top < p.bottom + 2 && r.bottom + 2 > p.top)) {
                    el.style.visibility = 'hidden';
                } else {
                    placed.push(r);
                }
            }
        });
    }

    /** The map's current texts (language) for its own controls. */
    setTexts(texts) {
        this.texts = texts ?? {};
        const head = this.legendDiv?.querySelector('.mc-legend-head');
        if (head) head.textContent = this.texts.legend ?? 'Legend';
        this.measureControl?.retitle?.();
    }

    /** Lon/lat and CGCS2000 Gauss-Kruger (6-degree zone by longitude) of the cursor; the projection is Core's, asked of .NET
     *  (GaussKrugerReadout) at most once at a time, the last position winning. */
    #coordinatesControl() {
        const control = L.control({ position: 'bottomleft' });
        control.onAdd = () => {
            const div = L.DomUtil.create('div', 'mc-coords leaflet-bar');
            div.dataset.testid = 'coords';
            const lonlat = document.createElement('div');
            const gk = document.createElement('div');
            gk.dataset.testid = 'coords-gk';
            div.append(lonlat, gk);
            div.style.display = 'none';   // shown from the first cursor move (a phone has none)
            let busy = false, next = null;
            const ask = async latlng => {
                if (busy) { next = latlng; return; }
                busy = true;
                try {
                    const text = this.dotNet ? await this.dotNet.invokeMethodAsync('GaussKruger', latlng.lng, latlng.lat) : '';
                    gk.textContent = text ?? '';
                    div.dataset.lon = String(latlng.lng);
                    div.dataset.lat = String(latlng.lat);
                } catch { /* circuit gone */ } finally { busy = false; }
                if (next) { const n = next; next = null; ask(n); }
            };
            control.update = latlng => {
                div.style.display = '';
                lonlat.textContent = `${latlng.lng.toFixed(5)}°E ${latlng.lat.toFixed(5)}°N`;
                ask(latlng);
            };
            return div;
        };
        control.update = () => { };
        return control;
    }

    // ---- measure tool ---------------------------------------------------------------------

    /** A button that measures a line (length) or, with three points or more, the closed area; double click or the button ends it.
     *  Lengths and areas are Core's (GeodesicMeasure, on the sphere), asked of .NET after each click. */
    #measureControl() {
        const control = L.control({ position: 'topleft' });
        control.onAdd = () => {
            const div = L.DomUtil.create('div', 'leaflet-bar mc-measure');
            const button = L.DomUtil.create('a', '', div);
            button.href = '#'; button.role = 'button'; button.dataset.testid = 'measure';
            button.textContent = '⟷';
            const out = L.DomUtil.create('span', 'mc-measure-out', div);
            out.dataset.testid = 'measure-out';
            control.retitle = () => { button.title = this.texts.measure ?? 'Measure'; };
            control.retitle();
            control.out = out;
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.on(button, 'click', e => { L.DomEvent.preventDefault(e); this.measuring ? this.#stopMeasure() : this.#startMeasure(); });
            return div;
        };
        return control;
    }

    #startMeasure() {
        this.#stopMeasure();
        const colour = this.palette.measure;
        const m = { points: [], line: L.polyline([], { color: colour, weight: 2, dashArray: '5 4', interactive: false, pmIgnore: true }).addTo(this.map),
                    area: L.polygon([], { color: colour, weight: 1, fillOpacity: 0.08, interactive: false, pmIgnore: true }).addTo(this.map),
                    dots: L.layerGroup().addTo(this.map) };
        this.measuring = m;
        this.element.classList.add('mc-measuring');
        this.element.setAttribute('data-measuring', 'true');
        m.click = async e => {
            m.points.push(e.latlng);
            L.circleMarker(e.latlng, { radius: 3, color: colour, fillColor: this.palette.measureDot, fillOpacity: 1, weight: 2, interactive: false, pmIgnore: true }).addTo(m.dots);
            m.line.setLatLngs(m.points);
            if (m.points.length >= 3) m.area.setLatLngs(m.points);
            const coords = m.points.map(p => [p.lng, p.lat]);
            try {
                const text = await this.dotNet?.invokeMethodAsync('Measure', coords);
                if (this.measuring === m) {
                    this.measureControl.out.textContent = text ?? '';
                    this.element.setAttribute('data-measure', text ?? '');
                }
            } catch { /* circuit gone */ }
        };
        m.dblclick = e => { L.DomEvent.stop(e); this.#stopMeasure(true); };
        // preclick: a click on a feature (which stops the click from reaching the map) still adds a point.
        this.map.on('preclick', m.click);
        this.map.on('dblclick', m.dblclick);
        this.map.doubleClickZoom.disable();
        this.measureControl.out.textContent = this.texts.measureHint ?? '';
    }

    /** Ends measuring; keepResult leaves the last figures and shapes until the next measurement. */
    #stopMeasure(keepResult) {
        const m = this.measuring;
        if (!m) return;
        this.map.off('preclick', m.click);
        this.map.off('dblclick', m.dblclick);
        this.map.doubleClickZoom.enable();
        this.measuring = null;
        this.element.classList.remove('mc-measuring');
        this.element.removeAttribute('data-measuring');
        if (keepResult) { this.measureResult = m; return; }
        for (const x of [m, this.measureResult]) {
            if (!x) continue;
            this.map.removeLayer(x.line); this.map.removeLayer(x.area); this.map.removeLayer(x.dots);
        }
        this.measureResult = null;
        if (this.measureControl?.out) this.measureControl.out.textContent = '';
    }
}

/** A circle marker drawn as a diamond (key wells: a symbol, not a coloured dot); canvas renderer only. */
const Diamond = L.CircleMarker.extend({
    _updatePath() {
        const r = this._renderer;
        if (!r._drawing || this._empty()) return;
        const p = this._point, s = this._radius * 1.45, ctx = r._ctx;
        ctx.beginPath();
        ctx.moveTo(p.x, p.y - s); ctx.lineTo(p.x + s, p.y); ctx.lineTo(p.x, p.y + s); ctx.lineTo(p.x - s, p.y); ctx.closePath();
        r._fillStroke(ctx, this);
    },
});

/**
 * A multipolygon's label goes on its largest part: Leaflet centres a polygon's tooltip on its first part, which for a
 * jurisdiction of two parts (a 255 km² main area and a 40 km² outlier) put the department's name on the outlier.
 */
function labelOnLargestPart(layer) {
    layer.getCenter = function () {
        const crs = this._map.options.crs;
        const area = ring => {
            const pts = ring.map(ll => crs.project(ll));
            let a = 0;
            for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) a += (pts[j].x + pts[i].x) * (pts[j].y - pts[i].y);
            return Math.abs(a);
        };
        const outers = this._latlngs.map(polygon => polygon[0]);
        const largest = outers.reduce((best, ring) => (area(ring) > area(best) ? ring : best), outers[0]);
        return L.PolyUtil.polygonCenter(largest, crs);
    };
}

/** A tooltip or label content that Leaflet inserts as a node: the text is shown as written, never parsed as HTML. */
function textContent(value) {
    const span = document.createElement('span');
    span.textContent = String(value);
    return span;
}

/** A CSS colour from the data, or grey when it is not a plain #rgb/#rrggbb/#rrggbbaa colour. */
/** A colour given by data, or the palette's `unknown` when it is not a #rgb[a] colour. */
function safeColour(value, unknown) {
    return /^#[0-9a-fA-F]{3,8}$/.test(String(value ?? '')) ? value : unknown;
}
