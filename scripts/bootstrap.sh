#!/usr/bin/env bash
# Installs what Anytag needs on a fresh machine, idempotently: npm packages (from the lock file),
# the pinned Python packages for the pack builder and training, the compiled CLI and the starter
# model pack. Used by start.sh, test.sh and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.anytag-lock-sha
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sha" ]; then
  echo "· installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
  echo "$lock_sha" > "$stamp"
fi

if ! python3 -c 'import torch, numpy, onnx, onnxruntime, PIL, pytest' 2>/dev/null; then
  echo "· installing Python packages (training/requirements.txt)"
  python3 -m pip install --quiet -r training/requirements.txt
fi

echo "· building the CLI"
npx --no-install tsc -p tsconfig.node.json
node scripts/wasm-kernels.mjs >/dev/null
echo "· building the web interface (anytag serve)"
npx --no-install vite build --config vite.renderer.config.ts --logLevel warn
echo "· building model packs"
node scripts/build-packs.mjs
