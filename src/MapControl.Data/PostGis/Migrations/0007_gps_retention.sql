-- Migration 0007: a year of GPS in the store (docs/SCHEMA.md "GPS retention", docs/DEFINITIONS.md "GPS retention and
-- daily tracks"). Raw fixes stay in gps_point (monthly partitions) for MapControl:Gps:RawRetentionDays; every completed
-- China Standard Time day is reduced to its tracks, simplified as the analyses simplify them, in gps_daily_track; long
-- windows read the reduced days from there. The reduction and the dropping run in the web server (GpsRetentionService)
-- through Data's GpsRetention.

-- Time filters over months of append-ordered fixes: a BRIN index is a few pages per partition where a btree is
-- gigabytes. The btree on recorded_at stays for max(recorded_at) (the latest fix) and short windows.
CREATE INDEX gps_point_recorded_at_brin ON gps_point USING brin (recorded_at) WITH (pages_per_range = 64);

-- One row per track of a reduced day: the track rule of Core's TrackBuilder (tracks never cross China midnight), the
-- geometry simplified by Core's TrackSimplifier (Douglas–Peucker, 5 m by default) in the analyses' metric projection.
CREATE TABLE gps_daily_track (
    unit_code        text NOT NULL REFERENCES patrol_unit (code),
    day              date NOT NULL,
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz NOT NULL,
    department_code  text NOT NULL REFERENCES department (code),
    fix_count        integer NOT NULL,
    length_m         double precision NOT NULL,
    simplified_m     double precision NOT NULL,
    geom             geometry(Geometry, 4326) NOT NULL,
    PRIMARY KEY (unit_code, day, started_at),
    CONSTRAINT gps_daily_track_times CHECK (ended_at >= started_at),
    CONSTRAINT gps_daily_track_counts CHECK (fix_count >= 1 AND length_m >= 0 AND simplified_m >= 0),
    CONSTRAINT gps_daily_track_geom CHECK (GeometryType(geom) IN ('LINESTRING', 'POINT') AND lonlat_in_bounds(geom))
);
CREATE INDEX gps_daily_track_day ON gps_daily_track (day);
CREATE INDEX gps_daily_track_geom_gix ON gps_daily_track USING gist (geom);
CREATE INDEX gps_daily_track_department ON gps_daily_track (department_code, day);

-- The China Standard Time days already reduced, with the raw fix count they had. A fix inserted later for a reduced day
-- (a tracker emptying its buffer after days offline) removes the day's mark, so the day is reduced again.
-- The day's instants [starts_at, ends_at) are written by Data from Core's ChinaTime: SQL holds no day rule of its own.
CREATE TABLE gps_reduced_day (
    day         date PRIMARY KEY,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    fix_count   bigint NOT NULL,
    reduced_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gps_reduced_day_span CHECK (ends_at > starts_at)
);

CREATE FUNCTION gps_point_unmark_reduced_days() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM gps_reduced_day r
     WHERE r.ends_at > (SELECT min(recorded_at) FROM new_fixes)
       AND EXISTS (SELECT 1 FROM new_fixes n WHERE n.recorded_at >= r.starts_at AND n.recorded_at < r.ends_at);
    RETURN NULL;
END $$;

CREATE TRIGGER gps_point_late_fixes AFTER INSERT ON gps_point
    REFERENCING NEW TABLE AS new_fixes
    FOR EACH STATEMENT EXECUTE FUNCTION gps_point_unmark_reduced_days();

-- Caches of patrol coverage key on the daily tracks' change version as on gps_point's (migrations 0002/0003).
CREATE TRIGGER gps_daily_track_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON gps_daily_track
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();

INSERT INTO data_change (table_name, version, changed_at)
VALUES ('gps_daily_track', nextval('data_change_version'), now())
ON CONFLICT (table_name) DO NOTHING;
