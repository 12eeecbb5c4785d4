# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the benchmark scripts: start_central DB LOG starts
# okno-central on a free port of 127.0.0.1, sets central_pid and url, and
# stops the server when the script exits.
start_central() {
  local db=$1 out=$2
  "$build/src/central/okno-central" --db "$db" --port 0 --quiet >"$out" &
  central_pid=$!
  trap 'kill $central_pid 2>/dev/null || true' EXIT
  for _ in $(seq 600); do
    grep -q "listening on" "$out" 2>/dev/null && break
    kill -0 $central_pid || { echo "okno-central did not start" >&2; exit 1; }
    sleep 0.1
  done
  url=$(sed -n 's/.*listening on //p' "$out" | head -n1)
}
