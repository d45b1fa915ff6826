#!/usr/bin/env bash
# Benchmarks of MapControl's analyses against their peers, side by side in one run.
#   bench/run.sh            full sizes (200 × 2,000-vertex jurisdictions, 10⁶ incidents, 10⁶ GPS fixes), ~10–15 min
#   bench/run.sh --quick    smaller sizes, a couple of minutes
#   bench/run.sh --patrol-scale   only the patrol-coverage scale case (200 jurisdictions × ~2,000 vertices, 10⁵ and 10⁶
#                           fixes in 1,000-fix tracks, r = 300 m): in process, the CLI as a whole process, PostGIS
#                           simplified SQL, per-department ratio check → bench/results/patrol-scale.md
# Builds Release, starts a private PostGIS cluster on port 55481 (bench/.pg, fsync off — benchmark data only), installs
# the turf.js peer into bench/turf (npm ci, offline lock), runs the Stopwatch harness (MapControl, PostGIS, turf) and
# writes the table to bench/results/latest.md. BENCH_PG_PORT overrides the port.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
PGBIN="/usr/lib/postgresql/15/bin"
PORT="${BENCH_PG_PORT:-55481}"
CLUSTER="$BENCH/.pg"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1;34m[bench]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[bench] error:\033[0m %s\n' "$*" >&2; exit 1; }
# The PostgreSQL server refuses to run as root: as root it runs as the postgres user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

ARGS=()
SCALE_ONLY=""
for a in "$@"; do
  case "$a" in
    --quick) ARGS+=(--quick) ;;
    --patrol-scale) SCALE_ONLY=1 ;;
    *) die "unknown argument $a (--quick or --patrol-scale)" ;;
  esac
done

[ -x "$PGBIN/pg_ctl" ] || die "PostgreSQL 15 not found in $PGBIN (apt-get install postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting)"
command -v node >/dev/null || die "node not found"

log "building (Release)"
dotnet build "$BENCH/MapControl.Benchmarks/MapControl.Benchmarks.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
# The CLI as users run it (build.sh's publish_cli), into bench/.cli/new.
"$ROOT/build.sh" publish-cli "$BENCH/.cli/new"
CLI_BIN="$BENCH/.cli/new/mapcontrol"

if [ ! -d "$BENCH/turf/node_modules/@turf/boolean-point-in-polygon" ]; then
  log "installing turf.js (npm ci)"
  (cd "$BENCH/turf" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

mkdir -p "$CLUSTER/run"
[ -f "$CLUSTER/password" ] || head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$CLUSTER/password"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$CLUSTER"; chmod 700 "$CLUSTER"; fi
if [ ! -f "$CLUSTER/data/PG_VERSION" ]; then
  log "initialising the benchmark cluster in bench/.pg"
  as_pg "$PGBIN/initdb" -D "$CLUSTER/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --pwfile="$CLUSTER/password" >/dev/null
fi
STARTED=""
if ! as_pg "$PGBIN/pg_ctl" -D "$CLUSTER/data" status >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/postgres.log" -w -o \
    "-p $PORT -k $CLUSTER/run -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=256MB -c maintenance_work_mem=512MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || die "PostgreSQL did not start; see bench/.pg/postgres.log"
  STARTED=1
fi
stop() { [ -n "$STARTED" ] && as_pg "$PGBIN/pg_ctl" -D "$CLUSTER/data" -m fast stop >/dev/null 2>&1 || true; }
trap stop EXIT

PSQL=("$PGBIN/psql" -h "$CLUSTER/run" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
if [ -z "$(as_pg "${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='bench'")" ]; then
  as_pg "${PSQL[@]}" -d postgres -c "CREATE DATABASE bench" >/dev/null
fi
as_pg "${PSQL[@]}" -d bench -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null

PG_CS="Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$(cat "$CLUSTER/password");Database=bench;Command Timeout=0"
HARNESS="$BENCH/MapControl.Benchmarks/bin/Release/net10.0/MapControl.Benchmarks.dll"
mkdir -p "$BENCH/results"
if [ -n "$SCALE_ONLY" ]; then
  log "patrol coverage at scale (MapControl in process, CLI whole process, PostGIS)"
  # BENCH_CLI_BEFORE=path/to/previous/mapcontrol (or an older build's mapcontrol.dll) also times a previous build, each run just before one of the new CLI's.
  dotnet "$HARNESS" patrol-scale-bench --pg "$PG_CS" --cli "$CLI_BIN" ${BENCH_CLI_BEFORE:+--cli-before "$BENCH_CLI_BEFORE"} \
    --work "$CLUSTER/work" --out "$BENCH/results/patrol-scale.md"
  log "written bench/results/patrol-scale.md"
  exit 0
fi

log "running the harness (MapControl, PostGIS, turf.js)"
mkdir -p "$BENCH/results"
dotnet "$BENCH/MapControl.Benchmarks/bin/Release/net10.0/MapControl.Benchmarks.dll" "${ARGS[@]+"${ARGS[@]}"}" \
  --pg "Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$(cat "$CLUSTER/password");Database=bench;Command Timeout=0" \
  --turf "$BENCH/turf" --work "$CLUSTER/work" --out "$BENCH/results/latest.md"
log "written bench/results/latest.md"
log "patrol coverage at scale (MapControl in process, CLI whole process, PostGIS)"
dotnet "$HARNESS" patrol-scale-bench --pg "$PG_CS" --cli "$CLI_BIN" --work "$CLUSTER/work" --out "$BENCH/results/patrol-scale.md"
log "written bench/results/patrol-scale.md"
