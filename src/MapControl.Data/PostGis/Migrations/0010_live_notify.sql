-- Migration 0010: what carries live positions and alerts between web nodes (docs/SCALE.md, "several web nodes"). Every
-- statement that stores GPS fixes of the live trail's span (30 minutes, LiveFeed.TrailSpan, passed as the trigger's
-- argument), and every alert opened or changed, sends a NOTIFY on channel mapcontrol_live after its transaction commits
-- (PostgreSQL delivers notifications at commit, in commit order, never for a rolled-back transaction). The payload is a key,
-- not the data: per unit the time span of its new fixes (as epoch seconds; when more units than fit in 7,900 bytes, the one
-- span of all), or the alert's id; "by" is the writer's application_name, so that a node skips what it stored itself. Any
-- writer notifies, the CLI's back-fill included; fixes older than the trail are not announced.

CREATE FUNCTION live_notify_fixes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    payload text;
BEGIN
    SELECT json_build_object('kind', 'gps', 'by', current_setting('application_name'),
                             'units', json_agg(json_build_array(unit_code, extract(epoch FROM f), extract(epoch FROM t))))::text
    INTO payload
    FROM (SELECT unit_code, min(recorded_at) AS f, max(recorded_at) AS t
          FROM new_rows WHERE recorded_at >= now() - TG_ARGV[0]::interval GROUP BY unit_code) spans
    HAVING count(*) > 0;
    IF payload IS NULL THEN
        RETURN NULL;
    END IF;
    IF octet_length(payload) > 7900 THEN
        SELECT json_build_object('kind', 'gps', 'by', current_setting('application_name'),
                                 'from', extract(epoch FROM min(recorded_at)), 'to', extract(epoch FROM max(recorded_at)))::text
        INTO payload
        FROM new_rows WHERE recorded_at >= now() - TG_ARGV[0]::interval;
    END IF;
    PERFORM pg_notify('mapcontrol_live', payload);
    RETURN NULL;
END $$;

CREATE TRIGGER gps_point_live AFTER INSERT ON gps_point REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION live_notify_fixes('30 minutes');

CREATE FUNCTION live_notify_alert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mapcontrol_live',
        json_build_object('kind', 'alert', 'id', NEW.id, 'by', current_setting('application_name'))::text);
    RETURN NULL;
END $$;

CREATE TRIGGER alert_live AFTER INSERT OR UPDATE ON alert
    FOR EACH ROW EXECUTE FUNCTION live_notify_alert();
