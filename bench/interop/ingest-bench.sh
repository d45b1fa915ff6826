#!/usr/bin/env bash
# GPS ingest benchmark: NDJSON batches (curl, 2 in parallel) and OsmAnd single reports (wrk, osmand.lua), each counted in the database.
# Needs the interop fixture's patrol units (device keys dev-1..dev-30).
# Usage: bench/interop/ingest-bench.sh "<npgsql connection string>" <pg socket dir> <pg port> <db>
set -euo pipefail
CS="$1"; PGHOST_="$2"; PGPORT_="$3"; DB="$4"
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$HERE/../.."
DLL="$ROOT/src/MapControl.Web/bin/Release/net10.0/MapControl.Web.dll"
PORT=${PORT:-5472}; N=${N:-200000}; BATCH=${BATCH:-5000}; T=${T:-20}
count() { runuser -u postgres -- psql -h "$PGHOST_" -p "$PGPORT_" -U postgres -d "$DB" -qAt -c "SELECT count(*) FROM gps_point"; }

(cd "$ROOT/src/MapControl.Web" && MAPCONTROL_DB="$CS" ASPNETCORE_URLS="http://127.0.0.1:$PORT" exec dotnet "$DLL" >/tmp/mc-ingest-bench-app.log 2>&1) &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$PORT/ingest/osmand" && break; sleep 0.5; done

WORK=$(mktemp -d)
BASE=$(( $(date +%s) - 30 * 86400 - RANDOM * 60 ))  # a fresh window each run (reports are idempotent); sent as a back-fill
python3 - "$N" "$BATCH" "$BASE" "$WORK" <<'PY'
import sys, json
n, batch, base, work = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
f = None
for i in range(n):
    if i % batch == 0:
        if f: f.close()
        f = open(f"{work}/batch-{i // batch:05d}.ndjson", "w")
    u = i % 30 + 1
    f.write(json.dumps({"id": f"dev-{u}", "lat": 37.36 + (i % 1000) * 1e-4, "lon": 118.41 + (i % 997) * 1e-4,
                        "timestamp": base + i // 30, "speed_kmh": 30, "bearing": 90}) + "\n")
f.close()
PY
before=$(count)
start=$(date +%s.%N)
ls "$WORK"/batch-*.ndjson | xargs -P 2 -I{} curl -sf -o /dev/null -H 'Content-Type: application/x-ndjson' --data-binary @{} "http://127.0.0.1:$PORT/ingest/ndjson?backfill=true"
end=$(date +%s.%N)
after=$(count)
echo "== NDJSON: $N points in batches of $BATCH, 2 parallel: inserted $((after - before)) in $(echo "$end - $start" | bc) s = $(echo "($after - $before) / ($end - $start)" | bc) points/s"

before=$(count)
MC_BASE_TS=$(( $(date +%s) - 10 * 86400 )) wrk -t2 -c${CONN:-256} -d"${T}s" --latency -s "$HERE/osmand.lua" "http://127.0.0.1:$PORT" | grep -E "Requests/sec|  50%|  99%|Non-2xx"
sleep 1
after=$(count)
echo "== OsmAnd GET (wrk, ${CONN:-256} connections, ${T}s): inserted $((after - before)) = $(( (after - before) / T )) points/s"
rm -rf "$WORK"
