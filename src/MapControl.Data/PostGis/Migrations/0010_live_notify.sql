-- Migration 0010: what carries live positions and alerts between web nodes (docs/SCALE.md, "several web nodes"). Every
-- statement that stores GPS fixes of the last 30 minutes, and every alert opened or changed, sends a NOTIFY on channel
-- mapcontrol_live after its transaction commits (PostgreSQL delivers notifications at commit, in commit order, never for a
-- rolled-back transaction). The payload is a key, not the data: the time span (and the units, up to 50) of the fixes, or the
-- alert's id, with the writer's application_name so that a node skips what it stored itself. Any writer notifies, the
-- CLI's back-fill included; fixes older than the live trail are not announced.

CREATE FUNCTION live_notify_fixes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    payload text;
BEGIN
    SELECT json_build_object('kind', 'gps', 'from', min(recorded_at), 'to', max(recorded_at),
                             'units', CASE WHEN count(DISTINCT unit_code) <= 50 THEN array_agg(DISTINCT unit_code) END,
                             'by', current_setting('application_name'))::text
    INTO payload
    FROM new_rows
    WHERE recorded_at >= now() - interval '30 minutes'
    HAVING count(*) > 0;
    IF payload IS NOT NULL THEN
        IF octet_length(payload) > 7900 THEN
            payload := json_build_object('kind', 'gps', 'from', (payload::json)->'from', 'to', (payload::json)->'to',
                                         'by', current_setting('application_name'))::text;
        END IF;
        PERFORM pg_notify('mapcontrol_live', payload);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER gps_point_live AFTER INSERT ON gps_point REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION live_notify_fixes();

CREATE FUNCTION live_notify_alert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mapcontrol_live',
        json_build_object('kind', 'alert', 'id', NEW.id, 'by', current_setting('application_name'))::text);
    RETURN NULL;
END $$;

CREATE TRIGGER alert_live AFTER INSERT OR UPDATE ON alert
    FOR EACH ROW EXECUTE FUNCTION live_notify_alert();
