-- Migration 0003: every table a cache or an analysis reads keeps a change version (docs/SCHEMA.md, "Change versions").
-- Migration 0002 covered the coverage and patrol inputs; this adds the rest so that one invalidation scheme serves every
-- cache in every process: tiles (all layers, GPS and tracks included), department names, the token and sign-in checks.
-- The trigger function and its once-per-table-and-transaction flag are those of 0002.

CREATE TRIGGER department_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON department
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER patrol_zone_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON patrol_zone
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER camera_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON camera
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER idle_site_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON idle_site
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER patrol_route_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON patrol_route
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER basemap_feature_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON basemap_feature
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER app_user_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON app_user
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
-- GPS fixes: one bump per ingest transaction (about 0.1 ms); statements on the partitioned parent fire it, COPY included.
CREATE TRIGGER gps_point_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON gps_point
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();

INSERT INTO data_change (table_name, version, changed_at)
SELECT t, nextval('data_change_version'), now()
FROM unnest(ARRAY['department', 'patrol_zone', 'camera', 'idle_site', 'patrol_route', 'basemap_feature', 'app_user', 'gps_point']) t
ON CONFLICT (table_name) DO NOTHING;
