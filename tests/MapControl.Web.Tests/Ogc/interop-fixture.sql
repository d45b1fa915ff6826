-- A small deterministic oilfield for the interoperability tests and benchmarks. {{SCALE}} multiplies wells and incidents;
-- {{GPS_UNITS}} patrol units each send a fix every 30 s on 2026-11-17..19 (06:00-12:00 UTC) with a 20 min pause at 09:00.
INSERT INTO department (code, name, colour) VALUES
  ('D1', '纯梁护卫部', '#e41a1c'), ('D2', '河口护卫部', '#377eb8'), ('D3', '孤岛护卫部', '#4daf4a');

INSERT INTO oil_zone (code, name, geom) VALUES
  ('Z1', '东营油区', ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.60, 37.50, 4326))),
  ('Z2', '孤岛油区', ST_Multi(ST_MakeEnvelope(118.60, 37.35, 118.80, 37.50, 4326)));

-- D1 and D2 current; a gap between 118.70 and 118.72; an old D1 version.
INSERT INTO jurisdiction (department_code, geom, valid_from, valid_to, edited_by, reason) VALUES
  ('D1', ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.50, 37.50, 4326)), '2024-01-01Z', '2025-01-01Z', 'planner', 'initial'),
  ('D1', ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.55, 37.50, 4326)), '2025-01-01Z', NULL, 'planner', 'moved east'),
  ('D2', ST_Multi(ST_MakeEnvelope(118.55, 37.35, 118.70, 37.50, 4326)), '2024-01-01Z', NULL, 'planner', 'initial'),
  ('D3', ST_Multi(ST_MakeEnvelope(118.72, 37.35, 118.80, 37.50, 4326)), '2024-01-01Z', NULL, 'planner', 'initial');

INSERT INTO patrol_zone (code, department_code, name, geom, valid_from, valid_to, edited_by, reason) VALUES
  ('PZ1', 'D1', '一巡区', ST_MakeEnvelope(118.40, 37.35, 118.55, 37.42, 4326), '2024-01-01Z', NULL, 'planner', 'initial'),
  ('PZ2', 'D1', '二巡区', ST_MakeEnvelope(118.40, 37.42, 118.55, 37.50, 4326), '2024-01-01Z', NULL, 'planner', 'initial'),
  ('PZ3', 'D2', '三巡区', ST_MakeEnvelope(118.55, 37.35, 118.70, 37.50, 4326), '2024-01-01Z', NULL, 'planner', 'initial');

-- Wells on a grid: 100 × {{SCALE}}; every 10th a key well.
INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code)
SELECT 'W' || lpad(i::text, 6, '0'),
       ST_SetSRID(ST_MakePoint(118.401 + ((i * 7919) % 3989) / 3989.0 * 0.398, 37.351 + ((i * 104729) % 1499) / 1499.0 * 0.148), 4326),
       (ARRAY['oil', 'water_injection', 'gas'])[1 + i % 3],
       (ARRAY['producing', 'shut_in', 'idle', 'workover'])[1 + i % 4],
       i % 10 = 0,
       CASE WHEN 118.401 + ((i * 7919) % 3989) / 3989.0 * 0.398 < 118.60 THEN 'Z1' ELSE 'Z2' END
FROM generate_series(1, 100 * {{SCALE}}) i;

INSERT INTO camera (code, geom, heading_deg, fov_deg, range_m, well_code)
SELECT 'C' || substr(code, 2), geom, (row_number() OVER (ORDER BY code) * 37) % 360, 60, 300, code FROM well WHERE is_key;

INSERT INTO idle_site (code, name, kind, geom, status, encroached_on, reclaimed_on)
SELECT 'S' || lpad(i::text, 4, '0'), '闲置井场' || i,
       (ARRAY['well_pad', 'yard', 'platform', 'station'])[1 + i % 4],
       ST_MakeEnvelope(118.41 + i * 0.009, 37.36, 118.412 + i * 0.009, 37.362, 4326),
       (ARRAY['idle', 'encroached', 'reclaimed'])[1 + i % 3],
       CASE WHEN i % 3 >= 1 THEN date '2025-03-01' END,
       CASE WHEN i % 3 = 2 THEN date '2025-09-01' END
FROM generate_series(1, 40) i;

-- Incidents: 500 × {{SCALE}} between 2024-01-01 and 2026-10-31, one every ~1.04 days × 500 / n.
INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code, oil_zone_code)
SELECT 'I' || lpad(i::text, 7, '0'),
       (ARRAY['casing_theft', 'pipeline_tapping', 'workover_oil_collection', 'equipment_theft', 'encroachment'])[1 + i % 5],
       timestamptz '2024-01-01Z' + (i - 1) * (interval '1034 days' / (500 * {{SCALE}})),
       timestamptz '2024-01-01Z' + (i - 1) * (interval '1034 days' / (500 * {{SCALE}})) + interval '3 hours',
       (ARRAY['patrol', 'video', 'inspection', 'public_report', 'police'])[1 + i % 5],
       ST_SetSRID(ST_MakePoint(x, 37.352 + ((i * 6101) % 2003) / 2003.0 * 0.146), 4326),
       (i % 7) * 0.5,
       (ARRAY['open', 'solved', 'closed'])[1 + i % 3],
       CASE WHEN x < 118.55 THEN 'D1' WHEN x < 118.70 THEN 'D2' WHEN x >= 118.72 THEN 'D3' END,
       CASE WHEN x < 118.60 THEN 'Z1' ELSE 'Z2' END
FROM (SELECT i, 118.402 + ((i * 4391) % 3001) / 3001.0 * 0.396 AS x FROM generate_series(1, 500 * {{SCALE}}) i) s;

INSERT INTO patrol_unit (code, department_code, name, device_key)
SELECT 'U' || u, (ARRAY['D1', 'D2', 'D3'])[1 + u % 3], '巡逻车' || u, 'dev-' || u FROM generate_series(1, {{GPS_UNITS}}) u;

INSERT INTO patrol_route (code, department_code, name, geom) VALUES
  ('R1', 'D1', '一号线', ST_GeomFromText('LINESTRING(118.41 37.36, 118.54 37.49)', 4326)),
  ('R2', 'D2', '二号线', ST_GeomFromText('LINESTRING(118.56 37.36, 118.69 37.49)', 4326));

INSERT INTO gps_point (unit_code, department_code, recorded_at, geom, speed_kmh, bearing)
SELECT 'U' || u, (ARRAY['D1', 'D2', 'D3'])[1 + u % 3], t,
       ST_SetSRID(ST_MakePoint(118.41 + (u % 30) * 0.012 + extract(epoch FROM t - date_trunc('day', t)) / 21600.0 * 0.01 - 0.0025,
                               37.36 + (u % 13) * 0.01 + extract(epoch FROM t - date_trunc('day', t)) / 21600.0 * 0.02 - 0.005), 4326),
       30, 45
FROM generate_series(1, {{GPS_UNITS}}) u,
     generate_series(date '2026-11-17', date '2026-11-19', interval '1 day') d,
     generate_series(d + interval '6 hours', d + interval '12 hours' - interval '30 seconds', interval '30 seconds') t
WHERE NOT (t >= d + interval '9 hours' AND t < d + interval '9 hours 20 minutes');

ANALYZE;
