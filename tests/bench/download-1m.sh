#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The first download at full size, against SQLite's own speed:
#   1. okno-central generates the demo dataset with N accounts (default 1,000,000),
#   2. bench-download downloads it into a fresh replica over 127.0.0.1, timing
#      each collection (accounts include building the search index),
#   3. the same rows, exported from the central database as CSV beforehand,
#      are imported by the sqlite3 shell into a fresh database with the
#      replica's schema, then indexed (the search index rebuilt), and timed,
#      as the download does it: each collection's secondary indexes are
#      built after its rows. The replica stores UUIDs as 16 bytes (schema
#      step 7) and the CSV has them as text, as the server sends them;
#      Debian 12's sqlite3 (3.40) has no unhex (), so the shell loads
#      build/tests/bench/okno-uuid-sqlite.so (okno_uuid_blob, the store's
#      own conversion), .imports each CSV into an in-memory temporary table
#      and copies it into the table with INSERT ... SELECT okno_uuid_blob ().
#      Both steps are timed: the download too parses, converts and inserts,
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
ext=$build/tests/bench/okno-uuid-sqlite
# FTS5 makes its own tables: the shell's .schema may list them before it.
sqlite3 "$replica" .schema | grep -v "^CREATE TABLE sqlite_\|^CREATE TABLE IF NOT EXISTS 'accounts_fts_" \
  >"$work/schema.sql"
# The tables first; each collection's indexes after its rows, as the download.
grep -v '^CREATE INDEX' "$work/schema.sql" >"$work/tables.sql"
sqlite3 "$plain" "PRAGMA journal_mode = WAL" >/dev/null
sqlite3 "$plain" <"$work/tables.sql"
: >"$work/sqlite3.txt"
for c in $collections; do
  # The columns in the replica's order; UUIDs (declared BLOB) converted.
  stage=$(sqlite3 "$replica" "SELECT group_concat ('\"' || name || '\"', ', ') FROM pragma_table_info ('$c')")
  values=$(sqlite3 "$replica" "SELECT group_concat (CASE type WHEN 'BLOB' THEN 'okno_uuid_blob (\"' || name || '\")' ELSE '\"' || name || '\"' END, ', ') FROM pragma_table_info ('$c')")
  indexes=$(grep "^CREATE INDEX [a-z_]* ON $c " "$work/schema.sql" || true)
  t0=$(now)
  if [ "$c" = accounts ]; then
    # sqlite3's best: rows first with the search index held back, then built at once.
    sqlite3 "$plain" "INSERT INTO meta (key, value) VALUES ('search_index_deferred', '1')"
  fi
  sqlite3 -cmd ".load $ext" "$plain" <<EOF
PRAGMA temp_store = MEMORY;
CREATE TEMP TABLE stage ($stage);
.import --csv --schema temp $csv/$c.csv stage
INSERT INTO "$c" ($stage) SELECT $values FROM temp.stage;
$indexes
EOF
  if [ "$c" = accounts ]; then
    sqlite3 "$plain" "INSERT INTO accounts_fts (accounts_fts) VALUES ('rebuild');
                      DELETE FROM meta WHERE key = 'search_index_deferred'"
  fi
  t1=$(now)
  echo "$c $(echo "$t1 - $t0" | bc)" >>"$work/sqlite3.txt"
done
# The indexes of what was not imported (empty collections, the outbox), not timed.
sed -n 's/^CREATE INDEX /CREATE INDEX IF NOT EXISTS /p' "$work/schema.sql" | sqlite3 "$plain"
du -b "$plain"* | awk '{s+=$1} END {printf "  sqlite3 import on disk: %.1f MiB\n", s/1048576}'

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
