#!/usr/bin/env bash
# MapControl's two commands.
#   ./build.sh run    install what is missing, start a private PostGIS, migrate, seed, serve :5080
#   ./build.sh test   the same set-up against a throw-away test cluster, then every test
# (and a helper: ./build.sh publish-cli DIR — the CLI published as these two publish it, for the bench scripts)
# MAPCONTROL_DB=<connection string> uses that PostGIS instead of starting a private cluster. For `test` the tests still
# never touch that database: each test class creates (and drops) its own database on that server, so the role must be
# allowed to CREATE DATABASE; and the command refuses a MAPCONTROL_DB that holds data unless given --use-db-with-data
# (or MAPCONTROL_TEST_ALLOW_DB_WITH_DATA=1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$ROOT/.mapcontrol"
PGBIN="/usr/lib/postgresql/15/bin"
RUN_PORT="${MAPCONTROL_PG_PORT:-55432}"
TEST_PORT="${MAPCONTROL_TEST_PG_PORT:-55433}"
APT_PACKAGES=(postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting postgresql-client-15 gdal-bin chromium fonts-noto-cjk poppler-utils nodejs npm)
WEB="$ROOT/src/MapControl.Web"
# The CLI as users run it: published self-contained and precompiled with its framework (see publish_cli).
CLI=("$STATE/cli/mapcontrol")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1;34m[mapcontrol]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[mapcontrol] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The PostgreSQL server refuses to run as root: as root it runs as the postgres user.
# As root from /: the postgres user may not be able to enter the current folder (paths given are absolute).
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# The folder of the private clusters. PostgreSQL refuses to run as root, so as root the server runs as `postgres`, which
# must be able to reach the cluster's folder. A clone in a home folder that others cannot enter (Debian's /root is 0700)
# would need traverse rights granted on that home; instead the clusters of such a clone live under
# /var/lib/mapcontrol/<hash of the clone's path> (owned by postgres, 0700), and .mapcontrol/clusters says where.
cluster_root() {
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    local dir="/var/lib/mapcontrol/$(printf '%s' "$ROOT" | sha256sum | cut -c1-16)"
    mkdir -p "$dir" "$STATE" && chmod 755 /var/lib/mapcontrol
    echo "$dir" > "$STATE/clusters"
    echo "$dir"
  else
    echo "$STATE"
  fi
}

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
  publish_cli
}

# publish_cli [DIR] — the CLI as users run it, into DIR (default .mapcontrol/cli; the command is DIR/mapcontrol), for this
# machine's runtime identifier: self-contained, ReadyToRun composite (the CLI project's settings for a runtime). The bench
# scripts publish through here (`./build.sh publish-cli DIR`).
# The command DIR/mapcontrol is a launcher of the published program (DIR/mapcontrol-host): the .NET runtime takes the
# garbage collector's gen-0 budget only from the environment (DOTNET_GCgen0size, hexadecimal), and a one-shot analysis
# keeps most of what it allocates; with a fixed 16 MB per heap the collector reuses memory it has already touched instead
# of faulting in fresh pages (docs/PERFORMANCE.md, "The fixed part at 10⁵, third pass"). A value set in the environment is kept.
publish_cli() {
  local rid out="${1:-$STATE/cli}"
  rid="$(dotnet --info 2>/dev/null | awk '/^ *RID:/ {print $2; exit}')"
  dotnet publish "$ROOT/src/MapControl.Cli/MapControl.Cli.csproj" -c Release -r "${rid:-linux-x64}" -o "$out" -nologo -v quiet -clp:ErrorsOnly
  # The apphost finds mapcontrol.dll by the name built into it, whatever it is called; a launcher left by an earlier
  # publish (when publish wrote no new apphost) is not moved over the program.
  if [ "$(head -c 4 "$out/mapcontrol" | tail -c 3)" = "ELF" ]; then mv -f "$out/mapcontrol" "$out/mapcontrol-host"; fi
  [ -x "$out/mapcontrol-host" ] || die "publish_cli: no program in $out"
  cat > "$out/mapcontrol" <<'LAUNCHER'
#!/bin/sh
# mapcontrol — the MapControl CLI, published by ./build.sh (the program is mapcontrol-host beside this file).
# The .NET runtime takes the garbage collector's gen-0 budget only from the environment: 16 MB per heap (hexadecimal)
# lets a one-shot analysis reuse memory already touched instead of faulting in fresh pages (docs/PERFORMANCE.md).
# A value already set in the environment is kept.
: "${DOTNET_GCgen0size:=0x1000000}"
export DOTNET_GCgen0size
self=$(readlink -f -- "$0") || self=$0
exec "${self%/*}/mapcontrol-host" "$@"
LAUNCHER
  chmod +x "$out/mapcontrol"
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
  # pgRouting (road distance of dispatch, migration 0011) is not a trusted extension: created here as the superuser.
  as_pg "${psql[@]}" -d "$name" -c "CREATE EXTENSION IF NOT EXISTS pgrouting" >/dev/null
}

connection_string() {
  local dir="$1" port="$2" name="$3"
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$(cat "$dir/password");Database=$name"
}

cmd_run() {
  ensure_packages
  ensure_npm_assets
  build_solution
  local cluster="$(cluster_root)/pg"
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

# npgsql_to_conninfo CONNECTION_STRING — the libpq conninfo (for psql) of an Npgsql connection string: Host/Server,
# Port, Username/User ID/User, Password, Database/DB, SSL Mode; other keys are ignored; values may not hold ';'.
npgsql_to_conninfo() {
  local part key value out="" parts
  IFS=';' read -ra parts <<< "$1"
  for part in "${parts[@]}"; do
    [[ "$part" == *=* ]] || continue
    key="$(printf '%s' "${part%%=*}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
    value="$(printf '%s' "${part#*=}" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/")"
    case "$key" in
      host|server) key=host ;;
      port) ;;
      username|userid|user|username) key=user ;;
      password|pwd|psw) key=password ;;
      database|db) key=dbname ;;
      sslmode) key=sslmode; value="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')" ;;
      *) continue ;;
    esac
    value="${value//\\/\\\\}"; value="${value//\'/\\\'}"
    out+="$key='$value' "
  done
  printf '%s' "$out"
}

# npgsql_with_database CONNECTION_STRING NAME — the same connection string on another database.
npgsql_with_database() {
  local part key out="" parts
  IFS=';' read -ra parts <<< "$1"
  for part in "${parts[@]}"; do
    key="$(printf '%s' "${part%%=*}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
    [[ -z "$key" || "$key" == database || "$key" == db ]] && continue
    out+="$part;"
  done
  printf '%sDatabase=%s' "$out" "$2"
}

# What MAPCONTROL_DB holds beyond the server's catalogs and its extensions (PostGIS's spatial_ref_sys, topology, …):
# one line "objects|tables with rows|an example".
readonly DB_CONTENT_SQL="
WITH own AS (
  SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                        WHEN 'f' THEN 'foreign table' WHEN 'c' THEN 'type' ELSE 'table' END || ' ' || format('%I.%I', n.nspname, c.relname) AS what,
         CASE WHEN c.relkind IN ('r', 'p', 'm') AND has_table_privilege(c.oid, 'SELECT')
              THEN (xpath('/row/x/text()', query_to_xml(format('SELECT EXISTS (SELECT 1 FROM %I.%I) AS x', n.nspname, c.relname), false, true, '')))[1]::text = 'true'
              ELSE false END AS has_rows
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i', 'a'))
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  UNION ALL
  SELECT 'function ' || format('%I.%I', n.nspname, p.proname), false
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  UNION ALL
  SELECT 'type ' || format('%I.%I', n.nspname, t.typname), false
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd', 'r', 'm')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype IN ('e', 'i'))
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  UNION ALL
  SELECT 'schema ' || format('%I', n.nspname), false
  FROM pg_namespace n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public') AND n.nspname NOT LIKE 'pg\_%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
)
SELECT count(*), count(*) FILTER (WHERE has_rows),
       coalesce((SELECT what FROM own WHERE has_rows ORDER BY what LIMIT 1), (SELECT what FROM own ORDER BY what LIMIT 1), '')
FROM own"

# May the role create the per-class databases and PostGIS in them? "super|createdb|postgis available|postgis trusted|pgrouting available".
readonly DB_ROLE_SQL="
SELECT r.rolsuper, r.rolcreatedb,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'),
       coalesce((SELECT bool_or(trusted) FROM pg_available_extension_versions WHERE name = 'postgis'), false),
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting')
FROM pg_roles r WHERE r.rolname = current_user"

# test_server_from_db ALLOW_DATA — checks MAPCONTROL_DB for `test` and exports MAPCONTROL_TEST_ADMIN_DB, the connection
# from which every test class creates its own database on that server. Dies (one line, exit 1) when MAPCONTROL_DB
# holds data and ALLOW_DATA is empty, or when its role may not create databases with PostGIS in them.
test_server_from_db() {
  local allow="$1" conninfo who dbname where out content role maintenance
  local psql=("$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt -F '|')
  conninfo="$(npgsql_to_conninfo "$MAPCONTROL_DB")"
  who="$(PGCONNECT_TIMEOUT=10 "${psql[@]}" "$conninfo" \
      -c "SELECT current_database(), coalesce(host(inet_server_addr()), 'socket') || ':' || current_setting('port'), current_user" 2>&1)" \
    || die "cannot connect to MAPCONTROL_DB: $(printf '%s' "$who" | head -1)"
  local server user
  IFS='|' read -r dbname server user <<< "$who"
  where="database $dbname on $server as $user"
  content="$("${psql[@]}" "$conninfo" -c "$DB_CONTENT_SQL" 2>&1)" \
    || die "cannot inspect MAPCONTROL_DB ($where): $(printf '%s' "$content" | head -1)"
  local objects rows example
  IFS='|' read -r objects rows example <<< "$content"
  if [ "$objects" -gt 0 ]; then
    if [ -z "$allow" ]; then
      die "MAPCONTROL_DB ($where) holds data ($objects objects besides the extensions', $rows tables with rows, e.g. $example): the tests will not run beside it; point MAPCONTROL_DB at an empty database, unset it for a throw-away cluster, or pass --use-db-with-data (MAPCONTROL_TEST_ALLOW_DB_WITH_DATA=1)"
    fi
    log "MAPCONTROL_DB ($where) holds data ($objects objects, $rows tables with rows); allowed: the tests create their own databases beside it and never touch it"
  fi
  role="$("${psql[@]}" "$conninfo" -c "$DB_ROLE_SQL" 2>&1)" || die "cannot read the role of MAPCONTROL_DB ($where): $(printf '%s' "$role" | head -1)"
  local super createdb postgis trusted pgrouting
  IFS='|' read -r super createdb postgis trusted pgrouting <<< "$role"
  [ "$super" = t ] || [ "$createdb" = t ] \
    || die "the role of MAPCONTROL_DB ($where) may not CREATE DATABASE, and every test class creates its own database: ALTER ROLE … CREATEDB, use another role, or unset MAPCONTROL_DB for a throw-away cluster"
  [ "$postgis" = t ] || die "PostGIS is not installed on the server of MAPCONTROL_DB ($where)"
  [ "$pgrouting" = t ] || die "pgRouting is not installed on the server of MAPCONTROL_DB ($where) (Debian: postgresql-15-pgrouting)"
  if [ "$super" != t ] && [ "$trusted" != t ]; then
    out="$("${psql[@]}" "$(npgsql_to_conninfo "$(npgsql_with_database "$MAPCONTROL_DB" template1)")" \
      -c "SELECT 1 FROM pg_extension WHERE extname = 'postgis'" 2>/dev/null || true)"
    [ "$out" = 1 ] || die "the role of MAPCONTROL_DB ($where) may not CREATE EXTENSION postgis in a new database (needs superuser, a trusted postgis, or postgis in template1)"
  fi
  # The maintenance database of the admin connection: postgres when the role may connect to it, else the given one
  # (CREATE and DROP DATABASE only; nothing in it is read or written).
  maintenance=postgres
  "${psql[@]}" "$(npgsql_to_conninfo "$(npgsql_with_database "$MAPCONTROL_DB" postgres)")" -c "SELECT 1" >/dev/null 2>&1 \
    || maintenance="$dbname"
  export MAPCONTROL_TEST_ADMIN_DB="$(npgsql_with_database "$MAPCONTROL_DB" "$maintenance")"
  log "tests create their own databases on the server of MAPCONTROL_DB ($where) and drop them afterwards"
}

cmd_test() {
  local allow="${MAPCONTROL_TEST_ALLOW_DB_WITH_DATA:-}"
  [ "$allow" = 0 ] && allow=""
  local arg
  for arg in "$@"; do
    case "$arg" in
      --use-db-with-data) allow=1 ;;
      *) die "unknown option for test: $arg (known: --use-db-with-data)" ;;
    esac
  done
  # The given database is checked first: a refusal costs no install and no build.
  if [ -n "${MAPCONTROL_DB:-}" ]; then
    [ -x "$PGBIN/psql" ] || ensure_packages
    test_server_from_db "$allow"
  fi
  ensure_packages
  ensure_npm_assets
  build_solution
  TEST_CLUSTER="$(cluster_root)/pg-test"
  local cluster="$TEST_CLUSTER" results="$STATE/test-results"
  if [ -z "${MAPCONTROL_DB:-}" ]; then
    ensure_cluster "$cluster" "$TEST_PORT" fast
    trap 'stop_cluster "$TEST_CLUSTER"' EXIT
    # Every test class creates its own database with this admin connection and drops it afterwards.
    export MAPCONTROL_TEST_ADMIN_DB="$(connection_string "$cluster" "$TEST_PORT" postgres)"
  fi
  # No test reads a database by these: only MAPCONTROL_TEST_ADMIN_DB, to create its own.
  unset MAPCONTROL_DB MAPCONTROL_TEST_DB
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

# Sourced (e.g. `source build.sh` to call one function by hand) it only defines the functions.
[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0

case "${1:-}" in
  run) cmd_run ;;
  test) shift; cmd_test "$@"; exit $? ;;
  publish-cli) [ -n "${2:-}" ] || { echo "usage: ./build.sh publish-cli DIR" >&2; exit 2; }; publish_cli "$2" ;;
  *) echo "usage: ./build.sh run | test [--use-db-with-data] | publish-cli DIR" >&2; exit 2 ;;
esac
