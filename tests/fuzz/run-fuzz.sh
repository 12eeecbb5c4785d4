#!/bin/sh
# Runs a libFuzzer target for a bounded time over the corpus kept in the
# repository. New inputs it finds go to a temporary folder, so a run never
# changes the checkout; a crash input is left in the build's log folder.
#   run-fuzz.sh TARGET CORPUS SECONDS ARTIFACT_DIR
set -eu
target=$1 corpus=$2 seconds=$3 artifacts=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
exec "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$work" "$corpus"
