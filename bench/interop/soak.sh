#!/usr/bin/env bash
# Soak: D seconds (default 600) of mixed vector tiles (40 connections, mixed-tiles.lua: every layer, z12–14, the UI's
# windows) and GPS ingest (10 connections, osmand.lua: 30 devices) against one web server, with the server's resident
# memory sampled every 15 s. Passes when no request failed (wrk's socket errors and non-2xx answers are all zero) and the
# memory of the last third stays within 15% of the middle third's. The trackers report live (fixes stamped as sent), so the
# tiles of windows that ended stay cached (change versions by day, migration 0009) while those of the default window are
# rendered for each request. Tile requests come from 40 users (each its own share of
# the tile-query slots); a tile may take seconds to render under this load, so wrk waits up to 30 s before it counts a timeout.
# Needs the database made by setup-tilebench.sh.
# Usage: bench/interop/soak.sh "<npgsql connection string>"   → bench/results/soak-<date>.txt
set -euo pipefail
CS="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$HERE/../.."
DLL="$ROOT/src/MapControl.Web/bin/Release/net10.0/MapControl.Web.dll"
D=${D:-600}; PORT=${PORT:-5473}
OUT="$ROOT/bench/results/soak-$(date -u +%Y-%m-%d-%H%M).txt"
WORK=$(mktemp -d)

# 40 analysts with tokens soaktoken01..40.
PGPASSWORD="$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <<<"$CS")" psql "host=127.0.0.1 port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$CS") user=postgres dbname=$(sed -n 's/.*Database=\([^;]*\).*/\1/p' <<<"$CS")" -qAt -c "
  INSERT INTO app_user (user_name, display_name, role, password_hash)
  SELECT format('soak%s', lpad(i::text, 2, '0')), 'soak', 'analyst', 'x' FROM generate_series(1, 40) i ON CONFLICT DO NOTHING;
  INSERT INTO api_token (user_name, token_hash, label, expires_at)
  SELECT format('soak%s', lpad(i::text, 2, '0')), encode(sha256(convert_to(format('soaktoken%s', lpad(i::text, 2, '0')), 'UTF8')), 'hex'), 'soak', now() + interval '1 day'
  FROM generate_series(1, 40) i ON CONFLICT DO NOTHING" >/dev/null

(cd "$ROOT/src/MapControl.Web" && MAPCONTROL_DB="$CS" ASPNETCORE_URLS="http://127.0.0.1:$PORT" exec dotnet "$DLL" >"$WORK/app.log" 2>&1) &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf -o /dev/null -H "Authorization: Bearer benchtoken" "http://127.0.0.1:$PORT/tiles/wells/13/6795/3176.mvt" && break; sleep 0.5; done

( while kill -0 "$APP" 2>/dev/null; do echo "$(date +%s) $(awk '/VmRSS/{print $2}' /proc/$APP/status 2>/dev/null)"; sleep 15; done ) > "$WORK/rss.log" &
SAMPLER=$!
MC_LIVE=1 wrk -t1 -c10 -d"${D}s" --timeout 30s -s "$HERE/osmand.lua" "http://127.0.0.1:$PORT" > "$WORK/ingest.txt" &
INGEST=$!
wrk -t1 -c40 -d"${D}s" --timeout 30s --latency -s "$HERE/mixed-tiles.lua" "http://127.0.0.1:$PORT" > "$WORK/tiles.txt"
wait "$INGEST"
kill "$SAMPLER" 2>/dev/null || true

errors() { # wrk prints "Non-2xx or 3xx responses: N" and "Socket errors: connect N, read N, write N, timeout N" only when non-zero
  local f="$1" n=0
  n=$(( n + $(grep -oP 'Non-2xx or 3xx responses: \K\d+' "$f" || echo 0) ))
  for k in connect read write timeout; do n=$(( n + $(grep -oP "$k \K\d+" "$f" | head -1 || echo 0) )); done
  echo "$n"
}
tile_errors=$(errors "$WORK/tiles.txt"); ingest_errors=$(errors "$WORK/ingest.txt")
read -r mid last max < <(awk '{r[NR]=$2} END {n=NR; a=int(n/3); b=int(2*n/3); for(i=a+1;i<=b;i++){s1+=r[i]}; for(i=b+1;i<=n;i++){s2+=r[i]; if(r[i]>m)m=r[i]}; printf "%d %d %d\n", s1/(b-a), s2/(n-b), m}' "$WORK/rss.log")
{
  echo "# Soak $(date -u +%Y-%m-%dT%H:%MZ): ${D}s, 40 tile connections + 10 ingest connections, one server ($(nproc) cores)"
  echo "## tiles";  grep -E "Requests/sec|requests in|  50%|  99%|Non-2xx|Socket errors" "$WORK/tiles.txt"
  echo "## ingest"; grep -E "Requests/sec|requests in|Non-2xx|Socket errors" "$WORK/ingest.txt"
  echo "## server RSS (kB) every 15 s"; awk '{printf "%s ", $2} END {print ""}' "$WORK/rss.log"
  echo "mean RSS middle third ${mid} kB, last third ${last} kB, max ${max} kB"
  echo "errors: tiles ${tile_errors}, ingest ${ingest_errors}"
} | tee "$OUT"
[ "$tile_errors" -eq 0 ] && [ "$ingest_errors" -eq 0 ] && [ "$last" -le $(( mid * 115 / 100 )) ] && echo "SOAK PASSED" | tee -a "$OUT" || { echo "SOAK FAILED" | tee -a "$OUT"; exit 1; }
