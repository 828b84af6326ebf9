#!/usr/bin/env bash
# Runs Anytag. With a display and the Electron binary: the desktop app. Without (a server, CI, a
# container): the web mode (`anytag serve`) when it is built, else the command-line tool.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
exec node scripts/start.mjs "$@"
