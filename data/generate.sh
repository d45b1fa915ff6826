#!/usr/bin/env bash
# Regenerates data/sample (seed 20261129, size 1) with `mapcontrol generate`; another folder as $1, extra options after it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/data/sample}"
shift || true
dotnet run --project "$ROOT/src/MapControl.Cli" -c Release -- generate --out "$OUT" "$@"
