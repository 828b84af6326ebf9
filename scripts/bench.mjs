#!/usr/bin/env node
// `npm run bench [-- filter…]`: runs every benchmark under bench/ (bench/<area>/<name>.mjs, each
// printing one JSON object on stdout), one at a time, and writes each result to
// bench/results/<area>-<name>.json plus all of them to bench/results/all.json and stdout.
// A filter keeps the benchmarks whose path contains it (e.g. `npm run bench -- library`).
// A benchmark that is its folder's only entry point is bench/<area>/index.mjs (result:
// bench/results/<area>.json); modules benchmarks import live in lib/ folders and are not run.
// Benchmarks import the tsc output (out/node): the runner builds it first unless --no-build.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const benchDir = path.join(root, 'bench');
const resultsDir = path.join(benchDir, 'results');
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));

function findBenchmarks(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && full !== resultsDir && entry.name !== 'lib')
      found.push(...findBenchmarks(full));
    else if (entry.isFile() && entry.name.endsWith('.mjs')) found.push(full);
  }
  return found.sort();
}

/** The last top-level JSON object a benchmark printed (they may log lines before it). */
function lastJson(stdout) {
  const start = stdout.lastIndexOf('\n{');
  const text = (start >= 0 ? stdout.slice(start + 1) : stdout).trim();
  return JSON.parse(text);
}

if (!args.includes('--no-build')) {
  const build = spawnSync('npx', ['--no-install', 'tsc', '-p', 'tsconfig.node.json'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0)
    process.stderr.write('bench: the build reported errors; running anyway\n');
}

mkdirSync(resultsDir, { recursive: true });
const all = { at: new Date().toISOString(), results: {}, failed: [] };
for (const file of findBenchmarks(benchDir)) {
  const relative = path.relative(benchDir, file);
  if (filters.length && !filters.some((f) => relative.includes(f))) continue;
  const name = relative
    .replace(/(^|[\\/])index\.mjs$/, '')
    .replace(/\.mjs$/, '')
    .split(path.sep)
    .join('-');
  process.stderr.write(`── bench ${relative}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [file], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const seconds = (Date.now() - started) / 1000;
  try {
    if (run.status !== 0) throw new Error(`exit ${run.status ?? run.signal}`);
    const result = lastJson(run.stdout);
    writeFileSync(path.join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    all.results[name] = result;
    process.stderr.write(`── bench ${relative}: ok in ${seconds.toFixed(1)} s\n`);
  } catch (error) {
    all.failed.push({ bench: relative, error: error.message });
    process.stderr.write(
      `── bench ${relative}: FAILED (${error.message}) in ${seconds.toFixed(1)} s\n`,
    );
  }
}
writeFileSync(path.join(resultsDir, 'all.json'), `${JSON.stringify(all, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
process.exitCode = all.failed.length ? 1 : 0;
