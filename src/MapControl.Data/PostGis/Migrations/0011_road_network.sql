-- Migration 0011: the road network of dispatch (docs/DEFINITIONS.md "Road distance"): road lines as drawn or imported, noded
-- into segments between vertices (src/MapControl.Data/Routing/RoadNetwork.cs is the one noding path, used by the seed and
-- by the import), routed by pgRouting (Debian postgresql-15-pgrouting; build.sh installs it and creates the extension as the
-- superuser, since pgRouting is not a trusted extension).

CREATE EXTENSION IF NOT EXISTS pgrouting;

-- The junctions and ends of the network; ids are what pgRouting's source/target name.
CREATE TABLE road_vertex (
    id    bigint PRIMARY KEY,
    geom  geometry(Point, 4326) NOT NULL
);
CREATE INDEX road_vertex_geom_gix ON road_vertex USING gist (geom);

-- Noded segments: each ends at a vertex and meets other segments only at vertices. cost / reverse_cost are metres along the
-- segment (geodesic length) from source to target / back; a negative value means the segment cannot be driven that way.
CREATE TABLE road_segment (
    id            bigint PRIMARY KEY,
    name          text,
    kind          text NOT NULL,
    geom          geometry(LineString, 4326) NOT NULL,
    source        bigint NOT NULL REFERENCES road_vertex (id),
    target        bigint NOT NULL REFERENCES road_vertex (id),
    cost          double precision NOT NULL,
    reverse_cost  double precision NOT NULL,
    CONSTRAINT road_segment_geom_valid CHECK (NOT ST_IsEmpty(geom) AND ST_NPoints(geom) >= 2 AND lonlat_in_bounds(geom)),
    CONSTRAINT road_segment_name CHECK (name IS NULL OR length(name) <= 200),
    CONSTRAINT road_segment_kind CHECK (length(kind) BETWEEN 1 AND 50),
    CONSTRAINT road_segment_cost CHECK (cost >= 0 OR reverse_cost >= 0)
);
CREATE INDEX road_segment_geom_gix ON road_segment USING gist (geom);
CREATE INDEX road_segment_source ON road_segment (source);
CREATE INDEX road_segment_target ON road_segment (target);

CREATE TRIGGER road_segment_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON road_segment
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
INSERT INTO data_change (table_name, version, changed_at) VALUES ('road_segment', nextval('data_change_version'), now())
ON CONFLICT (table_name) DO NOTHING;

-- The device command channel (docs/DEFINITIONS.md "Device commands"): a queue per patrol unit that its tracker app polls with its
-- device key (GET /device/commands) and acknowledges (POST /device/commands/{id}/ack). Dispatching a unit queues a 'dispatch'
-- command in the dispatch's transaction; commanders send 'message' commands. Every command and acknowledgement is audited.
CREATE TABLE device_command (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_code     text NOT NULL REFERENCES patrol_unit (code) ON DELETE CASCADE,
    kind          text NOT NULL,
    text          text NOT NULL,
    alert_id      bigint REFERENCES alert (id) ON DELETE SET NULL,
    lon           double precision,
    lat           double precision,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    delivered_at  timestamptz,
    acked_at      timestamptz,
    CONSTRAINT device_command_kind CHECK (kind IN ('dispatch', 'message')),
    CONSTRAINT device_command_text CHECK (length(text) BETWEEN 1 AND 500),
    CONSTRAINT device_command_position CHECK ((lon IS NULL) = (lat IS NULL) AND (lon IS NULL OR (lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90)))
);
CREATE INDEX device_command_pending ON device_command (unit_code, id) WHERE acked_at IS NULL;
CREATE INDEX device_command_alert ON device_command (alert_id) WHERE alert_id IS NOT NULL;
