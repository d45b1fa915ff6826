-- Migration 0009: change versions by day for the tables read through a time window (docs/SCHEMA.md, "Change versions by day").
-- gps_point is written all day long by the trackers; with one version per table, every fix made every cached GPS or track tile
-- stale, also those of windows that ended long ago. Here each statement on gps_point and incident also takes a new version into
-- the rows of the UTC days its rows' times fall in (old and new rows alike), so a tile of a window is stale only when a day of
-- the window was written. The row for day '-infinity' stands for every day: TRUNCATE and dropped partitions bump it.
-- AFTER statement triggers with transition tables see every row of the statement (COPY included); they run after the BEFORE
-- trigger of 0002 has taken the table's data_change row, so writers of one table write its day rows one at a time, in commit
-- order of their versions.

CREATE TABLE data_change_day (
    table_name  text NOT NULL,
    day         date NOT NULL,
    version     bigint NOT NULL,
    PRIMARY KEY (table_name, day)
);

-- The one way to say that rows of a table in [from, to) changed outside a trigger (a dropped partition): bumps the table's
-- version and the versions of the UTC days of the span, in the caller's transaction.
CREATE FUNCTION data_change_touch(p_table text, p_from timestamptz, p_to timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v bigint := nextval('data_change_version');
BEGIN
    INSERT INTO data_change (table_name, version, changed_at) VALUES (p_table, v, clock_timestamp())
    ON CONFLICT (table_name) DO UPDATE SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at;
    INSERT INTO data_change_day (table_name, day, version)
    SELECT p_table, d::date, v
    FROM generate_series((p_from AT TIME ZONE 'UTC')::date, ((p_to AT TIME ZONE 'UTC') - interval '1 microsecond')::date, interval '1 day') d
    ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version;
END $$;

-- TG_ARGV[0]: the time column. The days are written in ascending order, so two writers never wait for each other in a cycle.
CREATE FUNCTION data_change_days_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    times text;
BEGIN
    times := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %I FROM new_rows', TG_ARGV[0])
        WHEN 'DELETE' THEN format('SELECT %I FROM old_rows', TG_ARGV[0])
        ELSE format('SELECT %1$I FROM new_rows UNION ALL SELECT %1$I FROM old_rows', TG_ARGV[0])
    END;
    EXECUTE format(
        'INSERT INTO data_change_day (table_name, day, version)
         SELECT %L, d, nextval(''data_change_version'')
         FROM (SELECT DISTINCT (t AT TIME ZONE ''UTC'')::date AS d FROM (%s) s(t) WHERE t IS NOT NULL ORDER BY 1) days
         ON CONFLICT (table_name, day) DO UPDATE SET version = EXCLUDED.version', TG_TABLE_NAME, times);
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
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_bump('recorded_at');
CREATE TRIGGER gps_point_days_updated AFTER UPDATE ON gps_point REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_bump('recorded_at');
CREATE TRIGGER gps_point_days_deleted AFTER DELETE ON gps_point REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_bump('recorded_at');
CREATE TRIGGER gps_point_days_truncated AFTER TRUNCATE ON gps_point
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_truncated();

CREATE TRIGGER incident_days_inserted AFTER INSERT ON incident REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_bump('occurred_at');
CREATE TRIGGER incident_days_updated AFTER UPDATE ON incident REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_bump('occurred_at');
CREATE TRIGGER incident_days_deleted AFTER DELETE ON incident REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_bump('occurred_at');
CREATE TRIGGER incident_days_truncated AFTER TRUNCATE ON incident
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_days_truncated();

-- What is already stored counts as written now: every day row starts at the table's current version.
INSERT INTO data_change_day (table_name, day, version)
SELECT table_name, '-infinity', version FROM data_change WHERE table_name IN ('gps_point', 'incident');
