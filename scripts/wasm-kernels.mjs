// Assembles the engine's WebAssembly text sources (every *.wat under src-main/, today
// src-main/engine/index/int8-kernel.wat) with wabt's wat2wasm into .wasm files, which tsc does
// not make. Used by `npm run build:node`, scripts/bootstrap.sh and test-all (into out/node,
// mirroring src-main/), by electron.vite.config.ts (into the app's bundle, out/main/) and by
// vitest's global setup (test/wasm-kernels-setup.ts).
//
//   node scripts/wasm-kernels.mjs [outDir]      (default out/node)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import wabt from 'wabt';

// (import.meta.url, not .dirname: electron-vite's config bundler keeps only the former per file.)
const root = fileURLToPath(new URL('..', import.meta.url));
const sourceRoot = path.join(root, 'src-main');
/** Post-MVP features the kernels use: 128-bit SIMD and a shared (threads) memory. */
const FEATURES = { simd: true, threads: true };

/** The .wat files under src-main/, as paths relative to it. */
export function watSources() {
  return readdirSync(sourceRoot, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.wat'))
    .sort();
}

/**
 * The module bytes of one .wat file (a path relative to src-main/), validated.
 * Throws wabt's error (file, line and column) when the text does not assemble or validate.
 */
export async function assembleWat(relative) {
  const tools = await wabt();
  const file = path.join(sourceRoot, relative);
  const parsed = tools.parseWat(file, readFileSync(file, 'utf8'), FEATURES);
  try {
    parsed.resolveNames();
    parsed.validate(FEATURES); // wabt.js takes the features here too (its typings omit it)
    return Uint8Array.from(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/**
 * Writes every kernel into `outDir`: at its path relative to src-main/ (`<name>.wasm`), or,
 * with `flat`, directly in outDir (a bundle, where every module sits in one folder).
 * Returns the written files.
 */
export async function writeWasmKernels(outDir, { flat = false } = {}) {
  const written = [];
  for (const relative of watSources()) {
    const target = path.join(
      outDir,
      (flat ? path.basename(relative) : relative).replace(/\.wat$/, '.wasm'),
    );
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, await assembleWat(relative));
    written.push(target);
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = path.resolve(root, process.argv[2] ?? 'out/node');
  for (const file of await writeWasmKernels(outDir)) console.log(path.relative(root, file));
}
