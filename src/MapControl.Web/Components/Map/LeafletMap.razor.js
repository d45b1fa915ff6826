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
        this.layerControl = L.control.layers(null, null, { collapsed: false, position: 'topright' }).addTo(this.map);
        L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(this.map);
        this.legend = this.#legendControl().addTo(this.map);
        this.coords = this.#coordinatesControl().addTo(this.map);

        this.handlers = {
            click: e => this.#invoke('OnMapClick', { lon: e.latlng.lng, lat: e.latlng.lat }),
            moveend: () => { this.#markView(); this.#reloadDynamic(); this.#invoke('OnViewChanged', this.#view()); },
            mousemove: e => this.coords.update(e.latlng),
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
        const entry = { title, overlay: true, style, url, dynamic: !!style.dynamic };
        const layer = L.geoJSON(null, {
            style: f => this.#style(entry.style, f.properties),
            pointToLayer: (f, latlng) => this.#point(entry.style, f, latlng),
            onEachFeature: (f, l) => {
                const st = entry.style;
                const count = st.countProperty ? Number(f.properties?.[st.countProperty] ?? 1) : 1;
                if (count > 1) {
                    l.bindTooltip(textContent(String(count)), { permanent: true, direction: 'center', className: 'mc-cluster-label' });
                } else if (st.labelProperty && f.properties?.[st.labelProperty] != null) {
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
        this.#register(id, title, layer, visible, style, entry);
        return await this.#load(id, entry);
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
            entry.layer.clearLayers();
            entry.layer.addData(data);
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
        const count = style.countProperty ? Number(f.properties?.[style.countProperty] ?? 1) : 1;
        if (count > 1) s.radius = Math.min(28, 6 + 3 * Math.log2(count));
        return L.circleMarker(latlng, s);
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
        this.removeLayer(id);
        const layer = L.heatLayer(points, { radius: 16, blur: 18, maxZoom: 14, max: 4, ...options });
        this.#register(id, title, layer, visible, { legend: options?.legend });
    }

    /** A heatmap whose [lat, lon, weight] triples are fetched from `url`; returns the number of points. */
    async setHeatFromUrl(id, title, url, options, visible) {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok) throw new Error(`${title}: ${response.status} ${response.statusText}`);
        const points = await response.json();
        this.setHeat(id, title, points, options, visible);
        this.element.setAttribute(`data-count-${id}`, String(points.length));
        return points.length;
    }

    removeLayer(id) {
        const entry = this.layers.get(id);
        if (!entry) return;
        entry.abort?.abort();
        if (entry.overlay) this.layerControl.removeLayer(entry.layer);
        entry.layer.off();
        this.element.removeAttribute(`data-count-${id}`);
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
        this.highlightLayer = L.geoJSON(geojson, { style: { color: '#ff00ff', weight: 4, fill: true, fillOpacity: 0.15, dashArray: '6 4' }, interactive: false, pmIgnore: true }).addTo(this.map);
        this.element.setAttribute('data-highlight', 'true');
    }

    invalidateSize() { this.map.invalidateSize(); }

    // ---- editing (leaflet-geoman) -------------------------------------------------------

    /** Puts a GeoJSON geometry on the map for editing: move vertices, drag, draw more polygons, cut, remove; snapping on. */
    startEdit(geojson, colour) {
        this.stopEdit();
        this.editGroup = L.featureGroup().addTo(this.map);
        L.geoJSON(geojson, { style: { color: colour ?? '#d62728', weight: 3, fillOpacity: 0.25 } })
            .eachLayer(l => this.#splitInto(l, this.editGroup));
        this.map.pm.setGlobalOptions({ snappable: true, snapDistance: 15, allowSelfIntersection: false, layerGroup: this.editGroup });
        this.map.pm.addControls({ position: 'topleft', drawMarker: false, drawCircleMarker: false, drawPolyline: false,
            drawRectangle: true, drawPolygon: true, drawCircle: false, drawText: false, editMode: true, dragMode: true,
            cutPolygon: true, removalMode: true, rotateMode: false });
        this.editGroup.eachLayer(l => l.pm.enable({ snappable: true }));
        this.editHandlers = {
            'pm:create': e => { this.editGroup.addLayer(e.layer); e.layer.pm.enable({ snappable: true }); this.#edited(); },
            'pm:cut': () => this.#edited(),
            'pm:remove': () => this.#edited(),
        };
        for (const [name, fn] of Object.entries(this.editHandlers)) this.map.on(name, fn);
        this.editGroup.on('pm:edit pm:dragend pm:markerdragend', () => this.#edited());
        this.element.setAttribute('data-editing', 'true');
        const b = this.editGroup.getBounds();
        if (b.isValid()) this.map.fitBounds(b, { padding: [30, 30] });
    }

    #splitInto(layer, group) {
        // MultiPolygons become one editable polygon per part.
        const gj = layer.toGeoJSON(false); // false: full precision (the default rounds to 6 decimals and moves untouched vertices)
        const geom = gj.geometry ?? gj;
        const style = layer.options;
        if (geom.type === 'MultiPolygon') {
            for (const coords of geom.coordinates) group.addLayer(L.polygon(coords.map(r => r.map(([x, y]) => [y, x])), style));
        } else {
            group.addLayer(L.polygon(geom.coordinates.map(r => r.map(([x, y]) => [y, x])), style));
        }
    }

    #edited() {
        this.element.setAttribute('data-edit-revision', String((Number(this.element.getAttribute('data-edit-revision')) || 0) + 1));
        this.#invoke('OnEdited');
    }

    /** The edited geometry as one GeoJSON MultiPolygon (null when nothing is left). */
    editedGeometry() {
        if (!this.editGroup) return null;
        const polygons = [];
        this.editGroup.eachLayer(l => {
            if (!l.toGeoJSON) return;
            const g = l.toGeoJSON(false).geometry;
            if (g.type === 'Polygon') polygons.push(g.coordinates);
            if (g.type === 'MultiPolygon') polygons.push(...g.coordinates);
        });
        return polygons.length ? { type: 'MultiPolygon', coordinates: polygons } : null;
    }

    /** Moves one vertex of the first edited polygon by a fraction of the view (what a drag does; used by tests and demos). */
    nudgeVertex(index, dLonShare, dLatShare) {
        let first = null;
        this.editGroup?.eachLayer(l => { if (!first && l.getLatLngs) first = l; });
        if (!first) return false;
        const rings = first.getLatLngs();
        const ring = rings[0];
        const b = this.map.getBounds();
        const ll = ring[index % ring.length];
        ring[index % ring.length] = L.latLng(ll.lat + dLatShare * (b.getNorth() - b.getSouth()), ll.lng + dLonShare * (b.getEast() - b.getWest()));
        first.setLatLngs(rings);
        first.pm.disable(); first.pm.enable({ snappable: true });
        this.#edited();
        return true;
    }

    stopEdit() {
        if (!this.editGroup) return;
        for (const [name, fn] of Object.entries(this.editHandlers ?? {})) this.map.off(name, fn);
        this.editHandlers = null;
        this.editGroup.eachLayer(l => l.pm?.disable());
        this.editGroup.off();
        // Global modes walk every layer of the map; vector-tile layers have no pm and make them throw: each is tried alone.
        for (const f of ['disableDraw', 'disableGlobalEditMode', 'disableGlobalDragMode', 'disableGlobalRemovalMode', 'disableGlobalCutMode']) {
            try { this.map.pm[f](); } catch { /* nothing to disable on that layer */ }
        }
        this.map.pm.removeControls();
        this.map.removeLayer(this.editGroup);
        this.editGroup = null;
        this.element.removeAttribute('data-editing');
    }

    /** Fits the view to an overlay. */
    fitToLayer(id) {
        const e = this.layers.get(id);
        const b = e?.layer.getBounds?.();
        if (b && b.isValid()) this.map.fitBounds(b, { padding: [20, 20] });
    }

    /** Features of a GeoJSON overlay whose property equals the value (as text). */
    countWhere(id, property, value) {
        const e = this.layers.get(id);
        let n = 0;
        e?.layer.eachLayer?.(l => { if (String(l.feature?.properties?.[property]) === String(value)) n++; });
        return n;
    }

    /** Makes the PNG (exportPng) and saves it as a file; returns its size in bytes. */
    downloadPng(fileName) {
        const url = this.exportPng();
        const a = document.createElement('a');
        a.href = url;
        a.download = fileName;
        document.body.appendChild(a);
        a.click();
        a.remove();
        return Math.round((url.length - 22) * 3 / 4);
    }

    // ---- export -------------------------------------------------------------------------

    /** The map as a PNG data URL: the canvases Leaflet drew (vector layers with preferCanvas, heat) composed at their
     *  screen positions on a white ground. HTML parts (labels, legend, controls) are not in it. */
    exportPng() {
        const rect = this.element.getBoundingClientRect();
        const out = document.createElement('canvas');
        out.width = Math.round(rect.width); out.height = Math.round(rect.height);
        const ctx = out.getContext('2d');
        ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, out.width, out.height);
        for (const c of this.element.querySelectorAll('canvas')) {
            const r = c.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            ctx.globalAlpha = Number(getComputedStyle(c).opacity || 1);
            ctx.drawImage(c, r.left - rect.left, r.top - rect.top, r.width, r.height);
        }
        ctx.globalAlpha = 1;
        ctx.fillStyle = '#000'; ctx.font = '12px sans-serif';
        ctx.fillText(`MapControl ${new Date().toISOString().slice(0, 16)}Z  ${this.element.getAttribute('data-center')} z${this.map.getZoom()}`, 8, out.height - 8);
        return out.toDataURL('image/png');
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
            { colour: '#1565c0', label: titles.fresh }, { colour: '#f9a825', label: titles.stale }, { colour: '#757575', label: titles.lost }] });
        this.#register('live-trails', titles.trails, trails, true, {});
        this.#register('alerts', titles.alerts, alerts, true, { legend: [{ colour: '#6a1b9a', label: titles.alerts }] });
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
            if (!line) { line = L.polyline([], { color: '#1565c0', weight: 2, opacity: 0.6 }); line.times = []; live.trails.addLayer(line); live.lines.set(u.code, line); }
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
                    const line = L.polyline([], { color: '#6a1b9a', weight: 3, dashArray: '8 6', opacity: 0.9 });
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
    flyTo(lon, lat, zoom) { this.map.flyTo([lat, lon], Math.max(this.map.getZoom(), zoom ?? 15), { duration: 0.8 }); }

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
        this.dotNet.invokeMethodAsync(method, ...(arg === undefined ? [] : [arg])).catch(() => { /* circuit gone: nothing to tell */ });
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
        this.element.setAttribute('data-visible', this.visibleLayers().join(' '));
        if (!this.legendDiv) return;
        // Built as DOM nodes with textContent: a layer title or legend label from the data never becomes markup.
        const rows = [];
        for (const [, e] of this.layers) {
            if (!e.overlay || !this.map.hasLayer(e.layer) || !e.style?.legend) continue;
            const title = document.createElement('div');
            title.className = 'mc-legend-title';
            title.textContent = String(e.title);
            rows.push(title);
            for (const item of e.style.legend) {
                const row = document.createElement('div');
                row.className = 'mc-legend-row';
                const swatch = document.createElement('span');
                swatch.className = 'mc-swatch';
                swatch.style.background = safeColour(item.colour);
                row.append(swatch, document.createTextNode(String(item.label)));
                rows.push(row);
            }
        }
        this.legendDiv.replaceChildren(...rows);
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

/** A tooltip or label content that Leaflet inserts as a node: the text is shown as written, never parsed as HTML. */
function textContent(value) {
    const span = document.createElement('span');
    span.textContent = String(value);
    return span;
}

/** A CSS colour from the data, or grey when it is not a plain #rgb/#rrggbb/#rrggbbaa colour. */
function safeColour(value) {
    return /^#[0-9a-fA-F]{3,8}$/.test(String(value ?? '')) ? value : '#888888';
}
