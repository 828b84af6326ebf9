#!/usr/bin/env node
// Search latency on synthetic embeddings: p50/p90/p95 of a query scored against every stored
// matrix (a new word: one full pass, its threshold calibrated on its scores as the app does for a
// free word; a 4-term boolean query: one shared pass; a repeated word: cached), end to end (parse,
// score, calibrate, combine, top 50), per library size, with CPU time per query (all threads),
// both per photo (ns), the kernel pass alone, the index's memory and the machine's load (at start
// and end); then the kernels side by side on one library (`kernels`: WebAssembly SIMD on worker
// threads, WebAssembly SIMD on the calling thread, the plain JavaScript loop; medians).
// Prints one JSON object. Method: see src-main/engine/index/search-index.ts and int8-kernel.wat.
//
//   npm run build:node && node bench/search/search.mjs [--sizes 10000,100000,1000000] [--k 16 --d 100]
//     [--compare-sizes 100000] [--runs 25] [--reopen-sizes 100000,1000000]
//     [--sparse-sizes 100000] [--baseline DIR [--ab-sizes 100000,1000000] [--ab-shapes starter,sparse]]
//
// Baseline (lib/alternate.mjs): DIR holds another build (a checkout with out/node/engine, e.g. main's
// in a temporary folder); the same library is searched with both builds in turn, A B B A, in this
// one process, and `ab` reports both and their ratios. On a shared machine the CPU time per query
// and per photo is the steadier figure.
//
// Reopen (reopen-sizes): the index is saved as the library saves it (index/persisted-index.ts),
// then a fresh Node process loads it and answers a new word: "first search after start" is the
// time from that process's start to its first answer, with its resident memory after it; split
// into start-up (Node and the imports), the catalogue's ids (a stand-in list), the load (wall
// and CPU of all threads) and the first search.
//
// Uses the tsc output in out/node. Timings vary with machine load; tests never assert them.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importBuilt, requireBuild } from '../lib/build.mjs';
import { cpuModel, loadAverage, printReport } from '../lib/report.mjs';
import { ms, timeRuns } from '../lib/timing.mjs';
import { alternate, loadBuild } from './lib/alternate.mjs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    'flat-sizes': { type: 'string', default: '100000' },
    'sparse-sizes': { type: 'string', default: '100000' },
    'compare-sizes': { type: 'string', default: '100000' },
    k: { type: 'string', default: '16' },
    d: { type: 'string', default: '100' },
    runs: { type: 'string', default: '25' },
    'reopen-sizes': { type: 'string', default: '100000,1000000' },
    baseline: { type: 'string' },
    'ab-sizes': { type: 'string', default: '100000,1000000' },
    'ab-shapes': { type: 'string', default: 'starter,sparse' },
    // Internal: the child process that reopens a saved index (file, count).
    reopen: { type: 'string' },
    count: { type: 'string' },
  },
});
requireBuild('bench/search/search.mjs', 'index/search-index.js');
const { SearchIndex } = await importBuilt('index/search-index.js');
const { evaluateQuery } = await importBuilt('index/search.js');
const { parseQuery } = await importBuilt('index/query.js');
const { loadSearchIndex, saveSearchIndex } = await importBuilt('index/persisted-index.js');

const k = Number(values.k);
const d = Number(values.d);
const runs = Number(values.runs);
const loadAtStart = loadAverage();

/** xorshift32 → roughly normal values (sum of 4 uniforms), deterministic. */
function random(seed) {
  let x = seed >>> 0 || 1;
  const uniform = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  return () => uniform() + uniform() + uniform() + uniform() - 2;
}

function unit(next) {
  const v = new Float32Array(d);
  let norm = 0;
  for (let j = 0; j < d; j++) norm += (v[j] = next()) ** 2;
  for (let j = 0; j < d; j++) v[j] /= Math.sqrt(norm);
  return v;
}

/**
 * Row weights × random unit vectors. "starter": like the starter pack's matrices measured on the
 * reference photos (3–10 rows of norm 0.85–1, the rest below 0.1); "sparse": like the starter
 * pack v2's (K = 37: rows whose evidence is absent are all zero): 3–10 heavy rows, 0–4 light
 * ones, the rest zero; "flat": every row the same norm, the worst case for the early stop.
 */
function fill(index, n, next, shape) {
  const matrix = new Float32Array(k * d);
  const uniform = random(n + 1);
  for (let i = 0; i < n; i++) {
    const heavy = 3 + Math.floor(((uniform() + 2) / 4) * 8);
    const light = shape === 'sparse' ? Math.floor(((uniform() + 2) / 4) * 5) : k;
    for (let row = 0; row < k; row++) {
      const u = Math.abs(uniform()) / 2;
      const lightWeight = row < heavy + light ? 0.1 * u : 0;
      const weight = shape === 'flat' ? 1 : row < heavy ? 0.85 + 0.15 * u : lightWeight;
      let norm = 0;
      for (let j = 0; j < d; j++) norm += (matrix[row * d + j] = next()) ** 2;
      const s = weight / Math.sqrt(norm);
      for (let j = 0; j < d; j++) matrix[row * d + j] *= s;
    }
    index.set(`p${i}`, matrix, i); // slot i of the embedding file
  }
}

/** A word's vector: a random unit vector named by its text. */
const vectorOf = (text) => unit(random(hash(text)));

/**
 * A query's words as the bench reads them: each its own vector, with no threshold but a prior,
 * like a free word in the app (api/search.ts), so its threshold is calibrated on its scores.
 */
const resolveWord = (text) => ({
  key: `bench:${text}`,
  text,
  source: 'word',
  vectors: [vectorOf(text)],
  prior: 0.3,
});

/** Nanoseconds per photo of `milliseconds` over `photos` photos. */
const perPhoto = (milliseconds, photos) => ms((milliseconds * 1e6) / photos);

/** End to end, as the app searches: parse, score every photo, combine, top 50. */
const searcher = (index) => (query) =>
  evaluateQuery(index, parseQuery(query), resolveWord, { limit: 50 });

/** `runs` timed calls of `fn` (bench/lib/timing.mjs: p50, p90, p95, min, cpuP50, cpuP90). */
const time = (fn) => timeRuns(runs, fn);

if (values.reopen) await reopenChild(values.reopen, Number(values.count));

const runsOf = (list, shape) =>
  list
    .split(',')
    .filter(Boolean)
    .map((size) => ({ size: Number(size), shape }));
const results = [];
for (const { size, shape } of [
  ...runsOf(values.sizes, 'starter'),
  ...runsOf(values['flat-sizes'], 'flat'),
  ...runsOf(values['sparse-sizes'], 'sparse'),
]) {
  const next = random(size);
  const index = new SearchIndex(k, d);
  const rssBefore = process.memoryUsage().rss;
  const loadStarted = performance.now();
  fill(index, size, next, shape);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  let fresh = 0;
  // A new word each run: nothing cached, one full pass.
  const search = searcher(index);
  await search('warmup'); // starts the worker threads
  const word = await time(() => search(`new${fresh++}`));
  const boolean = await time(() => search(`a${fresh} OR "b${fresh} c${fresh++}" -d${fresh}`));
  await search('repeated');
  const cached = await time(() => search('repeated'));
  // The kernel pass alone: one new vector, no cache, no ranking.
  const pass = await time(() => index.score([vectorOf(`pass${fresh++}`)]));
  results.push({
    photos: size,
    rows: shape,
    kernel: index.kernelName,
    newWordMs: word,
    newWordNsPerPhoto: { wall: perPhoto(word.p50, size), cpu: perPhoto(word.cpuP50, size) },
    kernelPassMs: pass,
    kernelPassNsPerPhoto: { wall: perPhoto(pass.p50, size), cpu: perPhoto(pass.cpuP50, size) },
    booleanQueryMs: boolean,
    cachedWordMs: cached,
    indexMB: Math.round(index.memoryBytes / 2 ** 20),
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    rssGrowthMB: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
    loadSeconds: Math.round(loadSeconds * 10) / 10,
  });
  await index.close();
}

/**
 * The same starter-shaped library under each kernel, one at a time: the median of `runs` new-word
 * searches (end to end) and of bare scoring passes (SearchIndex.score of one new vector, no
 * cache), and the largest score difference from WebAssembly SIMD on one fixed vector (0: the
 * kernels agree exactly).
 */
async function compareKernels(size) {
  const variants = {
    'wasm-simd': {},
    'wasm-simd-1-thread': { workers: 0 },
    js: { kernel: 'js' },
  };
  const medians = {};
  let reference;
  let maxScoreDifference = 0;
  for (const [name, options] of Object.entries(variants)) {
    const index = new SearchIndex(k, d, options);
    fill(index, size, random(size), 'starter');
    const search = searcher(index);
    await search('warmup'); // starts the worker threads
    let fresh = 0;
    const word = await time(() => search(`new${fresh++}`));
    const score = await time(() => index.score([unit(random(hash(`pass${fresh++}`)))]));
    const [fixed] = await index.score([unit(random(hash('fixed')))]);
    reference ??= fixed.scores;
    for (let i = 0; i < size; i++) {
      maxScoreDifference = Math.max(maxScoreDifference, Math.abs(fixed.scores[i] - reference[i]));
    }
    medians[name] = { kernel: index.kernelName, newWordMs: word.p50, scoreMs: score.p50 };
    await index.close();
  }
  return {
    photos: size,
    rows: 'starter',
    medians,
    jsOverWasm: Math.round((medians.js.newWordMs / medians['wasm-simd'].newWordMs) * 10) / 10,
    maxScoreDifference,
  };
}

const kernels = [];
for (const size of values['compare-sizes'].split(',').filter(Boolean)) {
  kernels.push(await compareKernels(Number(size)));
}

/** In a fresh process: load the saved index, answer new words; one JSON line on stdout. */
async function reopenChild(storeFile, count) {
  // Start-up so far: Node itself and the imports.
  const startupMs = performance.now();
  // The catalogue's photos by embedding slot (what the library knows before it opens the index).
  const bySlot = Array.from({ length: count }, (_, i) => `p${i}`);
  const catalogueMs = performance.now() - startupMs;
  const loadStarted = performance.now();
  const loadCpu = process.cpuUsage();
  const index = await loadSearchIndex(storeFile, k, d, { count, idOf: (slot) => bySlot[slot] });
  if (!index) throw new Error('the saved index was not usable');
  const loadMs = performance.now() - loadStarted;
  const { user, system } = process.cpuUsage(loadCpu);
  // CPU time of the load, all threads: what it costs on an idle machine, whatever the load.
  const loadCpuMs = (user + system) / 1000;
  const search = searcher(index);
  const firstStarted = performance.now();
  await search('first');
  const firstSearchMs = performance.now() - firstStarted;
  // performance.now() counts from this process's start: start-up, imports, load and search.
  const startToFirstSearchMs = performance.now();
  const used = process.cpuUsage();
  const startToFirstSearchCpuMs = (used.user + used.system) / 1000;
  const rssAfterFirstSearchMB = Math.round(process.memoryUsage().rss / 2 ** 20);
  let fresh = 0;
  const word = await time(() => search(`later${fresh++}`));
  console.log(
    JSON.stringify({
      startToFirstSearchMs: ms(startToFirstSearchMs),
      startupMs: ms(startupMs),
      catalogueMs: ms(catalogueMs),
      loadMs: ms(loadMs),
      loadCpuMs: ms(loadCpuMs),
      startToFirstSearchCpuMs: ms(startToFirstSearchCpuMs),
      firstSearchMs: ms(firstSearchMs),
      newWordMs: word,
      rssAfterFirstSearchMB,
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    }),
  );
  await index.close();
  process.exit(0);
}

/** Saves a `size`-photo index, then reopens it in a fresh process (see reopenChild). */
async function reopenMeasure(size) {
  const { mkdtempSync, rmSync, statSync, writeFileSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'anytag-bench-reopen-'));
  try {
    const index = new SearchIndex(k, d);
    const buildStarted = performance.now();
    fill(index, size, random(size), 'starter');
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    const store = path.join(dir, 'bench.aem');
    writeFileSync(store, 'stands in for the embedding file: only its size and mtime are checked');
    const saveStarted = performance.now();
    await saveSearchIndex(index, store);
    const saveSeconds = (performance.now() - saveStarted) / 1000;
    await index.close();
    const child = execFileSync(
      process.execPath,
      [
        import.meta.filename,
        '--reopen',
        store,
        '--count',
        String(size),
        '--k',
        `${k}`,
        '--d',
        `${d}`,
        '--runs',
        '10',
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    return {
      photos: size,
      rebuildSeconds: Math.round(buildSeconds * 10) / 10,
      saveSeconds: Math.round(saveSeconds * 10) / 10,
      fileMB: Math.round(statSync(`${store}.index`).size / 2 ** 20),
      reopened: JSON.parse(child.trim().split('\n').pop()),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hash(text) {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

const reopen = [];
for (const size of values['reopen-sizes'].split(',').filter(Boolean).map(Number)) {
  reopen.push(await reopenMeasure(size));
}

/** This checkout's build against --baseline's, alternating (lib/alternate.mjs). */
const ab = [];
if (values.baseline) {
  const builds = {
    old: await loadBuild(values.baseline),
    new: await loadBuild(path.resolve(import.meta.dirname, '../..')),
  };
  for (const shape of values['ab-shapes'].split(',').filter(Boolean)) {
    for (const size of values['ab-sizes'].split(',').filter(Boolean).map(Number)) {
      const options = { k, d, runs, resolveWord, vectorOf };
      const fillShape = (index, n) => fill(index, n, random(n), shape);
      ab.push({ rows: shape, ...(await alternate(builds, size, { ...options, fill: fillShape })) });
    }
  }
}

printReport({
  bench: 'search',
  k,
  d,
  runs,
  cpus: os.availableParallelism(),
  cpu: cpuModel(),
  node: process.version,
  loadAverage: { atStart: loadAtStart, atEnd: loadAverage() },
  results,
  kernels,
  reopen,
  ab,
});
