#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The search benchmark at full size, end to end:
#   1. okno-central generates the demo dataset with N accounts (default 1,000,000),
#   2. okno-cli downloads it into a fresh replica over 127.0.0.1 (timed),
#   3. bench-search runs the counter's query mix against that replica.
# Prints the figures; asserts nothing about time.
#
#   tests/bench/search-1m.sh [BUILD_DIR] [N_ACCOUNTS]
set -euo pipefail
build=${1:-build}
accounts=${2:-1000000}
work=${OKNO_BENCH_DIR:-$(mktemp -d -t okno-bench-XXXXXX)}
central_db=$work/central-$accounts.db
replica=$work/replica.db

if [ ! -s "$central_db" ]; then
  echo "== generating $accounts accounts (once; kept in $work)"
  /usr/bin/time -f "generation: %e s, peak RSS %M KiB" \
    "$build/src/central/okno-central" --db "$central_db" --generate-only --accounts "$accounts" --seed 1
fi
ls -l "$central_db" | awk '{printf "central database: %.1f MiB\n", $5/1048576}'

. "$(dirname "$0")/central.sh"
start_central "$central_db" "$work/central.out"
echo "== server at $url"

rm -f "$replica" "$replica-wal" "$replica-shm"
echo "== first download into a fresh replica"
OKNO_PASSWORD=clerk /usr/bin/time -f "download: %e s wall, peak RSS %M KiB" \
  "$build/src/cli/okno-cli" --replica "$replica" download --server "$url" --login clerk
du -b "$replica"* | awk '{s+=$1} END {printf "replica on disk: %.1f MiB\n", s/1048576}'

echo "== search"
"$build/tests/bench/bench-search" "$replica" 6000
