// The JS half of LeafletMap.razor: one Leaflet map per component instance.
// Leaflet and its plugins are loaded as classic scripts (wwwroot/lib, from npm) and found on window.L.
// Every handle made here is kept in the instance and released by dispose().

const L = window.L;

/** Creates a map in `element` and returns the instance the .NET side holds as an IJSObjectReference. */
export function create(element, dotNet, options) {
    return new MapInstance(element, dotNet, options);
}

class MapInstance {
    constructor(element, dotNet, options) {
        this.dotNet = dotNet;
        this.layers = new Map();      // id -> { layer, title, group }
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
        this.layerControl = L.control.layers(null, null, { collapsed: false, position: 'topright' }).addTo(this.map);
        L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(this.map);
        this.legend = this.#legendControl().addTo(this.map);
        this.coords = this.#coordinatesControl().addTo(this.map);

        this.handlers = {
            click: e => this.#invoke('OnMapClick', { lon: e.latlng.lng, lat: e.latlng.lat }),
            moveend: () => this.#invoke('OnViewChanged', this.#view()),
            mousemove: e => this.coords.update(e.latlng),
            overlayadd: e => this.#overlayToggled(e.layer, true),
            overlayremove: e => this.#overlayToggled(e.layer, false),
        };
        for (const [name, fn] of Object.entries(this.handlers)) this.map.on(name, fn);
        element.dataset.mapReady = 'true';
    }

    // ---- layers -------------------------------------------------------------------------

    /** A GeoJSON overlay fetched from `url` (JSON FeatureCollection), styled by `style`. */
    async addGeoJson(id, title, url, style, visible) {
        this.removeLayer(id);
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok) throw new Error(`${title}: ${response.status} ${response.statusText}`);
        const data = await response.json();
        const layer = L.geoJSON(data, {
            style: f => this.#style(style, f.properties),
            pointToLayer: (f, latlng) => L.circleMarker(latlng, this.#style(style, f.properties)),
            onEachFeature: (f, l) => {
                if (style.labelProperty && f.properties?.[style.labelProperty] != null) {
                    l.bindTooltip(String(f.properties[style.labelProperty]), { permanent: !!style.permanentLabels, direction: 'center', className: 'mc-label' });
                }
                l.on('click', e => { L.DomEvent.stopPropagation(e); this.#featureClicked(id, f, e.latlng); });
            },
        });
        this.#register(id, title, layer, visible, style);
        return data.features?.length ?? 0;
    }

    /** A vector-tile overlay (Mapbox Vector Tiles) from a URL template with {z}/{x}/{y}. */
    addVectorTiles(id, title, urlTemplate, layerName, style, visible) {
        this.removeLayer(id);
        const layer = L.vectorGrid.protobuf(urlTemplate, {
            rendererFactory: L.canvas.tile,
            interactive: true,
            maxNativeZoom: 16,
            vectorTileLayerStyles: { [layerName]: (props) => this.#style(style, props) },
            getFeatureId: f => f.properties.id ?? f.properties.code,
        });
        layer.on('click', e => this.#featureClicked(id, { properties: e.layer.properties }, e.latlng));
        this.#register(id, title, layer, visible, style);
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
        this.removeLayer(id);
        const layer = L.heatLayer(points, { radius: 18, blur: 15, maxZoom: 14, ...options });
        this.#register(id, title, layer, visible, { legend: options?.legend });
    }

    removeLayer(id) {
        const entry = this.layers.get(id);
        if (!entry) return;
        if (entry.overlay) this.layerControl.removeLayer(entry.layer);
        entry.layer.off();
        this.map.removeLayer(entry.layer);
        this.layers.delete(id);
        this.#renderLegend();
    }

    setVisible(id, visible) {
        const entry = this.layers.get(id);
        if (!entry) return;
        if (visible && !this.map.hasLayer(entry.layer)) entry.layer.addTo(this.map);
        if (!visible && this.map.hasLayer(entry.layer)) this.map.removeLayer(entry.layer);
        this.#renderLegend();
    }

    visibleLayers() {
        return [...this.layers.entries()].filter(([, e]) => this.map.hasLayer(e.layer)).map(([id]) => id);
    }

    // ---- view ---------------------------------------------------------------------------

    flyToBounds(west, south, east, north, maxZoom) {
        this.map.flyToBounds([[south, west], [north, east]], { maxZoom: maxZoom ?? 16, duration: 0.8 });
    }

    setView(lon, lat, zoom) { this.map.setView([lat, lon], zoom); }

    view() { return this.#view(); }

    /** Highlights one geometry (GeoJSON) on top of everything; null clears it. */
    highlight(geojson) {
        if (this.highlightLayer) { this.map.removeLayer(this.highlightLayer); this.highlightLayer = null; }
        if (!geojson) return;
        this.highlightLayer = L.geoJSON(geojson, { style: { color: '#ff00ff', weight: 3, fill: false, dashArray: '6 4' } }).addTo(this.map);
    }

    invalidateSize() { this.map.invalidateSize(); }

    dispose() {
        for (const id of [...this.layers.keys()]) this.removeLayer(id);
        for (const [name, fn] of Object.entries(this.handlers)) this.map.off(name, fn);
        this.highlight(null);
        this.map.remove();
        this.dotNet = null;
    }

    // ---- internals ----------------------------------------------------------------------

    #register(id, title, layer, visible, style) {
        this.layers.set(id, { layer, title, overlay: true, style });
        this.layerControl.addOverlay(layer, title);
        if (visible) layer.addTo(this.map);
        this.#renderLegend();
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
        const props = {};
        for (const [k, v] of Object.entries(feature.properties ?? {})) {
            if (v === null || typeof v !== 'object') props[k] = v == null ? null : String(v);
        }
        this.#invoke('OnFeatureClick', { layerId, lon: latlng.lng, lat: latlng.lat, properties: props });
    }

    #overlayToggled(layer, visible) {
        for (const [id, e] of this.layers) {
            if (e.layer === layer) this.#invoke('OnLayerToggled', { layerId: id, visible });
        }
        this.#renderLegend();
    }

    #view() {
        const b = this.map.getBounds();
        return { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth(), zoom: this.map.getZoom() };
    }

    #invoke(method, arg) {
        if (!this.dotNet) return;
        this.dotNet.invokeMethodAsync(method, arg).catch(() => { /* circuit gone: nothing to tell */ });
    }

    #legendControl() {
        const control = L.control({ position: 'bottomright' });
        control.onAdd = () => {
            this.legendDiv = L.DomUtil.create('div', 'mc-legend leaflet-bar');
            L.DomEvent.disableClickPropagation(this.legendDiv);
            return this.legendDiv;
        };
        return control;
    }

    #renderLegend() {
        if (!this.legendDiv) return;
        const rows = [];
        for (const [, e] of this.layers) {
            if (!e.overlay || !this.map.hasLayer(e.layer) || !e.style?.legend) continue;
            rows.push(`<div class="mc-legend-title">${escapeHtml(e.title)}</div>`);
            for (const item of e.style.legend) {
                rows.push(`<div class="mc-legend-row"><span class="mc-swatch" style="background:${item.colour}"></span>${escapeHtml(item.label)}</div>`);
            }
        }
        this.legendDiv.innerHTML = rows.join('');
        this.legendDiv.style.display = rows.length ? 'block' : 'none';
    }

    #coordinatesControl() {
        const control = L.control({ position: 'bottomleft' });
        control.onAdd = () => {
            const div = L.DomUtil.create('div', 'mc-coords leaflet-bar');
            div.textContent = '—';
            control.update = latlng => { div.textContent = `${latlng.lng.toFixed(5)}°E ${latlng.lat.toFixed(5)}°N`; };
            return div;
        };
        control.update = () => { };
        return control;
    }
}

function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
