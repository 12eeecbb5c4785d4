#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test against a real Secret Service that belongs to it alone: its own
# D-Bus session (dbus-run-session), a gnome-keyring-daemon unlocked with a
# throwaway password, and XDG_DATA_HOME / XDG_RUNTIME_DIR in a temporary
# folder, so the machine's own keyring is never touched.
#   usage: run-with-keyring.sh PROGRAM [ARGS...]
set -eu

if [ -z "${OKNO_KEYRING_SESSION:-}" ]; then
  OKNO_KEYRING_SESSION=1 exec dbus-run-session -- "$0" "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/okno-keyring-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export XDG_DATA_HOME="$tmp/data"
export XDG_RUNTIME_DIR="$tmp/runtime"

# The daemon stays in this D-Bus session and ends with it.
eval "$(printf 'test\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

status=0
"$@" || status=$?
exit "$status"
