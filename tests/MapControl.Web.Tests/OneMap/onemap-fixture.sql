-- A small oilfield for the one-map tests (times relative to now()):
-- one oil zone 118.40–118.60 E × 37.40–37.50 N; three departments whose jurisdictions leave a planted gap
-- (118.480–118.485 between D1 and D2) and a planted overlap (118.545–118.550, D2 and D3); wells, key wells, cameras,
-- idle sites, ~2.4 years of incidents with a hot spot near 118.42 E 37.45 N, two days of patrol GPS, a basemap.
INSERT INTO oil_zone (code, name, geom) VALUES
  ('Z1', '现河油区', ST_Multi(ST_MakeEnvelope(118.40, 37.40, 118.60, 37.50, 4326)));

INSERT INTO department (code, name, colour) VALUES
  ('D1', '纯梁护卫部', '#1f77b4'), ('D2', '河口护卫部', '#ff7f0e'), ('D3', '孤岛护卫部', '#2ca02c');

INSERT INTO jurisdiction (department_code, geom, valid_from, edited_by, reason) VALUES
  ('D1', ST_Multi(ST_MakeEnvelope(118.400, 37.40, 118.480, 37.50, 4326)), now() - interval '4 years', 'seed', 'initial'),
  ('D2', ST_Multi(ST_MakeEnvelope(118.485, 37.40, 118.550, 37.50, 4326)), now() - interval '4 years', 'seed', 'initial'),
  ('D3', ST_Multi(ST_MakeEnvelope(118.545, 37.40, 118.600, 37.50, 4326)), now() - interval '4 years', 'seed', 'initial');

INSERT INTO patrol_zone (code, department_code, name, geom, valid_from, edited_by, reason) VALUES
  ('D1-P1', 'D1', '纯梁一巡区', ST_MakeEnvelope(118.400, 37.40, 118.440, 37.50, 4326), now() - interval '4 years', 'seed', 'initial'),
  ('D1-P2', 'D1', '纯梁二巡区', ST_MakeEnvelope(118.440, 37.40, 118.480, 37.50, 4326), now() - interval '4 years', 'seed', 'initial'),
  ('D2-P1', 'D2', '河口一巡区', ST_MakeEnvelope(118.485, 37.40, 118.550, 37.50, 4326), now() - interval '4 years', 'seed', 'initial'),
  ('D3-P1', 'D3', '孤岛一巡区', ST_MakeEnvelope(118.545, 37.40, 118.600, 37.50, 4326), now() - interval '4 years', 'seed', 'initial');

-- 20 × 10 wells; every 9th a key well; column 8 (lon 118.4825) lies in the gap.
INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code)
SELECT format('W%s-%s', i, j), ST_SetSRID(ST_MakePoint(118.4025 + i * 0.01, 37.405 + j * 0.01), 4326),
       (ARRAY['oil', 'water_injection', 'gas'])[1 + (i + j) % 3], (ARRAY['producing', 'shut_in', 'idle', 'workover'])[1 + (i * j) % 4],
       (i * 10 + j) % 9 = 0, 'Z1'
FROM generate_series(0, 19) i, generate_series(0, 9) j;

-- Cameras on every other key well, looking north-east.
INSERT INTO camera (code, geom, heading_deg, fov_deg, range_m, well_code)
SELECT 'C-' || w.code, w.geom, 45, 60, 400, w.code
FROM (SELECT code, geom, row_number() OVER (ORDER BY code) AS n FROM well WHERE is_key) w WHERE w.n % 2 = 1;

INSERT INTO idle_site (code, name, kind, geom, status, encroached_on, reclaimed_on) VALUES
  ('S1', '闲置井场一', 'well_pad', ST_MakeEnvelope(118.410, 37.480, 118.412, 37.482, 4326), 'idle', NULL, NULL),
  ('S2', '闲置院落二', 'yard', ST_MakeEnvelope(118.500, 37.480, 118.503, 37.482, 4326), 'encroached', current_date - 200, NULL),
  ('S3', '闲置平台三', 'platform', ST_MakeEnvelope(118.570, 37.420, 118.572, 37.422, 4326), 'reclaimed', current_date - 400, current_date - 100);

-- Incidents every 7 hours back from now: 3,000 (about 2.4 years); one in three near the hot spot at 118.42 E 37.45 N.
INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, oil_zone_code)
SELECT format('I%s', i),
       (ARRAY['casing_theft', 'pipeline_tapping', 'workover_oil_collection', 'equipment_theft', 'encroachment'])[1 + i % 5],
       now() - i * interval '7 hours',
       now() - i * interval '7 hours' + (i % 48) * interval '1 hour',
       (ARRAY['patrol', 'video', 'inspection', 'public_report', 'police'])[1 + (i / 5) % 5],
       CASE WHEN i % 3 = 0
            THEN ST_SetSRID(ST_MakePoint(118.42 + 0.006 * sin(i * 1.7), 37.45 + 0.006 * cos(i * 2.3)), 4326)
            ELSE ST_SetSRID(ST_MakePoint(118.401 + 0.198 * abs(sin(i * 12.9898)), 37.401 + 0.098 * abs(sin(i * 78.233))), 4326) END,
       round((i % 7) * 0.35, 2), (ARRAY['open', 'solved', 'closed'])[1 + i % 3], 'Z1'
FROM generate_series(1, 3000) i;
-- department_code is set by OneMapDatabase after this script, by the one attribution rule (IncidentRepository.AttributeAsync).

INSERT INTO patrol_unit (code, department_code, name, device_key) VALUES
  ('U1', 'D1', '纯梁巡逻一队', 'dev-u1'), ('U2', 'D2', '河口巡逻一队', 'dev-u2'), ('U3', 'D3', '孤岛巡逻一队', 'dev-u3');

-- Two days of fixes every minute: each unit sweeps its jurisdiction's west half north–south, drifting east and back.
INSERT INTO gps_point (unit_code, department_code, recorded_at, geom, speed_kmh, bearing)
SELECT u.code, u.dept, now() - k * interval '1 minute',
       ST_SetSRID(ST_MakePoint(u.x0 + u.w * abs(((k * 0.0025)::numeric % 2) - 1)::float8,
                               37.405 + 0.09 * abs(((k * 0.05)::numeric % 2) - 1)::float8), 4326),
       30, 0
FROM (VALUES ('U1', 'D1', 118.405, 0.035), ('U2', 'D2', 118.490, 0.030), ('U3', 'D3', 118.555, 0.020)) u(code, dept, x0, w),
     generate_series(0, 2879) k;

INSERT INTO patrol_route (code, department_code, name, geom) VALUES
  ('R1', 'D1', '纯梁主线', ST_SetSRID(ST_MakeLine(ST_MakePoint(118.41, 37.41), ST_MakePoint(118.47, 37.49)), 4326)),
  ('R2', 'D2', '河口主线', ST_SetSRID(ST_MakeLine(ST_MakePoint(118.49, 37.41), ST_MakePoint(118.54, 37.49)), 4326)),
  ('R3', 'D3', '孤岛主线', ST_SetSRID(ST_MakeLine(ST_MakePoint(118.55, 37.41), ST_MakePoint(118.59, 37.49)), 4326));

INSERT INTO basemap_feature (layer, name, kind, geom) VALUES
  ('river', '黄河', 'river', ST_SetSRID(ST_MakeLine(ARRAY[ST_MakePoint(118.35, 37.38), ST_MakePoint(118.50, 37.46), ST_MakePoint(118.65, 37.52)]), 4326)),
  ('road', 'G18', 'motorway', ST_SetSRID(ST_MakeLine(ST_MakePoint(118.35, 37.43), ST_MakePoint(118.65, 37.43)), 4326)),
  ('town', '东营', 'city', ST_SetSRID(ST_MakePoint(118.58, 37.45), 4326));
