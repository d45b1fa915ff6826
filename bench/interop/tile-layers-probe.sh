#!/usr/bin/env bash
# Cold render time of each tile layer × window: starts a fresh web server (empty tile cache) on the database made by
# setup-tilebench.sh and asks 12 tiles (z12–14 over the oilfield, the soak's windows) of each combination one after the other.
# Prints the total and the slowest request per combination; finds the layers that make the soak render-bound.
# Usage: bench/interop/tile-layers-probe.sh "<npgsql connection string>"   (LAYERS="tracks gps" to limit; PORT=5499)
set -euo pipefail
CS="$1"; PORT=${PORT:-5499}
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$HERE/../.."
WORK=$(mktemp -d)
(cd "$ROOT/src/MapControl.Web" && MAPCONTROL_DB="$CS" ASPNETCORE_URLS="http://127.0.0.1:$PORT" exec dotnet bin/Release/net10.0/MapControl.Web.dll >"$WORK/app.log" 2>&1) &
APP=$!
trap 'kill $APP 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 120); do curl -sf -o /dev/null -H "Authorization: Bearer benchtoken" "http://127.0.0.1:$PORT/tiles/oil-zones/13/6795/3176.mvt" && break; sleep 0.5; done
windows=( "" "?from=2026-11-17T00:00:00Z&to=2026-11-18T00:00:00Z" "?from=2026-11-17T00:00:00Z&to=2026-11-20T00:00:00Z" "?from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z" )
echo "uptime: $(uptime)"
for layer in ${LAYERS:-wells incidents gps tracks jurisdictions oil-zones idle-sites cameras}; do
  for wi in 0 1 2 3; do
    : > "$WORK/times"
    for z in 12 13 14; do for i in 0 1 2 3; do
      s=$((z - 12)); x=$(( ((6790 + i * 2) << s) >> 1 )); y=$(( ((3174 + i) << s) >> 1 ))
      curl -s -o /dev/null -w "%{time_total} %{size_download} %{http_code}\n" -H "Authorization: Bearer benchtoken" \
        "http://127.0.0.1:$PORT/tiles/$layer/$z/$x/$y.mvt${windows[$wi]}" >> "$WORK/times"
    done; done
    awk -v l="$layer" -v w="$wi" '{t+=$1; if($1>m)m=$1; b+=$2; c=$3} END {printf "%-14s window %d  total %6.2f s  max %5.2f s  bytes %8d  last HTTP %s\n", l, w, t, m, b, c}' "$WORK/times"
  done
done
