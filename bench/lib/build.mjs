/**
 * Where a bench finds the engine it measures: the tsc output in out/node (npm run build:node).
 * Benches import the built JavaScript, never the TypeScript sources, so they time what ships.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The built engine (out/node/engine). */
export const OUT = path.join(ROOT, 'out/node/engine');

/**
 * Exits with status 2 and says how to build, unless `file` (relative to `dir`, default OUT)
 * exists. `bench` names the script in the message, e.g. "bench/search/search.mjs".
 */
export function requireBuild(bench, file, dir = OUT, how = 'it imports out/node') {
  if (existsSync(path.join(dir, file))) return;
  console.error(`${bench}: run \`npm run build:node\` first (${how})`);
  process.exit(2);
}

/** Imports a module of the built engine by its path under OUT (e.g. "index/search.js"). */
export function importBuilt(file, dir = OUT) {
  return import(path.join(dir, file));
}
