#!/usr/bin/env bash
# Ingest load (issue 16): D seconds (default 600) of GPS reports from 2,000 devices at ~1 Hz each — OsmAnd GET, one fix per
# request, as Traccar Client and OsmAnd send them — against one web server and PostGIS on loopback. The load is paced:
# C connections (default 220) each wait W ms (default 100) between answer and next request, so the offered rate is about
# C / (W + latency) ≈ 2,000 requests/s while the server keeps up, and falls when it does not (reported as it is). Every
# request is a new (device, time) pair on the real clock, so every one must be stored. Measures: fixes stored per second
# (counted in the database, overall and per 30 s), wrk's latency percentiles, errors (non-2xx, socket errors, timeouts),
# and the server's resident memory every 5 s (flat = last third within 15% of the middle third).
# Creates its own database on the given cluster and drops it at the end (KEEP=1 keeps it).
# Usage: bench/interop/ingest-load.sh "<npgsql connection string of an admin database>"  → bench/results/ingest-load-<date>-<HHMM>.md
set -euo pipefail
ADMIN_CS="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../.." && pwd)"
D=${D:-600}; PORT=${PORT:-5474}; C=${C:-220}; W=${W:-100}; DEVICES=${DEVICES:-2000}; DB=${DB:-mc_ingest_load}
DLL="$ROOT/src/MapControl.Web/bin/Release/net10.0/MapControl.Web.dll"
CLI="$ROOT/src/MapControl.Cli/bin/Release/net10.0/mapcontrol.dll"
[ -f "$DLL" ] && [ -f "$CLI" ] || { echo "build first: dotnet build src/MapControl.Web -c Release; dotnet build src/MapControl.Cli -c Release" >&2; exit 1; }
OUT="$ROOT/bench/results/ingest-load-$(date -u +%Y-%m-%d-%H%M).md"
WORK=$(mktemp -d)

field() { sed -n "s/.*$1=\([^;]*\).*/\1/p" <<<"$ADMIN_CS"; }
export PGPASSWORD="$(field Password)"
PSQL=(psql -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -v ON_ERROR_STOP=1 -qAt)
CS="Host=$(field Host);Port=$(field Port);Username=$(field Username);Password=$PGPASSWORD;Database=$DB"

"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" >/dev/null
"${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION postgis" >/dev/null
MAPCONTROL_DB="$CS" dotnet "$CLI" migrate >/dev/null
# The interoperability fixture (3 departments, 30 units with GPS), then units dev-31..dev-$DEVICES.
sed -e 's/{{SCALE}}/20/g' -e 's/{{GPS_UNITS}}/30/g' "$ROOT/tests/MapControl.Web.Tests/Ogc/interop-fixture.sql" > "$WORK/fixture.sql"
"${PSQL[@]}" -d "$DB" -f "$WORK/fixture.sql" >/dev/null
"${PSQL[@]}" -d "$DB" -c "INSERT INTO patrol_unit (code, department_code, name, device_key)
  SELECT 'U' || u, (ARRAY['D1', 'D2', 'D3'])[1 + u % 3], '巡逻车' || u, 'dev-' || u FROM generate_series(31, $DEVICES) u" >/dev/null
"${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE" >/dev/null
count() { "${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM gps_point"; }

(cd "$ROOT/src/MapControl.Web" && MAPCONTROL_DB="$CS" ASPNETCORE_URLS="http://127.0.0.1:$PORT" exec dotnet "$DLL" >"$WORK/app.log" 2>&1) &
APP=$!
cleanup() {
  kill "$APP" 2>/dev/null || true
  wait "$APP" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 240); do curl -s -o /dev/null "http://127.0.0.1:$PORT/ingest/osmand" && break; sleep 0.5; done

cat > "$WORK/paced.lua" <<LUA
-- Each wrk thread serves half the devices; device d sends its k-th fix stamped start + k seconds (the real clock while
-- the server keeps up), so every request is a new (device, time) pair.
local devices, threads, start = $DEVICES, 2, $(date +%s)
local thread_id = 0
function setup(thread) thread:set("tid", thread_id); thread_id = thread_id + 1 end
local counter = 0
function delay() return $W end
request = function()
  local per = devices / threads
  local dev = tid * per + (counter % per) + 1
  local ts = start + math.floor(counter / per)
  counter = counter + 1
  local lat = 37.36 + (dev % 100) * 0.001 + (counter % 50) * 0.00002
  local lon = 118.41 + math.floor(dev / 100) * 0.001 + (counter % 50) * 0.00002
  return wrk.format("GET", string.format("/ingest/osmand?id=dev-%d&lat=%.6f&lon=%.6f&timestamp=%d&speed=30&bearing=90&accuracy=5", dev, lat, lon, ts))
end
LUA

( while kill -0 "$APP" 2>/dev/null; do echo "$(date +%s) $(awk '/VmRSS/{print $2}' /proc/$APP/status 2>/dev/null)"; sleep 5; done ) > "$WORK/rss.log" &
SAMPLER=$!
( while true; do echo "$(date +%s) $(count)"; sleep 30; done ) > "$WORK/count.log" &
COUNTER=$!
LOAD0="$(cut -d' ' -f1-3 /proc/loadavg)"
before=$(count); t0=$(date +%s.%N)
wrk -t2 -c"$C" -d"${D}s" --timeout 10s --latency -s "$WORK/paced.lua" "http://127.0.0.1:$PORT" > "$WORK/wrk.txt"
t1=$(date +%s.%N)
sleep 2
after=$(count)
kill "$SAMPLER" "$COUNTER" 2>/dev/null || true

errors=0
errors=$(( errors + $(grep -oP 'Non-2xx or 3xx responses: \K\d+' "$WORK/wrk.txt" || echo 0) ))
for k in connect read write timeout; do errors=$(( errors + $(grep -oP "$k \K\d+" "$WORK/wrk.txt" | head -1 || echo 0) )); done
requests=$(grep -oP '^\s*\K\d+(?= requests in)' "$WORK/wrk.txt")
read -r mid last max < <(awk '{r[NR]=$2} END {n=NR; a=int(n/3); b=int(2*n/3); for(i=a+1;i<=b;i++){s1+=r[i]}; for(i=b+1;i<=n;i++){s2+=r[i]; if(r[i]>m)m=r[i]}; printf "%d %d %d\n", s1/(b-a), s2/(n-b), m}' "$WORK/rss.log")
rate=$(echo "($after - $before) / ($t1 - $t0)" | bc)
{
  echo "# GPS ingest load $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "${D} s of OsmAnd reports (one fix per request) from $DEVICES devices, paced: $C connections, ${W} ms between answer and next request (≈ 2,000 requests/s offered while latency is low); one web server (Release build) and PostgreSQL on loopback, $(nproc) cores shared with other builds (load average at start $LOAD0, at end $(cut -d' ' -f1-3 /proc/loadavg))."
  echo
  echo "| measure | value |"
  echo "|---|---:|"
  echo "| fixes stored (database count) | $((after - before)) |"
  echo "| **stored per second, whole run** | **$rate** |"
  echo "| requests answered (wrk) | $requests |"
  echo "| errors (non-2xx + socket errors + timeouts) | $errors |"
  echo "| latency p50 / p90 / p99 | $(grep -E '^\s+50%' "$WORK/wrk.txt" | awk '{print $2}') / $(grep -E '^\s+90%' "$WORK/wrk.txt" | awk '{print $2}') / **$(grep -E '^\s+99%' "$WORK/wrk.txt" | awk '{print $2}')** |"
  echo "| latency max | $(grep -E '^\s+Latency' "$WORK/wrk.txt" | awk '{print $4}') |"
  echo "| server RSS, mean of the middle third / last third / max | $((mid / 1024)) MB / $((last / 1024)) MB / $((max / 1024)) MB |"
  echo
  echo "Stored per 30 s (fixes/s): $(awk 'NR > 1 {printf "%d ", ($2 - c) / ($1 - t)} {t = $1; c = $2} END {print ""}' "$WORK/count.log")"
  echo
  echo "Server RSS every 5 s (MB): $(awk '{printf "%d ", $2 / 1024} END {print ""}' "$WORK/rss.log")"
  echo
  echo '```'
  cat "$WORK/wrk.txt"
  echo '```'
} | tee "$OUT"
if [ "$errors" -eq 0 ] && [ "$rate" -ge 2000 ] && [ "$last" -le $(( mid * 115 / 100 )) ]; then echo "INGEST LOAD PASSED (≥ 2,000 fixes/s, no errors, flat memory)" | tee -a "$OUT"; else echo "INGEST LOAD NOT MET" | tee -a "$OUT"; fi
