#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the pinned npm tools into the build folder once, never globally:
# @redocly/cli lints docs/api/openapi.yaml, @stoplight/prism-cli checks real
# traffic against it. Prints the folder of their executables.
#   npm-tools.sh BUILD_DIR
set -eu
dir="$1/npm-tools"
if [ ! -x "$dir/node_modules/.bin/prism" ] || [ ! -x "$dir/node_modules/.bin/redocly" ]; then
  mkdir -p "$dir"
  npm install --no-audit --no-fund --silent --prefix "$dir" \
    @redocly/cli@1.34.20 @stoplight/prism-cli@5.14.2 >&2
fi
echo "$dir/node_modules/.bin"
