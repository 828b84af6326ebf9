#!/usr/bin/env node
// Checks electron-builder's unpacked Linux layout (`--dir`) without the real Electron binary,
// which CI cannot download: a stub Electron dist stands in for it. Verifies that the app, the
// model packs and the unpacked native modules land where the app looks for them.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
  chmodSync,
  mkdirSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'anytag-pack-'));
const stub = path.join(work, 'electron-dist');
const output = path.join(work, 'release');
try {
  mkdirSync(path.join(stub, 'resources'), { recursive: true });
  writeFileSync(path.join(stub, 'electron'), '#!/bin/sh\necho "stub electron" >&2\nexit 1\n');
  chmodSync(path.join(stub, 'electron'), 0o755);
  writeFileSync(path.join(stub, 'LICENSE'), 'stub');
  writeFileSync(path.join(stub, 'version'), '45.5.0');

  for (const needed of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    if (!existsSync(path.join(root, needed)))
      throw new Error(`${needed} is missing: run \`npm run build:app\``);
  }
  const result = spawnSync(
    'npx',
    [
      '--no-install',
      'electron-builder',
      '--linux',
      '--dir',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${stub}`,
      '-c.electronVersion=45.5.0',
      // Rebuilding better-sqlite3 for Electron downloads Electron's headers, out of reach here:
      // the layout is checked with the Node build of it.
      '-c.npmRebuild=false',
      `-c.directories.output=${output}`,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  );
  if (result.status !== 0) throw new Error(`electron-builder exited with ${result.status}`);

  const unpacked = path.join(output, 'linux-unpacked');
  const expect = [
    'anytag',
    'resources/app/package.json',
    'resources/app/out/main/index.js',
    'resources/app/out/main/index-worker.js',
    'resources/app/out/main/int8-kernel.wasm',
    'resources/packs/starter/pack.json',
    'resources/packs/starter/words.awt',
    'resources/packs/starter/model.onnx',
    'resources/sdl-labels/labels.json',
    'resources/templates/tresnet-m.template.onnx',
    'resources/app/node_modules/onnxruntime-node/package.json',
    'resources/app/node_modules/sharp/package.json',
    'resources/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  ];
  const missing = expect.filter((file) => !existsSync(path.join(unpacked, file)));
  if (missing.length) {
    console.error(`linux-unpacked holds: ${readdirSync(unpacked).join(', ')}`);
    throw new Error(`missing from the package: ${missing.join(', ')}`);
  }
  console.log(`packaging ok: ${expect.length} expected files in ${path.relative(work, unpacked)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
