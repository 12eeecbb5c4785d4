#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The first download at full size, against SQLite's own speed:
#   1. okno-central generates the demo dataset with N accounts (default 1,000,000),
#   2. bench-download downloads it into a fresh replica over 127.0.0.1, timing
#      each collection (accounts include building the search index),
#   3. the same rows, exported from the central database as CSV beforehand,
#      are imported by the sqlite3 shell into a fresh database with the
#      replica's schema, then indexed (the search index rebuilt), and timed,
#   4. the ratio of the two is printed, per collection and for the whole.
# Prints figures; asserts nothing about time.
#
#   tests/bench/download-1m.sh [BUILD_DIR] [N_ACCOUNTS]
set -euo pipefail
build=${1:-build}
accounts=${2:-1000000}
work=${OKNO_BENCH_DIR:-$(mktemp -d -t okno-bench-XXXXXX)}
central_db=$work/central-$accounts.db
replica=$work/download-replica.db
plain=$work/sqlite3-import.db
csv=$work/csv
now() { date +%s.%N; }

if [ ! -s "$central_db" ]; then
  echo "== generating $accounts accounts (once; kept in $work)"
  "$build/src/central/okno-central" --db "$central_db" --generate-only --accounts "$accounts" --seed 1
fi

. "$(dirname "$0")/central.sh"
start_central "$central_db" "$work/central.out"

echo "== okno: first download into a fresh replica ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
rm -f "$replica" "$replica-wal" "$replica-shm"
"$build/tests/bench/bench-download" "$url" "$replica" | tee "$work/okno.txt"
kill $central_pid
# It closes its database on the way out; the export below must not race it
# for the lock (at 1,000,000 accounts it did: "database is locked").
wait $central_pid || true
du -b "$replica"* | awk '{s+=$1} END {printf "  replica on disk: %.1f MiB\n", s/1048576}'

# The collections as the replica has them, with their columns in its order:
# what the server does not send (local_state) takes the value a download gives.
collections=$(awk '/^  [a-z_]+ +[0-9]+ rows / {print $1}' "$work/okno.txt")
mkdir -p "$csv"
echo "== exporting the same rows as CSV (not timed)"
for c in $collections; do
  cols=$(sqlite3 "$replica" "SELECT group_concat (CASE name WHEN 'local_state' THEN '''synced''' ELSE '\"' || name || '\"' END, ', ') FROM pragma_table_info ('$c')")
  [ -s "$csv/$c.csv" ] || sqlite3 -csv "$central_db" "SELECT $cols FROM \"$c\" ORDER BY 1" >"$csv/$c.csv"
done

echo "== sqlite3: .import of the same rows into the replica's schema, then the search index"
rm -f "$plain" "$plain-wal" "$plain-shm"
sqlite3 "$replica" .schema | grep -v '^CREATE TABLE sqlite_' >"$work/schema.sql"
sqlite3 "$plain" "PRAGMA journal_mode = WAL" >/dev/null
sqlite3 "$plain" <"$work/schema.sql"
: >"$work/sqlite3.txt"
for c in $collections; do
  t0=$(now)
  if [ "$c" = accounts ]; then
    # sqlite3's best: rows first with the search index held back, then built at once.
    sqlite3 "$plain" "INSERT INTO meta (key, value) VALUES ('search_index_deferred', '1')"
    sqlite3 "$plain" ".import --csv $csv/$c.csv $c"
    sqlite3 "$plain" "INSERT INTO accounts_fts (accounts_fts) VALUES ('rebuild');
                      DELETE FROM meta WHERE key = 'search_index_deferred'"
  else
    sqlite3 "$plain" ".import --csv $csv/$c.csv $c"
  fi
  t1=$(now)
  echo "$c $(echo "$t1 - $t0" | bc)" >>"$work/sqlite3.txt"
done

echo "== figures"
awk '
  FNR == NR { s[$1] = $2; next }
  /^  [a-z_]+ +[0-9]+ rows / { order[++n] = $1; rows[$1] = $2; o[$1] = $4; total_rows += $2; total_s += s[$1] }
  /^  whole snapshot / { whole = $5 }
  END {
    printf "  %-16s %10s %10s %12s %10s %12s %7s\n", "collection", "rows", "okno s", "okno rows/s",
           "sqlite3 s", "sqlite3 r/s", "ratio"
    for (i = 1; i <= n; i++) if (rows[c = order[i]] >= 10000)
      printf "  %-16s %10d %10.2f %12.0f %10.2f %12.0f %7.2f\n", c, rows[c], o[c],
             rows[c] / o[c], s[c], rows[c] / s[c], o[c] / s[c]
    printf "  %-16s %10d %10.2f %12.0f %10.2f %12.0f %7.2f\n", "whole snapshot", total_rows, whole,
           total_rows / whole, total_s, total_rows / total_s, whole / total_s
    print "  ratio = okno time / sqlite3 time (1.00: as fast as SQLite importing a local file)"
  }' "$work/sqlite3.txt" "$work/okno.txt"
sqlite3 "$plain" "SELECT count(*) FROM accounts_fts WHERE accounts_fts MATCH 'Иванов'" >/dev/null
