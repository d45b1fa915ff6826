#!/usr/bin/env bash
# MapControl's two commands.
#   ./build.sh run    install what is missing, start a private PostGIS, migrate, seed, serve :5080
#   ./build.sh test   the same set-up against a throw-away test cluster, then every test
# MAPCONTROL_DB=<connection string> uses that PostGIS instead of starting a private cluster.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$ROOT/.mapcontrol"
PGBIN="/usr/lib/postgresql/15/bin"
RUN_PORT="${MAPCONTROL_PG_PORT:-55432}"
TEST_PORT="${MAPCONTROL_TEST_PG_PORT:-55433}"
APT_PACKAGES=(postgresql-15 postgresql-15-postgis-3 postgresql-client-15 gdal-bin chromium fonts-noto-cjk nodejs npm)
WEB="$ROOT/src/MapControl.Web"
CLI=(dotnet "$ROOT/src/MapControl.Cli/bin/Release/net10.0/mapcontrol.dll")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1;34m[mapcontrol]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[mapcontrol] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The PostgreSQL server refuses to run as root: as root it runs as the postgres user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

ensure_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # node and npm may come from elsewhere than Debian (e.g. nodesource); only the commands matter.
  if command -v node >/dev/null && command -v npm >/dev/null; then
    local filtered=()
    for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
    missing=("${filtered[@]+"${filtered[@]}"}")
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_npm_assets() {
  if [ ! -d "$WEB/node_modules/leaflet" ] || [ "$WEB/package-lock.json" -nt "$WEB/node_modules/.package-lock.json" ]; then
    log "installing npm assets (leaflet and plugins)"
    (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  local lib="$WEB/wwwroot/lib"
  mkdir -p "$lib"
  for pkg in leaflet leaflet.heat leaflet.vectorgrid leaflet.markercluster @geoman-io/leaflet-geoman-free; do
    if [ -d "$WEB/node_modules/$pkg/dist" ]; then
      mkdir -p "$lib/$pkg" && cp -r "$WEB/node_modules/$pkg/dist/." "$lib/$pkg/"
    fi
  done
}

build_solution() {
  log "restoring and building (Release)"
  dotnet build "$ROOT/MapControl.sln" -c Release -nologo -v quiet -clp:ErrorsOnly
}

# ensure_cluster DIR PORT [fast] — initialise once, then start if not running; prints a connection string.
ensure_cluster() {
  local dir="$1" port="$2" fast="${3:-}"
  local data="$dir/data" sock="$dir/run" pwfile="$dir/password"
  mkdir -p "$dir" "$sock"
  if [ ! -f "$pwfile" ]; then
    head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$pwfile"
  fi
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising private PostGIS cluster in ${dir#$ROOT/}"
    as_pg "$PGBIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 --pwfile="$pwfile" >/dev/null
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    local opts="-p $port -k $sock -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=512MB -c work_mem=64MB"
    [ -n "$fast" ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    as_pg "$PGBIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -o "$opts" start >/dev/null \
      || die "PostgreSQL did not start; see ${dir#$ROOT/}/postgres.log"
  fi
}

stop_cluster() {
  local dir="$1"
  if [ -f "$dir/data/PG_VERSION" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  fi
}

# create_database DIR PORT NAME [fresh] — with the postgis extension.
create_database() {
  local dir="$1" port="$2" name="$3" fresh="${4:-}"
  local psql=("$PGBIN/psql" -h "$dir/run" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt)
  [ -n "$fresh" ] && as_pg "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
  if [ -z "$(as_pg "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='$name'")" ]; then
    as_pg "${psql[@]}" -d postgres -c "CREATE DATABASE \"$name\"" >/dev/null
  fi
  as_pg "${psql[@]}" -d "$name" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
}

connection_string() {
  local dir="$1" port="$2" name="$3"
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$(cat "$dir/password");Database=$name"
}

cmd_run() {
  ensure_packages
  ensure_npm_assets
  build_solution
  local cluster="$STATE/pg"
  if [ -z "${MAPCONTROL_DB:-}" ]; then
    ensure_cluster "$cluster" "$RUN_PORT"
    create_database "$cluster" "$RUN_PORT" mapcontrol
    export MAPCONTROL_DB="$(connection_string "$cluster" "$RUN_PORT" mapcontrol)"
    trap 'log "stopping"; [ -n "${APP_PID:-}" ] && kill -TERM "$APP_PID" 2>/dev/null; wait "${APP_PID:-}" 2>/dev/null; stop_cluster "$cluster"; exit 0' INT TERM
  else
    trap 'log "stopping"; [ -n "${APP_PID:-}" ] && kill -TERM "$APP_PID" 2>/dev/null; wait "${APP_PID:-}" 2>/dev/null; exit 0' INT TERM
  fi
  "${CLI[@]}" migrate
  "${CLI[@]}" seed --if-empty
  log "MapControl on http://127.0.0.1:5080 — demo users commander / analyst / planner / admin, password mapcontrol-demo"
  (cd "$WEB" && ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}" \
      exec dotnet "$WEB/bin/Release/net10.0/MapControl.Web.dll") &
  APP_PID=$!
  wait "$APP_PID"
}

cmd_test() {
  ensure_packages
  ensure_npm_assets
  build_solution
  TEST_CLUSTER="$STATE/pg-test"
  local cluster="$TEST_CLUSTER" results="$STATE/test-results"
  if [ -z "${MAPCONTROL_DB:-}" ]; then
    ensure_cluster "$cluster" "$TEST_PORT" fast
    # Expanded now: $cluster is local and gone when the EXIT trap runs (set -u would make the trap fail).
    trap "stop_cluster '$cluster'" EXIT
    create_database "$cluster" "$TEST_PORT" mapcontrol_test fresh
    export MAPCONTROL_TEST_DB="$(connection_string "$cluster" "$TEST_PORT" mapcontrol_test)"
    # Tests that need their own databases create them with this admin connection.
    export MAPCONTROL_TEST_ADMIN_DB="$(connection_string "$cluster" "$TEST_PORT" postgres)"
  else
    export MAPCONTROL_TEST_DB="$MAPCONTROL_DB"
  fi
  rm -rf "$results" && mkdir -p "$results"
  log "running every test of the solution"
  local rc=0 project name
  # One project at a time, each with its own results folder: the database tests of different projects must not
  # race each other, and every TRX file is kept.
  for project in "$ROOT"/tests/*/*.csproj; do
    name="$(basename "$project" .csproj)"
    log "testing $name"
    dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results/$name" || rc=1
  done
  "$ROOT/.ci/count-trx.sh" "$results" || rc=1
  return $rc
}

case "${1:-}" in
  run) cmd_run ;;
  test) cmd_test; exit $? ;;
  *) echo "usage: ./build.sh run | test" >&2; exit 2 ;;
esac
