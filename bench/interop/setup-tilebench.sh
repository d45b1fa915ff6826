#!/usr/bin/env bash
# Creates the tile benchmark database on a running private cluster: schema (mapcontrol migrate), the interoperability
# fixture at SCALE=200 / GPS_UNITS=30 (20,000 wells, 100,000 incidents, 61,200 GPS points) and a user "bench" whose
# API token is "benchtoken". Prints the connection string for tiles-bench.sh.
# Usage: bench/interop/setup-tilebench.sh <socket dir> <port> [db]   (as root: psql runs as the postgres user)
set -euo pipefail
SOCK="$1"; PORT="$2"; DB="${3:-tilebench}"
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$HERE/../.."
PSQL=(psql -h "$SOCK" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PASSWORD="$(cat "$SOCK/../password")"
CS="Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$PASSWORD;Database=$DB"
as_pg "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1
as_pg "${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
as_pg "${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION postgis" >/dev/null
CLI=(dotnet "$ROOT/src/MapControl.Cli/bin/Release/net10.0/mapcontrol.dll") # dotnet build -c Release first
MAPCONTROL_DB="$CS" "${CLI[@]}" migrate >/dev/null
sed -e 's/{{SCALE}}/200/g' -e 's/{{GPS_UNITS}}/30/g' "$ROOT/tests/MapControl.Web.Tests/Ogc/interop-fixture.sql" > /tmp/mc-tilebench-fixture.sql
chmod 644 /tmp/mc-tilebench-fixture.sql
as_pg "${PSQL[@]}" -d "$DB" -f /tmp/mc-tilebench-fixture.sql >/dev/null
echo "bench-password-1" | MAPCONTROL_DB="$CS" "${CLI[@]}" users add bench --role admin >/dev/null
as_pg "${PSQL[@]}" -d "$DB" -c "INSERT INTO api_token (user_name, token_hash, label, expires_at) VALUES ('bench', encode(sha256('benchtoken'::bytea), 'hex'), 'benchmark', now() + interval '30 days') ON CONFLICT (token_hash) DO NOTHING" >/dev/null
as_pg "${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE" >/dev/null
echo "$CS"
