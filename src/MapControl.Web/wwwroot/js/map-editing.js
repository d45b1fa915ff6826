// Topological editing for the planner (leaflet-geoman): the edited item's polygons, its neighbours drawn beside it (snappable),
// shared vertices moved on both sides, undo/redo, a guard against leaving with unsaved edits. Used by LeafletMap.razor.js.
// Geometries leave here at full precision (toGeoJSON(false)): Leaflet's default of 6 decimals moves untouched vertices.

const L = window.L;


function metres(a, b) {
    const phi = (a.lat + b.lat) / 2 * Math.PI / 180;
    const perLat = 111132.954 - 559.822 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
    const perLon = 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);
    return Math.hypot((a.lng - b.lng) * perLon, (a.lat - b.lat) * perLat);
}

/** Polygon layers of a GeoJSON (Multi)Polygon, one per part. */
function polygonsOf(geojson, style) {
    const g = geojson?.geometry ?? geojson;
    if (!g) return [];
    const parts = g.type === 'MultiPolygon' ? g.coordinates : g.type === 'Polygon' ? [g.coordinates] : [];
    return parts.map(p => L.polygon(p.map(r => r.map(([x, y]) => L.latLng(y, x))), style));
}

function ringsOf(layer) {
    const ll = layer.getLatLngs();
    return (Array.isArray(ll[0]) ? ll : [ll]).map(r => r.map(p => L.latLng(p.lat, p.lng)));
}

function multiPolygon(layers) {
    const coordinates = [];
    for (const l of layers) {
        const g = l.toGeoJSON(false).geometry;
        if (g.type === 'Polygon') coordinates.push(g.coordinates);
        if (g.type === 'MultiPolygon') coordinates.push(...g.coordinates);
    }
    return coordinates.length ? { type: 'MultiPolygon', coordinates } : null;
}

export class EditSession {
    /**
     * @param host the map instance (map, element, invoke(name, arg))
     * @param geojson the edited item's geometry
     * @param options { colour, sharedVertexM, neighbours: [{ key, name, colour, editable, geometry }], topological }
     *        sharedVertexM: two lon/lat points within this many metres are the same vertex — Core's VertexSnap.ToleranceM,
     *        passed by LeafletMap.razor.cs (this module holds no distance of its own).
     */
    constructor(host, geojson, options) {
        if (!(options?.sharedVertexM > 0)) throw new Error('sharedVertexM (Core VertexSnap.ToleranceM) is required');
        this.sharedM = options.sharedVertexM;
        this.host = host;
        this.map = host.map;
        this.colour = options.colour ?? options.defaultColour;
        this.neighbourColour = options.neighbourColour;
        this.topological = options?.topological !== false;
        this.group = L.featureGroup().addTo(this.map);
        this.neighbourGroup = L.featureGroup().addTo(this.map);
        this.neighbours = new Map(); // key -> { key, name, editable, layers, changed }
        for (const n of options?.neighbours ?? []) {
            // Neighbours are no editing targets of geoman's global modes (edit, drag, cut, removal) but stay snapping targets;
            // a shared vertex moves them through #moveShared only.
            const layers = polygonsOf(n.geometry, { color: n.colour ?? this.neighbourColour, weight: 2, dashArray: '4 3', fillOpacity: 0.08, pmIgnore: true, snapIgnore: false });
            for (const l of layers) { l.addTo(this.neighbourGroup); l.on('click', L.DomEvent.stopPropagation); }
            this.neighbours.set(n.key, { key: n.key, name: n.name ?? n.key, colour: n.colour, editable: !!n.editable, layers, changed: false });
        }
        this.#setEdited(geojson);
        this.map.pm.setGlobalOptions({ snappable: true, snapDistance: 15, allowSelfIntersection: false, layerGroup: this.group });
        this.map.pm.addControls({ position: 'topleft', drawMarker: false, drawCircleMarker: false, drawPolyline: false,
            drawRectangle: true, drawPolygon: true, drawCircle: false, drawText: false, editMode: true, dragMode: true,
            // No cut: geoman's cut cuts every editable polygon on the map and puts the pieces into the edited item's group.
            cutPolygon: false, removalMode: true, rotateMode: false });
        this.handlers = {
            'pm:create': e => { this.group.removeLayer(e.layer); this.group.addLayer(e.layer); this.#wire(e.layer); this.#changed(); },
            'pm:cut': () => this.#changed(),
            'pm:remove': () => this.#changed(),
        };
        for (const [name, fn] of Object.entries(this.handlers)) this.map.on(name, fn);
        this.undoStack = [];
        this.redoStack = [];
        this.current = this.#snapshot();
        this.revision = 0;
        this.savedRevision = 0;
        this.unload = e => { if (this.isDirty()) { e.preventDefault(); e.returnValue = ''; } };
        window.addEventListener('beforeunload', this.unload);
        host.element.setAttribute('data-editing', 'true');
        host.element.setAttribute('data-edit-revision', '0');
        const b = this.group.getBounds();
        if (b.isValid()) this.map.fitBounds(b, { padding: [30, 30] });
    }

    #setEdited(geojson) {
        this.group.eachLayer(l => { l.pm?.disable(); l.off(); });
        this.group.clearLayers();
        for (const l of polygonsOf(geojson, { color: this.colour, weight: 3, fillOpacity: 0.25 })) {
            this.group.addLayer(l);
            this.#wire(l);
        }
    }

    #wire(layer) {
        layer.pm.enable({ snappable: true, allowSelfIntersection: false });
        layer.on('pm:markerdragstart', e => { this.dragFrom = e.markerEvent?.target?.getLatLng?.() ?? null; });
        layer.on('pm:markerdragend', e => {
            const from = this.dragFrom;
            this.dragFrom = null;
            const to = e.markerEvent?.target?.getLatLng?.();
            if (e.intersectionReset || !from || !to) { this.#changed(); return; }
            this.#moveShared(layer, from, L.latLng(to.lat, to.lng));
        });
        layer.on('pm:dragend', () => this.#changed());
        // A vertex removed (right click) or added (click on an edge) is a change too: revision, impact, undo and "unsaved".
        layer.on('pm:vertexremoved pm:vertexadded', () => this.#changed());
    }

    /** A vertex of `layer` moved from `from` to `to`: neighbours with the same vertex follow (with rights) or the move is refused. */
    #moveShared(layer, from, to) {
        if (!this.topological) { this.#changed(); return; }
        const moved = [], refused = [];
        for (const n of this.neighbours.values()) {
            const hits = [];
            n.layers.forEach((l, li) => ringsOf(l).forEach((r, ri) => r.forEach((p, pi) => { if (metres(p, from) <= this.sharedM) hits.push([li, ri, pi]); })));
            if (!hits.length) continue;
            if (!n.editable) { refused.push(n.name); continue; }
            for (const [li, ri, pi] of hits) {
                const rings = ringsOf(n.layers[li]);
                rings[ri][pi] = L.latLng(to.lat, to.lng);
                n.layers[li].setLatLngs(rings);
            }
            n.changed = true;
            moved.push(n.name);
        }
        if (refused.length) {
            // No rights on a neighbour sharing the vertex: the vertex goes back, nothing else moved.
            const rings = ringsOf(layer);
            for (const r of rings) for (let i = 0; i < r.length; i++) if (metres(r[i], to) <= 1e-9) r[i] = L.latLng(from.lat, from.lng);
            layer.pm.disable(); layer.setLatLngs(rings); layer.pm.enable({ snappable: true, allowSelfIntersection: false });
            for (const n of this.neighbours.values()) if (moved.includes(n.name)) this.#restoreNeighbour(n);
            this.host.element.setAttribute('data-edit-refused', refused.join(', '));
            this.host.invoke('OnEditNotice', { kind: 'refused', names: refused });
            return;
        }
        this.host.element.setAttribute('data-edit-moved', moved.join(', '));
        if (moved.length) this.host.invoke('OnEditNotice', { kind: 'moved', names: moved });
        this.#changed();
    }

    #restoreNeighbour(n) {
        const saved = this.current.neighbours[n.key];
        if (saved) saved.forEach((rings, i) => n.layers[i]?.setLatLngs(rings.map(r => r.map(p => L.latLng(p[0], p[1])))));
    }

    #snapshot() {
        const neighbours = {};
        for (const n of this.neighbours.values()) neighbours[n.key] = n.layers.map(l => ringsOf(l).map(r => r.map(p => [p.lat, p.lng])));
        const changed = {};
        for (const n of this.neighbours.values()) changed[n.key] = n.changed;
        return { edited: multiPolygon(this.#editedLayers()), neighbours, changed };
    }

    #restore(s) {
        this.#setEdited(s.edited);
        for (const n of this.neighbours.values()) { this.current = s; this.#restoreNeighbour(n); n.changed = !!s.changed[n.key]; }
        this.current = s;
    }

    #editedLayers() {
        const list = [];
        this.group.eachLayer(l => { if (l.toGeoJSON && l.getLatLngs) list.push(l); });
        return list;
    }

    #changed() {
        this.undoStack.push(this.current);
        if (this.undoStack.length > 100) this.undoStack.shift();
        this.redoStack = [];
        this.current = this.#snapshot();
        this.#bump();
    }

    #bump() {
        this.revision++;
        this.host.element.setAttribute('data-edit-revision', String(this.revision));
        this.host.element.setAttribute('data-edit-dirty', String(this.isDirty()));
        this.host.invoke('OnEdited');
    }

    undo() {
        if (!this.undoStack.length) return false;
        this.redoStack.push(this.current);
        this.#restore(this.undoStack.pop());
        this.#bump();
        return true;
    }

    redo() {
        if (!this.redoStack.length) return false;
        this.undoStack.push(this.current);
        this.#restore(this.redoStack.pop());
        this.#bump();
        return true;
    }

    /** Replaces the edited geometry (e.g. clipped by "avoid overlaps"), as one undoable step. */
    replace(geojson) {
        this.undoStack.push(this.current);
        this.redoStack = [];
        this.#setEdited(geojson);
        this.current = this.#snapshot();
        this.#bump();
    }

    setTopological(on) { this.topological = !!on; }

    /** After a conflict: the neighbours as stored now, with this planner's own shared-vertex moves replayed by the server
     *  (Core's EditReplay) — [{ key, geometry, changed }]. The edited item is kept; undo starts again from here. */
    rebaseNeighbours(list) {
        for (const r of list ?? []) {
            const n = this.neighbours.get(r.key);
            if (!n) continue;
            for (const l of n.layers) this.neighbourGroup.removeLayer(l);
            n.layers = polygonsOf(r.geometry, { color: n.colour ?? this.neighbourColour, weight: 2, dashArray: '4 3', fillOpacity: 0.08, pmIgnore: true, snapIgnore: false });
            for (const l of n.layers) { l.addTo(this.neighbourGroup); l.on('click', L.DomEvent.stopPropagation); }
            n.changed = !!r.changed;
        }
        this.undoStack = [];
        this.redoStack = [];
        this.current = this.#snapshot();
        this.#bump();
    }

    isDirty() { return this.revision !== this.savedRevision && (this.undoStack.length > 0 || this.revision > 0); }

    markSaved() { this.savedRevision = this.revision; this.host.element.setAttribute('data-edit-dirty', 'false'); }

    /** The edit: the item's geometry (MultiPolygon), the neighbours moved with it, the revision, undo/redo availability. */
    state() {
        const neighbours = [];
        for (const n of this.neighbours.values()) if (n.changed) neighbours.push({ key: n.key, geometry: multiPolygon(n.layers) });
        return { geometry: multiPolygon(this.#editedLayers()), neighbours, revision: this.revision,
            canUndo: this.undoStack.length > 0, canRedo: this.redoStack.length > 0, dirty: this.isDirty() };
    }

    /** Container pixel of the first vertex of the edited item shared with an editable (or, with editable=false, a read-only) neighbour. */
    sharedVertexPixel(editable) {
        for (const l of this.#editedLayers()) for (const r of ringsOf(l)) for (const p of r) {
            for (const n of this.neighbours.values()) {
                if (n.editable !== editable) continue;
                if (n.layers.some(nl => ringsOf(nl).some(nr => nr.some(q => metres(p, q) <= this.sharedM)))) {
                    if (!this.map.getBounds().pad(-0.05).contains(p)) continue;
                    const px = this.map.latLngToContainerPoint(p);
                    return { x: px.x, y: px.y, lon: p.lng, lat: p.lat, neighbour: n.key };
                }
            }
        }
        return null;
    }

    /** Moves one vertex of the first polygon by a share of the view, as a drag does (tests and demos), shared vertices included. */
    nudgeVertex(index, dLonShare, dLatShare) {
        const first = this.#editedLayers()[0];
        if (!first) return false;
        const rings = ringsOf(first);
        const ring = rings[0];
        const b = this.map.getBounds();
        const from = ring[index % ring.length];
        const to = L.latLng(from.lat + dLatShare * (b.getNorth() - b.getSouth()), from.lng + dLonShare * (b.getEast() - b.getWest()));
        ring[index % ring.length] = to;
        first.pm.disable(); first.setLatLngs(rings); first.pm.enable({ snappable: true, allowSelfIntersection: false });
        this.#moveShared(first, from, to);
        return true;
    }

    dispose() {
        window.removeEventListener('beforeunload', this.unload);
        for (const [name, fn] of Object.entries(this.handlers ?? {})) this.map.off(name, fn);
        this.group.eachLayer(l => { l.pm?.disable(); l.off(); });
        // Global modes walk every layer of the map; vector-tile layers have no pm and make them throw: each is tried alone.
        for (const f of ['disableDraw', 'disableGlobalEditMode', 'disableGlobalDragMode', 'disableGlobalRemovalMode', 'disableGlobalCutMode']) {
            try { this.map.pm[f](); } catch { /* nothing to disable on that layer */ }
        }
        this.map.pm.removeControls();
        this.map.removeLayer(this.group);
        this.map.removeLayer(this.neighbourGroup);
        for (const a of ['data-editing', 'data-edit-dirty', 'data-edit-moved', 'data-edit-refused']) this.host.element.removeAttribute(a);
    }
}
