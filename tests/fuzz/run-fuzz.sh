#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a libFuzzer target for a bounded time over the corpus kept in the
# repository. New inputs it finds go to a temporary folder, so a run never
# changes the checkout; a crash input is left in the build's log folder.
#   run-fuzz.sh TARGET CORPUS SECONDS ARTIFACT_DIR
#
# Any sanitizer report is a finding that fails the run: UBSan carries on
# after a report unless told to halt (halt_on_error, set last so that it
# wins over whatever the caller's UBSAN_OPTIONS say), and ASan halts anyway.
set -eu
target=$1 corpus=$2 seconds=$3 artifacts=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1"
"$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$artifacts/$(basename "$target")-" -print_final_stats=1 "$work" "$corpus"
