#!/usr/bin/env bash
# Vector tile benchmark, side by side in one run: pgbench on the bare ST_AsMVT query vs wrk on /tiles/wells/13/x/y.mvt
# (uncached: cache size 0), then the endpoint with its in-memory cache. Needs a database loaded with
# tests/MapControl.Web.Tests/Ogc/interop-fixture.sql (SCALE=200, GPS_UNITS=30) and a user whose token is "benchtoken".
# Usage: bench/interop/tiles-bench.sh "<npgsql connection string>" <pg host/socket dir> <pg port> <db>
set -euo pipefail
CS="$1"; PGHOST_="$2"; PGPORT_="$3"; DB="$4"
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$HERE/../.."
DLL="$ROOT/src/MapControl.Web/bin/Release/net10.0/MapControl.Web.dll"
C=${C:-8}; T=${T:-20}; PORT=${PORT:-5471}
pct() { sort -n | awk '{a[NR]=$1} END {printf "p50=%.2f ms p99=%.2f ms n=%d\n", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000, NR}'; }

echo "== pgbench: bare ST_AsMVT query, $C clients, ${T}s"
rm -rf /tmp/mc-pgbench && mkdir -p /tmp/mc-pgbench && chmod 777 /tmp/mc-pgbench
(cd /tmp/mc-pgbench && runuser -u postgres -- pgbench -n -h "$PGHOST_" -p "$PGPORT_" -U postgres -c "$C" -j 2 -T "$T" -f "$HERE/tile-query.sql" --log --log-prefix=pgb "$DB" | grep -E "tps|latency average")
cat /tmp/mc-pgbench/pgb.* | awk '{print $3}' | pct

run_app() { # $1 = cache MB, $2 = MaxConcurrentQueries (empty: the default, the cores)
  (cd "$ROOT/src/MapControl.Web" && exec env MAPCONTROL_DB="$CS" MapControl__Tiles__CacheMegabytes="$1" \
     ${2:+MapControl__Tiles__MaxConcurrentQueries="$2"} ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
     dotnet "$DLL" >/tmp/mc-tiles-bench-app.log 2>&1) &
  APP=$!
  for _ in $(seq 60); do curl -sf -o /dev/null -H "Authorization: Bearer benchtoken" "http://127.0.0.1:$PORT/tiles/wells/13/6795/3176.mvt" && break; sleep 0.5; done
}
# Passes: uncached with the default query limit (the measured path), uncached without a limit (for reference: every
# request's query runs at once, as pgbench's do), cached.
for pass in "0:" "0:0" "64:"; do
  mb="${pass%%:*}"; limit="${pass#*:}"
  run_app "$mb" "$limit"
  # Warm-up (JIT, connection pool, cache fill) is not part of the measurement: pgbench's connections are warm too.
  # 30 s: .NET's tiered JIT recompiles hot methods in the background for the first ~20 s under load (dotnet-counters
  # showed 0.4–0.8 s of JIT per second during a 5 s warm-up), which on two cores shows up in the tail.
  wrk -t2 -c"$C" -d"${WARMUP:-30}s" -s "$HERE/tiles.lua" "http://127.0.0.1:$PORT" >/dev/null
  echo "== wrk: /tiles/wells/13/x/y.mvt, cache ${mb} MB, query limit ${limit:-default (cores)}, $C connections, ${T}s"
  wrk -t2 -c"$C" -d"${T}s" --latency -s "$HERE/tiles.lua" "http://127.0.0.1:$PORT" | grep -E "Requests/sec|  50%|  99%|Latency  "
  kill "$APP"; wait "$APP" 2>/dev/null || true
done
