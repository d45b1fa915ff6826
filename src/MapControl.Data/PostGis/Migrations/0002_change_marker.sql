-- MapControl schema, version 2: a change counter of the analyses' input tables (docs/SCHEMA.md).
-- Every statement on oil_zone, jurisdiction, well, incident or patrol_unit takes the next value of data_change_version into the one
-- row of its table in data_change, in the writer's transaction: readers see the new value exactly when they see the new
-- data, and a value never repeats (the sequence is not owned by the table, so TRUNCATE ... RESTART IDENTITY leaves it).
-- The trigger runs BEFORE the statement: a writer takes its table's row before changing any data row and keeps it until
-- it commits, so writers of the same table queue there, and writers of different tables do not wait for each other. A
-- transaction writing several of these tables takes them in statement order; MapControl's (the seed loader) go oil_zone,
-- jurisdiction, well, incident, so two of them cannot deadlock over these rows.

CREATE SEQUENCE data_change_version;

CREATE TABLE data_change (
    table_name  text PRIMARY KEY,
    version     bigint NOT NULL,
    changed_at  timestamptz NOT NULL
);

-- Once per table and transaction: a transaction-local flag skips later statements (row-by-row imports), whose changes
-- become visible at the same commit as the first one's. A rolled-back savepoint takes back the bump and the flag together.
CREATE FUNCTION data_change_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    flag text := 'mapcontrol.changed_' || TG_TABLE_NAME;
BEGIN
    IF current_setting(flag, true) = '1' THEN
        RETURN NULL;
    END IF;
    INSERT INTO data_change (table_name, version, changed_at)
    VALUES (TG_TABLE_NAME, nextval('data_change_version'), clock_timestamp())
    ON CONFLICT (table_name) DO UPDATE SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at;
    PERFORM set_config(flag, '1', true);
    RETURN NULL;
END $$;

CREATE TRIGGER oil_zone_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON oil_zone
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER jurisdiction_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON jurisdiction
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER well_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON well
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
CREATE TRIGGER patrol_unit_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON patrol_unit
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
-- On the partitioned parent: statements that name the parent (all of MapControl's) fire it, not those naming a partition.
CREATE TRIGGER incident_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON incident
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();

INSERT INTO data_change (table_name, version, changed_at)
SELECT t, nextval('data_change_version'), now() FROM unnest(ARRAY['oil_zone', 'jurisdiction', 'well', 'incident', 'patrol_unit']) t;
