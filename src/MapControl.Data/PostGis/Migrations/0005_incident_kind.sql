-- Migration 0005: the incident-kind vocabulary (案件类型, docs/DEFINITIONS.md "Ledgers as people keep them").
-- A kind is a code with Chinese and English labels, synonyms and a colour. A label that no code, label or synonym names is
-- kept as its own kind (code = the label as written) with mapped = false, for an admin to map later; so incident.kind is no
-- longer limited to a fixed list. The default rows are Core's IncidentKinds.Defaults (a test keeps the two equal).

CREATE TABLE incident_kind (
    code        text PRIMARY KEY,
    label_zh    text NOT NULL,
    label_en    text NOT NULL,
    synonyms    text[] NOT NULL DEFAULT '{}',
    colour      text NOT NULL DEFAULT '#7f7f7f',
    mapped      boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 1000,
    CONSTRAINT incident_kind_code CHECK (btrim(code) <> '' AND length(code) <= 200),
    CONSTRAINT incident_kind_colour CHECK (colour ~ '^#[0-9a-fA-F]{6}$')
);

INSERT INTO incident_kind (code, label_zh, label_en, synonyms, colour, mapped, sort_order) VALUES
    ('casing_theft', '套管油盗窃', 'Casing oil theft', ARRAY['套管油被盗', '盗套管油', '套管气盗窃', '偷套管油', 'casing theft']::text[], '#d62728', true, 1),
    ('pipeline_tapping', '打孔盗油', 'Pipeline tapping', ARRAY['管线打孔', '管线打孔盗油', '私接管线', '打孔', 'tapping', 'illegal tap', 'hot tapping']::text[], '#9467bd', true, 2),
    ('workover_oil_collection', '作业井非法敛油', 'Workover oil collection', ARRAY['非法敛油', '敛油', '作业井敛油']::text[], '#ff7f0e', true, 3),
    ('equipment_theft', '设备盗窃', 'Equipment theft', ARRAY['盗窃设备', '设备被盗', '盗窃油田设备', '偷盗设备']::text[], '#8c564b', true, 4),
    ('encroachment', '侵占', 'Encroachment', ARRAY['占压', '违章占压', '侵占场地', '非法占用', 'occupation']::text[], '#17becf', true, 5),
    ('oil_theft', '盗油', 'Oil theft', ARRAY['盗窃原油', '偷油', '原油被盗', 'fuel theft', 'crude theft', 'crude oil theft']::text[], '#e377c2', true, 6),
    ('pipeline_damage', '破坏管线', 'Pipeline damage', ARRAY['破坏管道', '管线被破坏', '损坏管线', 'sabotage']::text[], '#1f77b4', true, 7),
    ('vandalism', '破坏设施', 'Vandalism', ARRAY['故意破坏', '毁坏设备', '破坏设备', '损坏设施', 'damage']::text[], '#bcbd22', true, 8),
    ('trespass', '非法侵入', 'Trespass', ARRAY['非法闯入', '擅自进入', '闯入', 'intrusion', 'trespassing']::text[], '#2ca02c', true, 9),
    ('theft', '盗窃', 'Theft', ARRAY['偷盗', '失窃', '被盗', 'stealing', 'larceny']::text[], '#ff9896', true, 10),
    ('suspicious_vehicle', '可疑车辆', 'Suspicious vehicle', ARRAY['可疑车', 'suspicious car']::text[], '#c5b0d5', true, 11),
    ('suspicious_person', '可疑人员', 'Suspicious person', ARRAY['可疑人', '可疑人物']::text[], '#f7b6d2', true, 12);

ALTER TABLE incident DROP CONSTRAINT incident_kind;
ALTER TABLE incident ADD CONSTRAINT incident_kind_text CHECK (btrim(kind) <> '' AND length(kind) <= 200);

CREATE TRIGGER incident_kind_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON incident_kind
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
INSERT INTO data_change (table_name, version, changed_at) VALUES ('incident_kind', nextval('data_change_version'), now())
ON CONFLICT (table_name) DO NOTHING;
