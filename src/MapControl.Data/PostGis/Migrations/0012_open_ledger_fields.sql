-- Migration 0012: ledger fields as centres keep them (docs/DEFINITIONS.md "Ledgers as people keep them").
-- A case whose ledger gives no discovery time keeps discovered_at NULL — never the occurrence time — so the timely-discovery
-- rate can leave it out (the rule: Core/Kpi/KpiCalculator.cs). The check discovered_at >= occurred_at holds for known times.

ALTER TABLE incident ALTER COLUMN discovered_at DROP NOT NULL;

-- Well kinds (井别) and idle-site kinds (闲置场地类型) as open vocabularies, the way migration 0005 opened incident kinds: a
-- label no code, label or synonym names is kept as written with mapped = false (listed for an admin to map), never refused.
-- The default rows are Core's FieldVocabularies.WellKinds and .IdleSiteKinds (a test keeps them equal). Statuses stay
-- closed lists: the KPIs read them (reclaimed sites) and the generator's rules do.

CREATE TABLE field_label (
    field       text NOT NULL,
    code        text NOT NULL,
    label_zh    text NOT NULL,
    label_en    text NOT NULL,
    synonyms    text[] NOT NULL DEFAULT '{}',
    colour      text NOT NULL DEFAULT '#7f7f7f',
    mapped      boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 1000,
    PRIMARY KEY (field, code),
    CONSTRAINT field_label_field CHECK (field IN ('well_kind', 'idle_site_kind')),
    CONSTRAINT field_label_code CHECK (btrim(code) <> '' AND length(code) <= 200),
    CONSTRAINT field_label_colour CHECK (colour ~ '^#[0-9a-fA-F]{6}$')
);

INSERT INTO field_label (field, code, label_zh, label_en, synonyms, colour, mapped, sort_order) VALUES
    ('well_kind', 'oil', '油井', 'Oil well', ARRAY['采油井', '生产井', 'oil well']::text[], '#000000', true, 1),
    ('well_kind', 'water_injection', '注水井', 'Water injection well', ARRAY['注水', '水井', 'injector']::text[], '#1f77b4', true, 2),
    ('well_kind', 'gas', '气井', 'Gas well', ARRAY['采气井', '天然气井', 'gas well']::text[], '#ff7f0e', true, 3),
    ('idle_site_kind', 'well_pad', '井场', 'Well pad', ARRAY['井台', 'pad']::text[], '#8c564b', true, 1),
    ('idle_site_kind', 'yard', '堆场', 'Yard', ARRAY['料场', '场地', '院落']::text[], '#7f7f7f', true, 2),
    ('idle_site_kind', 'platform', '平台', 'Platform', ARRAY['井组平台']::text[], '#1f77b4', true, 3),
    ('idle_site_kind', 'station', '站', 'Station', ARRAY['场站', '站点', '计量站', '接转站']::text[], '#9467bd', true, 4);

ALTER TABLE well DROP CONSTRAINT well_kind;
ALTER TABLE well ADD CONSTRAINT well_kind_text CHECK (btrim(kind) <> '' AND length(kind) <= 200);
ALTER TABLE idle_site DROP CONSTRAINT idle_site_kind;
ALTER TABLE idle_site ADD CONSTRAINT idle_site_kind_text CHECK (btrim(kind) <> '' AND length(kind) <= 200);

CREATE TRIGGER field_label_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON field_label
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
INSERT INTO data_change (table_name, version, changed_at) VALUES ('field_label', nextval('data_change_version'), now())
ON CONFLICT (table_name) DO NOTHING;
