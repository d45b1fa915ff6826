#!/usr/bin/env bash
# Regenerates data/sample (seed 20261129, size 1) through the Generate-category test of MapControl.Data.Tests.
# Once the lead wires it, `dotnet run --project src/MapControl.Cli -- generate ...` does the same
# (GenerateCommand.Run(outDir, size, seed)).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/data/sample}"
mkdir -p "$OUT"
MAPCONTROL_SAMPLE_OUT="$OUT" dotnet test "$ROOT/tests/MapControl.Data.Tests" -c Release --filter "Category=Generate" --nologo -v q
ls -l "$OUT"
