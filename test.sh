#!/usr/bin/env bash
# Runs every test: types, lint, build, packs, TypeScript unit/integration/e2e tests, Python tests.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
exec node scripts/test-all.mjs "$@"
