#!/usr/bin/env node
// Search quality on real photos: the evaluation set (photos.json, 67 real photos read from
// ../shared and from files Debian packages install) is indexed by the real engine into a fresh
// data folder for each pack, then every query of queries.json goes through the real search API.
// Reports per pack and per query class: mean average precision over the full ranking, P@1,
// precision and recall of what the app calls matches, and counts (metrics: lib/metrics.mjs).
// Prints one JSON object; `npm run bench -- search-quality` also writes it to
// bench/results/search-quality.json. README.md beside this file: the set, the packages, figures.
//
//   npm run build:node && node bench/search-quality/index.mjs [--packs dir[:dir…]]
//       [--package-root /[:dir…]] [--shared ../shared] [--search-options '{"json": "merged into input"}']
//       [--keep]   (keeps the temporary data folders and prints where)
//
// --packs (or $ANYTAG_BENCH_PACKS): pack folders, or folders holding packs, besides the starter
// pack (resources/packs/starter). --package-root (or $ANYTAG_BENCH_PACKAGE_ROOT): where the Debian
// packages' files are, tried in order: "/" when installed, or folders of extracted trees
// (`dpkg -x pkg.deb DIR`). Photos not found are left out and listed, with the packages lacking.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { round, scoreQuery, summarise } from './lib/metrics.mjs';
import { assemblePhotos, readEvaluationSet } from './lib/photo-set.mjs';
import { readSearchAnswer } from './lib/search-answer.mjs';
import { importBuilt, requireBuild, ROOT } from '../lib/build.mjs';
import { loadAverage } from '../lib/report.mjs';

const HERE = import.meta.dirname;
const { values } = parseArgs({
  options: {
    packs: { type: 'string', default: process.env.ANYTAG_BENCH_PACKS ?? '' },
    'package-root': { type: 'string', default: process.env.ANYTAG_BENCH_PACKAGE_ROOT ?? '/' },
    shared: {
      type: 'string',
      default: process.env.ANYTAG_SHARED ?? path.join(ROOT, '..', 'shared'),
    },
    'search-options': { type: 'string', default: '{}' },
    keep: { type: 'boolean', default: false },
  },
});
requireBuild('bench/search-quality', 'api/api.js');
const { Engine } = await importBuilt('engine.js');
const { Api } = await importBuilt('api/api.js');
const { listPacks } = await importBuilt('model/pack-registry.js');
const searchOptions = JSON.parse(values['search-options']);
/** Queries with words no table knows (misspelt, invented, 500 bytes): suggestions' cost. */
const UNKNOWN_WORD_QUERIES = [
  'parrrot',
  'dgo in the prak',
  'qzxv wlorp',
  Array.from({ length: 50 }, (_, i) => `blorf${i}x`).join(' '),
];

/** The starter pack, then each --packs entry: a pack folder, or a folder of pack folders. */
async function packsToMeasure() {
  const wanted = [path.join(ROOT, 'resources/packs/starter')];
  const skipped = [];
  for (const entry of values.packs.split(path.delimiter).filter(Boolean)) {
    const dir = path.resolve(entry);
    const inside = existsSync(path.join(dir, 'pack.json')) ? [] : await listPacks([dir]);
    if (existsSync(path.join(dir, 'pack.json'))) wanted.push(dir);
    else if (inside.length) wanted.push(...inside.map((found) => found.dir));
    else skipped.push({ dir, problem: 'neither a pack folder nor a folder of packs' });
  }
  const packs = [];
  for (const dir of [...new Set(wanted)]) {
    const [entry] = (await listPacks([path.dirname(dir)])).filter((p) => p.dir === dir);
    if (!entry?.manifest)
      skipped.push({ dir, problem: entry?.problem ?? 'no usable pack.json here' });
    else if (packs.some((p) => p.manifest.id === entry.manifest.id))
      skipped.push({ dir, problem: `pack id ${entry.manifest.id} is measured already` });
    else packs.push(entry);
  }
  return { packs, skipped };
}

/** Indexes the set with one pack in a fresh data folder, then runs every query. */
async function measurePack(entry, set, photoDir, work) {
  const dataDir = await mkdtemp(path.join(work, `data-${entry.manifest.id}-`));
  const engine = await Engine.open({
    dataDir,
    packRoots: [path.dirname(entry.dir)],
    packId: entry.manifest.id,
    provider: 'cpu',
  });
  const api = new Api(engine);
  try {
    const started = performance.now();
    const progress = await api.call('indexPaths', { paths: [photoDir] });
    const indexSeconds = (performance.now() - started) / 1000;
    const indexed = set.present.size;
    const rows = [];
    let matchSource;
    let countDisagrees = 0;
    let incompleteRankings = 0;
    // How long a query holds the event loop (the server answers nothing meanwhile), and how
    // long each takes: sampled over every query, the unknown-word ones below included.
    // Tagging the new photos runs after indexing; measure the queries alone.
    await (await engine.activePack()).tagging.settled();
    // As a long-lived engine (serve, the app) does in the background once its pack is open.
    await (await engine.activePack()).pack.wordTable.prepareSpelling();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const took = [];
    // CPU time per query (this process, all threads): what a query costs whatever the load.
    const cpuTook = [];
    const worst = { query: null, ms: 0 };
    loop.enable();
    for (const query of set.queries) {
      const relevant = query.relevant.filter((id) => set.ids.has(id));
      // Every right photo missing (its package not installed): nothing to judge it by.
      if (query.relevant.length && !relevant.length) continue;
      const row = { query: query.query, class: query.class };
      let read = { ranking: [], matched: new Set() };
      try {
        const asked = performance.now();
        const cpuBefore = process.cpuUsage();
        const answer = await api
          .call('search', {
            query: query.query,
            limit: Math.max(indexed, 1),
            ...searchOptions,
          })
          .finally(() => {
            took.push(performance.now() - asked);
            const cpu = process.cpuUsage(cpuBefore);
            cpuTook.push((cpu.user + cpu.system) / 1000);
            if (loop.max / 1e6 > worst.ms)
              Object.assign(worst, { query: query.query, ms: loop.max / 1e6 });
          });
        read = readSearchAnswer(answer, set.present);
        matchSource ??= read.matchSource;
        if (read.reportedMatches !== null && read.reportedMatches !== read.matched.size)
          countDisagrees += 1;
        if (read.ranking.length < indexed && !/(^|\s)(-|NOT\s)/.test(query.query))
          incompleteRankings += 1;
      } catch (error) {
        row.error = error.code ?? error.message;
      }
      const scored = scoreQuery({ ...read, relevant, error: row.error, photos: indexed });
      rows.push({
        ...row,
        ...scored,
        ap: scored.ap === null ? null : round(scored.ap),
        chanceAp: scored.chanceAp === null ? null : round(scored.chanceAp),
        top: read.ranking.slice(0, 3),
        falseMatchIds: [...read.matched].filter((id) => !relevant.includes(id)).slice(0, 5),
      });
    }
    loop.disable();
    const unknownLoop = monitorEventLoopDelay({ resolution: 5 });
    unknownLoop.enable();
    const unknownTook = [];
    for (const query of UNKNOWN_WORD_QUERIES) {
      const asked = performance.now();
      await api.call('search', { query, limit: 10 }).catch((error) => {
        if (error.code !== 'UNKNOWN_WORD') throw error;
      });
      unknownTook.push(performance.now() - asked);
    }
    unknownLoop.disable();
    const ms = (ns) => round(ns / 1e6);
    const classes = {};
    for (const name of Object.keys(set.classes))
      classes[name] = summarise(rows.filter((row) => row.class === name));
    return {
      pack: entry.manifest.id,
      name: entry.manifest.name,
      index: {
        photos: indexed,
        indexed: progress.indexed,
        failed: progress.failed,
        seconds: round(indexSeconds),
      },
      matchSource: matchSource ?? null,
      // Event-loop delay while the queries ran (perf_hooks monitorEventLoopDelay, 5 ms
      // resolution): maxMs is the longest the loop was held; query times are wall clock.
      eventLoop: {
        maxMs: ms(loop.max),
        p99Ms: ms(loop.percentile(99)),
        meanMs: ms(loop.mean),
        unknownWordMaxMs: ms(unknownLoop.max),
        // The query during which the longest delay was first seen.
        worstQuery: worst.query,
      },
      queryMs: {
        queries: took.length,
        mean: round(took.reduce((a, b) => a + b, 0) / Math.max(1, took.length)),
        max: round(Math.max(0, ...took)),
        cpuMean: round(cpuTook.reduce((a, b) => a + b, 0) / Math.max(1, cpuTook.length)),
        cpuMax: round(Math.max(0, ...cpuTook)),
        unknownWord: { queries: unknownTook.length, max: round(Math.max(0, ...unknownTook)) },
      },
      // The answer's own `matches: N` (once it has one) against the hits flagged as matches.
      matchCountDisagreements: countDisagrees,
      // Queries (without a NOT) whose answer ranked fewer photos than the set holds.
      incompleteRankings,
      all: summarise(rows.filter((row) => row.class !== 'absent')),
      classes,
      // Queries left out because every photo judged right for them is missing.
      skippedQueries: set.queries.length - rows.length,
      queries: rows,
    };
  } finally {
    await engine.close();
    if (values.keep) process.stderr.write(`search-quality: kept ${dataDir}\n`);
  }
}

/** A per-class table on stderr, for a person watching the run (stdout holds the JSON). */
function printSummary(result) {
  const f = (x) => (x === null ? '    –' : x.toFixed(3).padStart(5));
  const lines = [`${result.pack}: class      MAP  chance  P@1  match-prec  match-rec  errors`];
  for (const [name, c] of [['all', result.all], ...Object.entries(result.classes)])
    lines.push(
      `  ${name.padEnd(9)} ${f(c.map)}  ${f(c.chanceMap)} ${f(c.p1)}  ${f(c.matchPrecisionPooled)}` +
        `      ${f(c.matchRecall)}     ${c.errors}`,
    );
  process.stderr.write(`${lines.join('\n')}\n`);
}

const { photos, queries } = await readEvaluationSet(HERE);
const work = await mkdtemp(path.join(os.tmpdir(), 'anytag-bench-search-quality-'));
try {
  const assembled = await assemblePhotos(photos, {
    target: path.join(work, 'photos'),
    sharedDir: path.resolve(values.shared),
    packageRoots: values['package-root'].split(path.delimiter).map((root) => path.resolve(root)),
  });
  if (assembled.missing.length)
    process.stderr.write(
      `search-quality: ${assembled.missing.length} photos not found` +
        (assembled.install.length ? ` (apt-get install ${assembled.install.join(' ')})` : '') +
        '\n',
    );
  if (!assembled.present.size) throw new Error('search-quality: no photo of the set was found');
  const set = {
    present: assembled.present,
    ids: new Set(assembled.present.values()),
    queries: queries.queries,
    classes: queries.classes,
  };
  const { packs, skipped } = await packsToMeasure();
  const results = [];
  for (const entry of packs) {
    process.stderr.write(`search-quality: ${entry.manifest.id}\n`);
    results.push(await measurePack(entry, set, path.join(work, 'photos'), work));
    printSummary(results.at(-1));
  }
  console.log(
    JSON.stringify(
      {
        bench: 'search-quality',
        at: new Date().toISOString(),
        set: {
          photos: photos.photos.length,
          present: assembled.present.size,
          missing: assembled.missing.map((m) => m.id),
          install: assembled.install,
          queries: queries.queries.length,
          queriesPerClass: Object.fromEntries(
            Object.keys(queries.classes).map((c) => [
              c,
              queries.queries.filter((q) => q.class === c).length,
            ]),
          ),
        },
        searchOptions,
        skippedPacks: skipped,
        node: process.version,
        loadAverage: loadAverage(),
        packs: results,
      },
      null,
      2,
    ),
  );
} finally {
  if (!values.keep) await rm(work, { recursive: true, force: true });
}
