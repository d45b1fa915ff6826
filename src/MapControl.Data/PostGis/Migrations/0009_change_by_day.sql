-- Migration 0009: change versions by day for the tables read through a time window (docs/SCHEMA.md, "Change versions by day").
-- gps_point is written all day long by the trackers; with one version per table, every fix made every cached GPS or track tile
-- stale, also those of windows that ended long ago. Here each statement on gps_point and incident also takes a new version into
-- the rows of the UTC days its rows' times fall in (old and new rows alike), so a tile of a window is stale only when a day of
-- the window was written. The row for day '-infinity' stands for every day: TRUNCATE and dropped partitions bump it.
-- AFTER statement triggers with transition tables see every row of the statement (COPY included); they run after the BEFORE
-- trigger of 0002 has taken the table's data_change row, so writers of one table write its day rows one at a time.
--
-- Versions follow commit order per table. 0002's bump drew its number before it waited for the table's row (the number of
-- INSERT … ON CONFLICT DO UPDATE is computed before the conflict is met), so a writer that drew 29 and got the row after
-- the writer that drew 30 set the version back to 29. Caches compare versions as "this or newer", so here the bump takes
-- the row first and then draws: a writer draws only after the previous writer of the table committed, every number it
-- draws is above every number visible before its commit, and the versions of a table (and of each of its days) grow in
-- commit order.

CREATE OR REPLACE FUNCTION data_change_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    flag text := 'mapcontrol.changed_' || TG_TABLE_NAME;
BEGIN
    IF current_setting(flag, true) = '1' THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM data_change WHERE table_name = TG_TABLE_NAME FOR UPDATE;
    IF FOUND THEN
        UPDATE data_change SET version = nextval('data_change_version'), changed_at = clock_timestamp() WHERE table_name = TG_TABLE_NAME;
    ELSE
        INSERT INTO data_change (table_name, version, changed_at) VALUES (TG_TABLE_NAME, nextval('data_change_version'), clock_timestamp())
        ON CONFLICT (table_name) DO UPDATE SET version = nextval('data_change_version'), changed_at = EXCLUDED.changed_at;
    END IF;
    PERFORM set_config(flag, '1', true);
    RETURN NULL;
END $$;

CREATE TABLE data_change_day (
    table_name  text NOT NULL,
    day         date NOT NULL,
    version     bigint NOT NULL,
    PRIMARY KEY (table_name, day)
);

-- The one way to say that rows of a table in [from, to) changed outside a trigger (a dropped partition): bumps the table's
-- version and the versions of the UTC days of the span, in the caller's transaction (which must hold the table's lock
-- first, as writers do: GpsRetention locks gps_point before it calls this and drops the partition).
CREATE FUNCTION data_change_touch(p_table text, p_from timestamptz, p_to timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    PERFORM 1 FROM data_change WHERE table_name = p_table FOR UPDATE;
    v := nextval('data_change_version');
    INSERT INTO data_change (table_name, version, changed_at) VALUES (p_table, v, clock_timestamp())
    ON CONFLICT (table_name) DO UPDATE SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at;
    INSERT INTO data_change_day (table_name, day, version)
    SELECT p_table, d::date, v
    FROM generate_series((p_from AT TIME ZONE 'UTC')::date, ((p_to AT TIME ZONE 'UTC') - interval '1 microsecond')::date, interval '1 day') d
    ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version;
END $$;

-- One function per table with static SQL (planned once per session, not per statement as EXECUTE would be). The days are the
-- UTC dates of the rows' times, old and new rows of an update alike.
CREATE FUNCTION gps_point_days_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO data_change_day (table_name, day, version)
        SELECT 'gps_point', d, nextval('data_change_version')
        FROM (SELECT DISTINCT (recorded_at AT TIME ZONE 'UTC')::date AS d FROM new_rows ORDER BY 1) days
        ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO data_change_day (table_name, day, version)
        SELECT 'gps_point', d, nextval('data_change_version')
        FROM (SELECT DISTINCT (recorded_at AT TIME ZONE 'UTC')::date AS d FROM old_rows ORDER BY 1) days
        ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version;
    ELSE
        INSERT INTO data_change_day (table_name, day, version)
        SELECT 'gps_point', d, nextval('data_change_version')
        FROM (SELECT DISTINCT (recorded_at AT TIME ZONE 'UTC')::date AS d FROM new_rows
              UNION SELECT (recorded_at AT TIME ZONE 'UTC')::date FROM old_rows ORDER BY 1) days
        ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION incident_days_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO data_change_day (table_name, day, version)
        SELECT 'incident', d, nextval('data_change_version')
        FROM (SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date AS d FROM new_rows ORDER BY 1) days
        ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO data_change_day (table_name, day, version)
        SELECT 'incident', d, nextval('data_change_version')
        FROM (SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date AS d FROM old_rows ORDER BY 1) days
        ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version;
    ELSE
        INSERT INTO data_change_day (table_name, day, version)
        SELECT 'incident', d, nextval('data_change_version')
        FROM (SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date AS d FROM new_rows
              UNION SELECT (occurred_at AT TIME ZONE 'UTC')::date FROM old_rows ORDER BY 1) days
        ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION data_change_days_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO data_change_day (table_name, day, version) VALUES (TG_TABLE_NAME, '-infinity', nextval('data_change_version'))
    ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END $$;

CREATE TRIGGER gps_point_days_inserted AFTER INSERT ON gps_point REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gps_point_days_bump();
CREATE TRIGGER gps_point_days_updated AFTER UPDATE ON gps_point REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gps_point_days_bump();
CREATE TRIGGER gps_point_days_deleted AFTER DELETE ON gps_point REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gps_point_days_bump();
CREATE TRIGGER gps_point_days_truncated AFTER TRUNCATE ON gps_point
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_truncated();

CREATE TRIGGER incident_days_inserted AFTER INSERT ON incident REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_days_bump();
CREATE TRIGGER incident_days_updated AFTER UPDATE ON incident REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_days_bump();
CREATE TRIGGER incident_days_deleted AFTER DELETE ON incident REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_days_bump();
CREATE TRIGGER incident_days_truncated AFTER TRUNCATE ON incident
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_truncated();

-- What is already stored counts as written now: every day row starts at the table's current version.
INSERT INTO data_change_day (table_name, day, version)
SELECT table_name, '-infinity', version FROM data_change WHERE table_name IN ('gps_point', 'incident');
