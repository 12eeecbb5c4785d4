#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Lints the API contract with @redocly/cli (pinned, installed into the build).
#   lint-openapi.sh BUILD_DIR SPEC
set -eu
tools=$("$(dirname "$0")/npm-tools.sh" "$1")
exec "$tools/redocly" lint --format=stylish "$2"
