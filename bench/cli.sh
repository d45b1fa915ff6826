#!/usr/bin/env bash
# Whole-process CLI benchmark (issue 13): what a user waits for when running `mapcontrol` once, side by side with the
# baseline CLI of another commit in the same run.
#   bench/cli.sh [--quick] [--baseline COMMIT] [--runs N] [--no-publish] [--only files|import]
# Publishes the CLI as build.sh does (self-contained, ReadyToRun composite) into bench/.cli/new, and the baseline commit's CLI (default: the merge
# base with main) the way that commit's build.sh ran it (plain Release build) into bench/.cli/base; generates the inputs
# once with the harness's fixed seeds (bench/.cli/data: 10⁶ incidents as an English CSV and as a Chinese XLSX ledger,
# 200 × ~2,000-vertex jurisdictions); runs each command N times (default 5) alternating new and baseline, and writes
# the medians of wall, CPU time and max RSS with the ratios (against the baseline and the issue's figures) to
# bench/results/cli-<UTC date and time>.md. The answers of both are compared. --no-publish reuses bench/.cli/new.
# The import (`mapcontrol import --layer incidents` of the same 10⁶ incidents as a full English CSV and a Chinese XLSX ledger,
# bench/.cli/data/import.*) runs against a database of its own on the server of $MAPCONTROL_TEST_ADMIN_DB (an Npgsql
# connection string whose role may CREATE DATABASE), created, migrated, given the 200 jurisdictions and dropped by this
# script; without that variable the import is left out. --only files|import runs one half.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
WORK="$BENCH/.cli"
RUNS=5
QUICK=""
BASE=""
NOPUBLISH=""
ONLY=""
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log() { printf '\033[1;34m[cli-bench]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[cli-bench] error:\033[0m %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=--quick ;;
    --no-publish) NOPUBLISH=1 ;;
    --baseline) BASE="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    *) die "unknown argument $1 (--quick, --baseline COMMIT, --runs N, --no-publish, --only files|import)" ;;
  esac
  shift
done
[ -n "$BASE" ] || BASE="$(git -C "$ROOT" merge-base HEAD main 2>/dev/null || git -C "$ROOT" rev-parse HEAD~1)"
RID="$(dotnet --info 2>/dev/null | awk '/^ *RID:/ {print $2; exit}')"
mkdir -p "$WORK" "$BENCH/results"

# (An older framework-dependent publish there has a `mapcontrol` too: the composite image tells this one.)
[ -n "$NOPUBLISH" ] && [ -f "$WORK/new/mapcontrol.r2r.dll" ] || {
log "publishing this tree's CLI (build.sh publish-cli: self-contained, ReadyToRun composite, $RID)"
"$ROOT/build.sh" publish-cli "$WORK/new"
}

if [ "$ONLY" != import ] && [ ! -f "$WORK/base-$BASE/mapcontrol.dll" ]; then
  log "building the baseline CLI of ${BASE:0:10} (Release build, as its build.sh ran it)"
  rm -rf "$WORK/src-base" && mkdir -p "$WORK/src-base"
  git -C "$ROOT" archive "$BASE" | tar -x -C "$WORK/src-base"
  dotnet build "$WORK/src-base/src/MapControl.Cli/MapControl.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly -o "$WORK/base-$BASE"
fi

DATA="$WORK/data${QUICK:+-quick}"
if [ ! -f "$DATA/jurisdictions.geojson" ]; then
  log "generating the inputs (fixed seeds) into ${DATA#$ROOT/}"
  dotnet build "$BENCH/MapControl.Benchmarks/MapControl.Benchmarks.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
  dotnet "$BENCH/MapControl.Benchmarks/bin/Release/net10.0/MapControl.Benchmarks.dll" cli-files "$DATA" $QUICK
fi

# time_run CLI ARGS… — one whole process under /usr/bin/time; prints "wall cpu rss" (s, s, MB), keeps stderr in $WORK/last.err.
# CLI is the published executable, or a .dll (the baseline's plain build), run under dotnet.
time_run() {
  local cli=("$1"); shift
  [[ "${cli[0]}" == *.dll ]] && cli=(dotnet "${cli[0]}")
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/cpu" "${cli[@]}" "$@" > /dev/null 2> "$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
  awk '{ printf "%.3f %.3f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$WORK/cpu"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

OUT="$BENCH/results/cli-$(date -u +%Y-%m-%d-%H%M).md"
LOAD0="$(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC; $(nproc) cores; load average at start $LOAD0 ($(uptime | sed 's/^ *//')); $RUNS runs each, alternating, medians of /usr/bin/time's wall, user + system CPU and max RSS."
  echo "New: this tree's CLI as build.sh publishes it (bench/.cli/new); baseline: ${BASE:0:10}, Release build (bench/.cli/base-…)."
  echo "Inputs: $(du -h "$DATA/incidents.csv" | cut -f1) CSV and $(du -h "$DATA/incidents.xlsx" | cut -f1) XLSX of $(($(wc -l < "$DATA/incidents.csv") - 1)) incidents; $(du -h "$DATA/jurisdictions.geojson" | cut -f1) GeoJSON of 200 jurisdictions."
  echo
  echo "| command | new wall | new CPU | new max RSS | baseline wall | baseline CPU | baseline ÷ new (wall) | issue's figure ÷ new (wall) | target | met |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
} > "$OUT"

# bench NAME TARGET_SECONDS ISSUE_SECONDS(or -) BASELINE(yes|no) ARGS…
bench() {
  local name="$1" target="$2" issue="$3" withbase="$4"; shift 4
  local nw=() nc=() nr=() bw=() bc=() r
  for ((i = 0; i < RUNS; i++)); do
    read -r w c m < <(time_run "$WORK/new/mapcontrol" "$@" --out "$WORK/new.geojson"); nw+=("$w"); nc+=("$c"); nr+=("$m")
    if [ "$withbase" = yes ]; then
      read -r w c m < <(time_run "$WORK/base-$BASE/mapcontrol.dll" "$@" --out "$WORK/base.geojson"); bw+=("$w"); bc+=("$c")
    fi
  done
  local mnw mnc mnr mbw="–" mbc="–" ratio="–" iratio="–" met
  mnw=$(printf '%s\n' "${nw[@]}" | median); mnc=$(printf '%s\n' "${nc[@]}" | median); mnr=$(printf '%s\n' "${nr[@]}" | median)
  [ "$issue" = - ] || iratio=$(awk -v a="$issue" -v b="$mnw" 'BEGIN { printf "%.1f×", a / b }')
  if [ "$withbase" = yes ]; then
    mbw=$(printf '%s\n' "${bw[@]}" | median); mbc=$(printf '%s\n' "${bc[@]}" | median)
    ratio=$(awk -v a="$mbw" -v b="$mnw" 'BEGIN { printf "%.1f×", a / b }')
    if ! cmp -s <(python3 -c "import json,sys;print([f['properties'] for f in json.load(open(sys.argv[1]))['features']])" "$WORK/new.geojson") \
                <(python3 -c "import json,sys;print([f['properties'] for f in json.load(open(sys.argv[1]))['features']])" "$WORK/base.geojson"); then
      ratio="$ratio (answers differ!)"
    fi
  fi
  met=$(awk -v a="$mnw" -v t="$target" 'BEGIN { print (a <= t ? "yes" : "no") }')
  log "$name: new ${mnw} s (CPU ${mnc} s), baseline ${mbw} s (CPU ${mbc} s) — runs ${nw[*]}"
  echo "| $name | ${mnw} s | ${mnc} s | ${mnr} MB | ${mbw} s | ${mbc} s | $ratio | $iratio | ≤ $target s | $met |" >> "$OUT"
}

XLSX_SAME=""
if [ "$ONLY" != import ]; then
bench "hotspots, CSV (id,lon,lat,occurred_at,type)" 1.5 6.8 yes hotspots --incidents "$DATA/incidents.csv" --cell-m 500
cp "$WORK/new.geojson" "$WORK/csv-answer.geojson"
bench "hotspots, XLSX ledger (Chinese headers, date cells, Chinese labels)" 4 - no hotspots --incidents "$DATA/incidents.xlsx" --cell-m 500
if cmp -s <(python3 -c "import json,sys;print([f['properties'] for f in json.load(open(sys.argv[1]))['features']])" "$WORK/new.geojson") \
          <(python3 -c "import json,sys;print([f['properties'] for f in json.load(open(sys.argv[1]))['features']])" "$WORK/csv-answer.geojson"); then
  XLSX_SAME="the XLSX ledger gave the same cells and counts as the CSV; "
else
  XLSX_SAME="**the XLSX ledger gave other cells than the CSV**; "
fi
bench "coverage-check, 200 × ~2,000 vertices" 1.0 3.2 yes coverage-check --zones "$DATA/zones.geojson" --jurisdictions "$DATA/jurisdictions.geojson"
fi

# ---- import of 10⁶ incidents into PostGIS (binary COPY), in a database of its own ------------------------------------
IMPORT_NOTE=""
if [ "$ONLY" != files ] && [ -n "${MAPCONTROL_TEST_ADMIN_DB:-}" ]; then
  if [ ! -f "$DATA/import.xlsx" ]; then
    log "generating the import ledgers (fixed seeds) into ${DATA#$ROOT/}"
    dotnet build "$BENCH/MapControl.Benchmarks/MapControl.Benchmarks.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
    dotnet "$BENCH/MapControl.Benchmarks/bin/Release/net10.0/MapControl.Benchmarks.dll" cli-import-files "$DATA" $QUICK
  fi
  # psql takes the admin connection from the Npgsql connection string's parts.
  pgpart() { printf '%s' "$MAPCONTROL_TEST_ADMIN_DB" | tr ';' '\n' | awk -F= -v k="$1" 'tolower($1) == tolower(k) { sub(/^[^=]*=/, ""); print; exit }'; }
  export PGHOST="$(pgpart Host)" PGPORT="$(pgpart Port)" PGUSER="$(pgpart Username)" PGPASSWORD="$(pgpart Password)"
  IMPORT_DB="mc_cli_bench_$$"
  IMPORT_CONN="Host=$PGHOST;Port=${PGPORT:-5432};Username=$PGUSER;Password=$PGPASSWORD;Database=$IMPORT_DB"
  psql -q -d postgres -c "CREATE DATABASE $IMPORT_DB" >/dev/null
  trap 'psql -q -d postgres -c "DROP DATABASE IF EXISTS $IMPORT_DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
  sql() { psql -qAt -d "$IMPORT_DB" -c "$1"; }
  "$WORK/new/mapcontrol" migrate --db "$IMPORT_CONN" > /dev/null
  sql "INSERT INTO department (code, name, colour) SELECT 'D' || lpad(g::text, 3, '0'), 'Department ' || g, '#888888' FROM generate_series(0, 199) g"
  "$WORK/new/mapcontrol" import --db "$IMPORT_CONN" --layer oil-zones --file "$DATA/zones.geojson" --map name=code > /dev/null
  "$WORK/new/mapcontrol" import --db "$IMPORT_CONN" --layer jurisdictions --file "$DATA/jurisdictions.geojson" --map department_code=department > /dev/null
  # What the stored rows are, to compare the two files' imports: count and a digest of every row with its attribution.
  digest() { sql "SELECT count(*) || ' rows, ' || count(department_code) || ' attributed, ' || count(DISTINCT kind) || ' kinds, digest ' || left(md5(string_agg(concat_ws('|', code, kind, occurred_at, discovered_at, discovered_by, oil_recovered_t, status, department_code, oil_zone_code, ST_AsText(geom)), ',' ORDER BY code)), 12) FROM incident"; }
  # import_bench NAME FILE EMPTY(yes: truncate before each run; no: re-import over the stored rows)
  import_bench() {
    local name="$1" file="$2" empty="$3" nw=() nc=() nr=() w c m
    for ((i = 0; i < RUNS; i++)); do
      [ "$empty" = yes ] && sql "TRUNCATE incident"
      read -r w c m < <(time_run "$WORK/new/mapcontrol" import --db "$IMPORT_CONN" --layer incidents --file "$file"); nw+=("$w"); nc+=("$c"); nr+=("$m")
    done
    local mnw mnc mnr met
    mnw=$(printf '%s\n' "${nw[@]}" | median); mnc=$(printf '%s\n' "${nc[@]}" | median); mnr=$(printf '%s\n' "${nr[@]}" | median)
    met=$(awk -v a="$mnw" 'BEGIN { print (a <= 15 ? "yes" : "no") }')
    log "$name: ${mnw} s (CPU ${mnc} s) — runs ${nw[*]}"
    echo "| $name | ${mnw} s | ${mnc} s | ${mnr} MB | – | – | – | – | ≤ 15 s | $met |" >> "$OUT"
  }
  import_bench "import, CSV (English, 9 columns) into an empty incident table" "$DATA/import.csv" yes
  CSV_DIGEST="$(digest)"
  import_bench "import, XLSX ledger (Chinese headers and labels, date cells) into an empty incident table" "$DATA/import.xlsx" yes
  XLSX_DIGEST="$(digest)"
  import_bench "import, CSV again over the same 10⁶ stored cases (all replaced)" "$DATA/import.csv" no
  AGAIN_DIGEST="$(digest)"
  if [ "$CSV_DIGEST" = "$XLSX_DIGEST" ] && [ "$CSV_DIGEST" = "$AGAIN_DIGEST" ]; then
    IMPORT_NOTE="the CSV and XLSX imports stored the same rows ($CSV_DIGEST), and so did the re-import; "
  else
    IMPORT_NOTE="**the imports stored different rows**: CSV $CSV_DIGEST; XLSX $XLSX_DIGEST; re-import $AGAIN_DIGEST; "
  fi
  IMPORT_NOTE="${IMPORT_NOTE}imports ran into database $IMPORT_DB on $PGHOST:$PGPORT with 200 jurisdictions and one oil zone (attribution by the one rule), no baseline (the previous import wrote row by row); "
fi
echo >> "$OUT"
echo "Answers: ${XLSX_SAME}${IMPORT_NOTE}new and baseline answers are compared where both run (a difference is marked in the table)." >> "$OUT"
echo "Load average at end $(cut -d' ' -f1-3 /proc/loadavg). CPU = user + system time of the process (what the run costs on a busy machine)." >> "$OUT"
log "written ${OUT#$ROOT/}"
cat "$OUT"
