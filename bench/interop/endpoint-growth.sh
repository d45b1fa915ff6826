#!/usr/bin/env bash
# Growth of the HTTP endpoints (issue 16, item 2): for each store size N (default 10^5, 10^6, 10^7) a database with the
# interoperability fixture's departments, jurisdictions and units, and N incidents over the last year and N GPS fixes over the
# last 7 days (units reporting every 10 s, as many units as N needs), synthetic and uniform over the jurisdictions' extent
# (departments assigned round robin, not by location: the measured work is the same). Then one web server per size, tile
# cache off, and for each endpoint ONE cold request (the analyses cache by data version, so a repeat would measure the
# cache; each path is first called once on an empty window of 2001 so the JIT has compiled it): wall time, CPU of the web server and of its PostgreSQL backends (from /proc), and the server's peak resident memory
# during the request (VmHWM after clear_refs). Ingest: one NDJSON batch of 5,000 fixes into the store of that size.
# Writes bench/results/endpoint-growth.tsv and .md, and the plots (the benchmark harness's `plot` verb draws them).
# Usage: bench/interop/endpoint-growth.sh "<npgsql connection string of an admin database>" [sizes]
# Environment: ONLY=<extended regex> measures only the operations whose name matches (the stores are built as always);
# DB_PREFIX (default mc_growth) names the databases, so two runs on one cluster do not drop each other's; PORT the server's.
set -euo pipefail
ADMIN_CS="$1"; SIZES="${2:-100000 1000000 10000000}"
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../.." && pwd)"
PORT=${PORT:-5476}
DLL="$ROOT/src/MapControl.Web/bin/Release/net10.0/MapControl.Web.dll"
CLI="$ROOT/src/MapControl.Cli/bin/Release/net10.0/mapcontrol.dll"
BENCH="$ROOT/bench/MapControl.Benchmarks/bin/Release/net10.0/MapControl.Benchmarks.dll"
[ -f "$DLL" ] && [ -f "$CLI" ] && [ -f "$BENCH" ] || { echo "build first: dotnet build MapControl.sln -c Release" >&2; exit 1; }
OUT="$ROOT/bench/results"; WORK=$(mktemp -d)
field() { sed -n "s/.*$1=\([^;]*\).*/\1/p" <<<"$ADMIN_CS"; }
export PGPASSWORD="$(field Password)"
PSQL=(psql -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -v ON_ERROR_STOP=1 -qAt)
TSV="$OUT/endpoint-growth.tsv"
printf 'operation\tsize\twall_ms\tcpu_ms\tpeak_mb\n' > "$TSV"
cpu_of() { # CPU seconds ×100 (clock ticks) of the given pids
  local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo "$t"; }
backends() { pgrep -f "postgres: .* $1 " || true; }
echo "load at start: $(cat /proc/loadavg)" > "$WORK/notes"

for N in $SIZES; do
  DB="${DB_PREFIX:-mc_growth}_$N"; CS="Host=$(field Host);Port=$(field Port);Username=$(field Username);Password=$PGPASSWORD;Database=$DB"
  echo "== $N: building the store" >&2
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" >/dev/null
  "${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION postgis" >/dev/null
  MAPCONTROL_DB="$CS" dotnet "$CLI" migrate >/dev/null
  sed -e 's/{{SCALE}}/20/g' -e 's/{{GPS_UNITS}}/30/g' "$ROOT/tests/MapControl.Web.Tests/Ogc/interop-fixture.sql" > "$WORK/fixture.sql"
  "${PSQL[@]}" -d "$DB" -f "$WORK/fixture.sql" >/dev/null
  UNITS=$(( (N + 60479) / 60480 ))
  "${PSQL[@]}" -d "$DB" <<SQL >/dev/null
TRUNCATE incident, gps_point;
-- Built as a bulk load (the incident import's large path does the same): the foreign keys and the secondary indexes of the
-- two big tables go before the inserts and come back after them, so 10^7 rows are not 10^7 queued foreign-key checks and
-- 10^7 random GiST insertions. Their definitions are read from the catalog, so the migrations stay their only source. The
-- catalog writes an index of a partitioned table as CREATE INDEX ... ON ONLY, which builds no partition index and leaves the
-- parent index invalid: without the ONLY it is built on every partition (before 5 Dec 06:00 UTC the stores had no incident
-- and GPS indexes but the primary keys).
SET maintenance_work_mem = '1GB';
CREATE TEMP TABLE saved AS
SELECT 1 AS ord, format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS redo,
       format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS undo
FROM pg_constraint c WHERE c.conrelid IN ('incident'::regclass, 'gps_point'::regclass) AND c.contype = 'f'
UNION ALL
SELECT 0, replace(i.indexdef, ' ON ONLY ', ' ON '), format('DROP INDEX %I.%I', i.schemaname, i.indexname)
FROM pg_indexes i WHERE i.tablename IN ('incident', 'gps_point')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u', 'x'));
DO \$\$ DECLARE r record; BEGIN FOR r IN SELECT undo FROM saved ORDER BY ord DESC LOOP EXECUTE r.undo; END LOOP; END \$\$;
SELECT ensure_incident_partitions(now() - interval '13 months', now() + interval '1 month');
SELECT ensure_gps_partitions(now() - interval '8 days', now() + interval '1 day');
INSERT INTO patrol_unit (code, department_code, name, device_key)
  SELECT 'G' || u, (ARRAY['D1', 'D2', 'D3'])[1 + u % 3], 'growth ' || u, 'growth-' || u FROM generate_series(1, $UNITS) u;
CREATE TEMP TABLE ext AS SELECT ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1
  FROM (SELECT ST_Extent(geom)::geometry e FROM jurisdiction WHERE valid_to IS NULL) s;
INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code)
SELECT 'GR' || i, (ARRAY['casing_theft', 'drilling_theft', 'equipment_theft', 'vandalism'])[1 + i % 4],
       now() - (i::double precision / $N) * interval '365 days', now() - (i::double precision / $N) * interval '365 days' + interval '2 hours',
       (ARRAY['patrol', 'video', 'inspection'])[1 + i % 3],
       ST_SetSRID(ST_MakePoint(x0 + (x1 - x0) * ((i * 0.6180339887) - floor(i * 0.6180339887)),
                               y0 + (y1 - y0) * ((i * 0.7548776662) - floor(i * 0.7548776662))), 4326),
       (i % 5) * 0.1, 'closed', (ARRAY['D1', 'D2', 'D3'])[1 + i % 3]
FROM generate_series(1, $N) i, ext;
INSERT INTO gps_point (unit_code, department_code, recorded_at, geom, speed_kmh, bearing)
SELECT 'G' || u, (ARRAY['D1', 'D2', 'D3'])[1 + u % 3], date_trunc('second', now()) - k * interval '10 seconds',
       ST_SetSRID(ST_MakePoint(x0 + (x1 - x0) * (0.15 + 0.7 * ((u * 0.6180339887) - floor(u * 0.6180339887))) + 0.02 * cos(k / 400.0 + u),
                               y0 + (y1 - y0) * (0.15 + 0.7 * ((u * 0.7548776662) - floor(u * 0.7548776662))) + 0.015 * sin(k / 400.0 + u)), 4326),
       20, 90
FROM generate_series(1, $UNITS) u, generate_series(0, 60479) k, ext
WHERE (u - 1) * 60480 + k < $N;
DO \$\$ DECLARE r record; BEGIN FOR r IN SELECT redo FROM saved ORDER BY ord LOOP EXECUTE r.redo; END LOOP; END \$\$;
VACUUM ANALYZE;
SQL
  TOKEN="growthtoken"
  "${PSQL[@]}" -d "$DB" -c "INSERT INTO app_user (user_name, display_name, role, password_hash) VALUES ('growth', 'growth', 'admin', 'x') ON CONFLICT DO NOTHING;
    INSERT INTO api_token (user_name, token_hash, label, expires_at) VALUES ('growth', encode(sha256('$TOKEN'::bytea), 'hex'), 'growth', now() + interval '1 day')" >/dev/null
  echo "$N: $("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM incident")::$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM gps_point") incidents::fixes, $UNITS units, load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/notes"

  # REDUCE=1 (default): the store as it runs — the GPS retention pass starts at once (not after its 10 min delay) and the
  # measurements wait until every completed China day is reduced to daily tracks (with its patrol hours, migration 0015);
  # REDUCE=0: every fix stays raw (as the runs before 4 Dec 2026 measured).
  DELAY=10; [ "${REDUCE:-1}" = 1 ] && DELAY=0
  # The monthly report run is off: its catch-up of the previous month (every department's report, 2 min after start) ran in the
  # background of the measured calls and counted in their CPU (before 5 Dec 07:00 UTC). The report is measured on request below.
  (cd "$ROOT/src/MapControl.Web" && MAPCONTROL_DB="$CS" MapControl__Tiles__CacheMegabytes=0 MapControl__Reports__Schedule=false MapControl__Gps__RetentionStartDelayMinutes=$DELAY \
     ASPNETCORE_URLS="http://127.0.0.1:$PORT" exec dotnet "$DLL" >"$WORK/app-$N.log" 2>&1) &
  APP=$!
  for _ in $(seq 240); do curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/tiles/oil-zones/13/6795/3176.mvt" && break; sleep 0.5; done
  if [ "${REDUCE:-1}" = 1 ]; then
    DAYS=$("${PSQL[@]}" -d "$DB" -c "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date - (min(recorded_at) AT TIME ZONE 'Asia/Shanghai')::date FROM gps_point")
    T0=$(date +%s)
    for _ in $(seq 1800); do [ "$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM gps_reduced_day")" -ge "$DAYS" ] && break; sleep 1; done
    echo "$N: $("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM gps_reduced_day") of $DAYS past days reduced in $(( $(date +%s) - T0 )) s before the measurements" >> "$WORK/notes"
  fi
  sleep 5 # the server's start-up jobs (monthly reports, retention) settle
  NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ); YEAR=$(date -u -d '365 days ago' +%Y-%m-%dT%H:%M:%SZ)
  measure() { # name method url [data file]
    local name="$1" method="$2" url="$3" data="${4:-}"
    [ -z "${ONLY:-}" ] || grep -Eq -- "$ONLY" <<<"$name" || return 0
    local pids; pids=$(backends "$DB")
    echo 5 > "/proc/$APP/clear_refs" 2>/dev/null || true
    local c0; c0=$(cpu_of "$APP" $pids)
    local wall
    if [ -n "$data" ]; then
      wall=$(curl -s -o "$WORK/body" -w "%{time_total} %{http_code}" -X "$method" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/x-ndjson" --data-binary "@$data" "http://127.0.0.1:$PORT$url")
    else
      wall=$(curl -s -o "$WORK/body" -w "%{time_total} %{http_code}" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$url")
    fi
    local c1; c1=$(cpu_of "$APP" $(printf '%s\n' $pids $(backends "$DB") | sort -u)) # backends opened meanwhile count whole
    local hwm; hwm=$(awk '/VmHWM/{print $2}' "/proc/$APP/status")
    set -- $wall
    [ "$2" -lt 300 ] || { echo "$name at $N: HTTP $2: $(head -c 300 "$WORK/body")" >&2; }
    awk -v n="$name" -v s="$N" -v w="$1" -v c=$(( c1 - c0 )) -v m="$hwm" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%s\t%s\t%.0f\t%.0f\t%.0f\n", n, s, w * 1000, c * 1000 / hz, m / 1024}' | tee -a "$TSV" >&2
  }
  # Warm-up: each path once on an empty window (the JIT compiles it; analyses cache by window, so the measured call stays cold).
  OLD="from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z"
  for u in "/tiles/incidents/12/3397/1588.mvt?$OLD" "/tiles/gps/13/6795/3176.mvt?$OLD" "/tiles/tracks/13/6795/3176.mvt?$OLD" \
           "/api/analysis/kpi?$OLD" "/api/analysis/hotspots?$OLD" "/api/analysis/heat?$OLD" \
           "/api/analysis/incidents?$OLD" "/api/analysis/yoy?$OLD" "/api/reports/monthly?month=2001-01&regenerate=true"; do
    curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$u"
  done
  measure "tile incidents z12, year" GET "/tiles/incidents/12/3397/1588.mvt?from=$YEAR&to=$NOW"
  measure "tile gps z13, 24 h" GET "/tiles/gps/13/6795/3176.mvt"
  measure "tile tracks z13, 24 h" GET "/tiles/tracks/13/6795/3176.mvt?from=$(date -u -d '24 hours ago' +%Y-%m-%dT%H:%M:%SZ)&to=$NOW"
  measure "KPI, year" GET "/api/analysis/kpi?from=$YEAR&to=$NOW"
  # Gaps: cached by the data's change marker, so no warm-up call (it would fill the cache): one cold check, JIT included.
  measure "gaps, 12 months" GET "/api/layers/gaps"
  measure "hot spots, year" GET "/api/analysis/hotspots?from=$YEAR&to=$NOW"
  measure "heat, year" GET "/api/analysis/heat?from=$YEAR&to=$NOW"
  measure "year over year, year" GET "/api/analysis/yoy?from=$YEAR&to=$NOW"
  measure "incidents clustered, year" GET "/api/analysis/incidents?from=$YEAR&to=$NOW"
  measure "patrol coverage, 7 d" GET "/api/layers/patrol-coverage"
  # A month's window: the centre's monthly report of the last month (KPIs, hot spots, patrol coverage of the month from the
  # daily tracks, PDF), made anew. The store holds a year of incidents but only the last 7 days of fixes.
  measure "monthly report, last month (PDF)" GET "/api/reports/monthly?month=$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m)&regenerate=true"
  # Ingest: 5,000 fixes of unit G1 a second apart, just after the store's newest.
  python3 - "$WORK/batch.ndjson" <<'PY'
import sys, datetime, json
t0 = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=5)
with open(sys.argv[1], "w") as f:
    for i in range(5000):
        t = (t0 - datetime.timedelta(seconds=5000 - i) - datetime.timedelta(milliseconds=500)).isoformat().replace("+00:00", "Z")
        f.write(json.dumps({"id": "growth-1", "timestamp": t, "lon": 118.6 + i * 1e-5, "lat": 37.45}) + "\n")
PY
  measure "ingest, 5,000 fixes (NDJSON)" POST "/ingest/ndjson" "$WORK/batch.ndjson"
  kill "$APP"; wait "$APP" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
done
echo "load at end: $(cat /proc/loadavg)" >> "$WORK/notes"
dotnet "$BENCH" plot "$TSV" "$OUT/endpoint-growth" "HTTP endpoints" "$(cat "$WORK/notes")"
rm -rf "$WORK"
