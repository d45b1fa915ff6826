#!/usr/bin/env bash
# Sums the outcomes of every TRX file under $1: prints "N skipped" (tests not run), then ends with "N passed, N failed".
set -euo pipefail
dir="${1:?results folder}"
passed=0; failed=0; skipped=0; files=0
while IFS= read -r -d '' trx; do
  files=$((files + 1))
  c=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$c" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  # vstest counts a skipped test in total but not in executed (its notExecuted counter stays 0)
  skipped=$((skipped + $(get total) - $(get executed)))
done < <(find "$dir" -name '*.trx' -print0)
if [ "$files" -eq 0 ]; then echo "0 passed, 1 failed (no test results were written)"; exit 1; fi
echo "$skipped skipped (not run here: see the test's skip reason in the TRX)"
echo "$passed passed, $failed failed"
