-- Migration 0008: live operations (docs/DEFINITIONS.md "Alerts"): alerts opened by rules as data arrives, one open alert per
-- cause, followed through acknowledged → dispatched → closed; camera events posted by the video platform (idempotent);
-- per-department rule thresholds; the integration role of the video platform's user.

ALTER TABLE app_user DROP CONSTRAINT app_user_role;
ALTER TABLE app_user ADD CONSTRAINT app_user_role CHECK (role IN ('commander', 'analyst', 'planner', 'admin', 'integration'));

CREATE TABLE alert (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text NOT NULL,
    cause            text NOT NULL,
    status           text NOT NULL DEFAULT 'open',
    opened_at        timestamptz NOT NULL DEFAULT now(),
    occurred_at      timestamptz NOT NULL,
    department_code  text REFERENCES department (code),
    geom             geometry(Point, 4326) NOT NULL,
    unit_code        text REFERENCES patrol_unit (code) ON DELETE SET NULL,
    well_code        text REFERENCES well (code) ON DELETE SET NULL,
    camera_code      text REFERENCES camera (code) ON DELETE SET NULL,
    text_zh          text NOT NULL,
    text_en          text NOT NULL,
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    dispatched_at    timestamptz,
    dispatched_by    text,
    dispatched_unit  text REFERENCES patrol_unit (code) ON DELETE SET NULL,
    on_scene_at      timestamptz,
    closed_at        timestamptz,
    closed_by        text,
    outcome          text,
    note             text,
    incident_code    text,
    CONSTRAINT alert_kind CHECK (kind IN ('video_event', 'key_well_unvisited', 'outside_zone', 'stationary', 'device_silent',
                                          'emerging_hotspot', 'gap_created')),
    CONSTRAINT alert_status CHECK (status IN ('open', 'acknowledged', 'dispatched', 'closed')),
    CONSTRAINT alert_outcome CHECK (outcome IS NULL OR outcome IN ('false_alarm', 'incident', 'handed_to_police', 'other')),
    CONSTRAINT alert_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL AND outcome IS NOT NULL)),
    CONSTRAINT alert_geom_valid CHECK (NOT ST_IsEmpty(geom) AND lonlat_in_bounds(geom)),
    CONSTRAINT alert_note CHECK (note IS NULL OR length(note) <= 2000),
    CONSTRAINT alert_cause CHECK (length(cause) <= 300)
);
-- One open alert per cause: a rule (or a camera repeating its alarm) that fires again while its alert is open opens nothing new.
CREATE UNIQUE INDEX alert_one_open_per_cause ON alert (cause) WHERE status <> 'closed';
CREATE INDEX alert_status_opened ON alert (status, opened_at DESC);
CREATE INDEX alert_department_opened ON alert (department_code, opened_at DESC);
CREATE INDEX alert_geom_gix ON alert USING gist (geom);

-- Camera events as posted (idempotent on camera or position, kind and time); each names the alert it opened or joined.
CREATE TABLE video_event (
    event_key    text PRIMARY KEY,
    camera_code  text REFERENCES camera (code) ON DELETE SET NULL,
    kind         text NOT NULL,
    at           timestamptz NOT NULL,
    geom         geometry(Point, 4326) NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    received_by  text NOT NULL,
    alert_id     bigint NOT NULL REFERENCES alert (id),
    CONSTRAINT video_event_kind CHECK (length(kind) BETWEEN 1 AND 100)
);
CREATE INDEX video_event_geom_gix ON video_event USING gist (geom);

-- Thresholds per rule, for the centre (department_code NULL: the default) or one department.
CREATE TABLE alert_threshold (
    department_code  text REFERENCES department (code) ON DELETE CASCADE,
    name             text NOT NULL,
    value            double precision NOT NULL,
    CONSTRAINT alert_threshold_name CHECK (name IN ('key_well_unvisited_hours', 'key_well_radius_m', 'outside_zone_minutes',
        'outside_zone_margin_m', 'stationary_minutes', 'stationary_radius_m', 'device_silent_minutes')),
    CONSTRAINT alert_threshold_value CHECK (value > 0 AND value < 1e6)
);
CREATE UNIQUE INDEX alert_threshold_key ON alert_threshold (coalesce(department_code, ''), name);

CREATE TRIGGER alert_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON alert
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER alert_threshold_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON alert_threshold
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
INSERT INTO data_change (table_name, version, changed_at)
SELECT t, nextval('data_change_version'), now() FROM unnest(ARRAY['alert', 'alert_threshold']) t
ON CONFLICT (table_name) DO NOTHING;
