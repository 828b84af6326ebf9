#!/usr/bin/env node
// The photo catalogue at scale: the SQLite photo table (store/photo-table.ts, behind
// store/catalogue.ts) at 100k and 1M synthetic photos, and the JSON catalogue every record used
// to live in (one lowdb document, store/atomic-json-file.ts) at 100k for comparison. Per case,
// in a fresh process: open time, peak RSS, one record changed and saved, 1000 records changed and
// saved, the longest main-thread block (perf_hooks event-loop delay) during an indexing-like
// stream of changes, and during the save of a change to every record (a relabel); for the JSON
// catalogue also the time this Anytag takes to move it into the photo table. The table's
// catalogue reads records when first asked for: edits look photos up by id, and the reading of
// every record (what the app does in the background after open, Catalogue.warmPhotos) is
// measured on its own: its time, its longest block and the memory it takes. Prints one JSON
// object.
//
// Also the first gallery page sorted by date right after open, from memory (as before the table
// had sort columns) and from the table, alternating in fresh processes (gallery-page.mjs).
//
//   npm run build:node && node bench/store/index.mjs [--sizes 100000,1000000] [--json 100000]
//       [--stream-seconds 5] [--tables DIR (keep and reuse built tables)] [--cpu-prof DIR]
//       [--gallery-rounds 2] [--gallery-only] [--upgrade]
//
// Uses the tsc output in out/node. Timings vary with machine load; tests never assert them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { importBuilt, requireBuild } from '../lib/build.mjs';
import { printReport } from '../lib/report.mjs';
import { galleryCase, layout2Copy, upgradeCase } from './gallery-page.mjs';
import { PACK, buildTable, idOf, photo, tagsFor } from './tables.mjs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    json: { type: 'string', default: '100000' },
    'stream-seconds': { type: 'string', default: '5' },
    /** The save of a change to every record is measured up to this many photos. */
    'relabel-max': { type: 'string', default: '100000' },
    /** Keep the built tables in this folder and reuse them on the next run (building 1M takes
     *  minutes); by default they are built in a temporary folder and removed. */
    tables: { type: 'string' },
    /** Write a CPU profile of each case into this folder (node --cpu-prof). */
    'cpu-prof': { type: 'string' },
    /** The first gallery page right after open, read from memory and from the table
     *  (bench/store/gallery-page.mjs): this many rounds of each, alternating; 0 skips it. */
    'gallery-rounds': { type: 'string', default: '2' },
    /** Also time the upgrade of a copy of each table taken back to layout 2 (gallery-page.mjs). */
    upgrade: { type: 'boolean', default: false },
    /** Only the gallery case (not the edits, the stream and the reading of every record). */
    'gallery-only': { type: 'boolean', default: false },
    /** Internal: run one case in this process (`table:N` or `json:N`) in folder `--dir`. */
    case: { type: 'string' },
    dir: { type: 'string' },
  },
});
requireBuild('bench/store/index.mjs', 'store/photo-table.js');
const streamSeconds = Number(values['stream-seconds']);
const relabelMax = Number(values['relabel-max']);
const round1 = (x) => Math.round(x * 10) / 10;
const mib = (bytes) => round1(bytes / 2 ** 20);

async function folderBytes(dir) {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(path.join(dir, name))).size;
  return total;
}

/** Longest event-loop block (ms) while `work` runs. */
async function longestBlock(work) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const result = await work();
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  return { result, maxBlockMs: round1(delay.max / 1e6) };
}

const timed = async (work) => {
  const started = performance.now();
  await work();
  return round1(performance.now() - started);
};

/** One case of the SQLite photo table, in this (fresh) process. */
async function tableCase(dir, count) {
  const { Catalogue } = await importBuilt('store/catalogue.js');
  const { photoIndexed, embeddingStored } = await importBuilt('store/photo-states.js');
  let catalogue;
  const cpu = process.cpuUsage();
  const openBlock = await longestBlock(async () => {
    const started = performance.now();
    catalogue = await Catalogue.open(dir, { debounceMs: 1000 });
    return performance.now() - started;
  });
  const openCpu = process.cpuUsage(cpu);
  if (catalogue.photoCount() !== count) throw new Error('the catalogue lost photos');
  const rssAfterOpen = process.memoryUsage().rss;
  const photos = { at: (i) => catalogue.photoById(idOf(i)) };

  const one = await timed(async () => {
    catalogue.setTags(photos.at(7), tagsFor(7, 1));
    await catalogue.flush();
  });
  const batch = await timed(async () => {
    for (let i = 0; i < 1000; i++) catalogue.setTags(photos.at(i * 13), tagsFor(i * 13, 2));
    await catalogue.flush();
  });

  // Indexing-like: ~100 photos/s, each indexed, embedded and tagged, saved by the debounce.
  let streamed = 0;
  const stream = await longestBlock(async () => {
    const end = performance.now() + streamSeconds * 1000;
    while (performance.now() < end) {
      for (let k = 0; k < 4; k++) {
        const p = photos.at((streamed * 7919) % count);
        const facts = { size: p.size + 1, mtimeMs: p.mtimeMs + 1, width: 4000, height: 3000 };
        photoIndexed(catalogue, p, { ...facts, format: 'jpeg', thumb: true }, p.hash);
        embeddingStored(catalogue, p, PACK, p.embedding.slot);
        catalogue.setTags(p, tagsFor(streamed, 3));
        streamed++;
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await catalogue.flush();
  });

  // Every record read in the background (as the app does after open), then once more at once.
  let warmMs = 0;
  const warm = await longestBlock(async () => {
    warmMs = await timed(() => catalogue.warmPhotos());
  });
  if (catalogue.photos().length !== count) throw new Error('the catalogue lost photos');
  const rssAfterWarm = process.memoryUsage().rss;

  // A relabel: every record's tags change; only the save is measured here.
  let relabelAll = null;
  if (count <= relabelMax) {
    const all = catalogue.photos();
    for (let i = 0; i < count; i++) catalogue.setTags(all[i], tagsFor(i, 4));
    let saveMs = 0;
    const relabel = await longestBlock(async () => {
      saveMs = await timed(() => catalogue.flush());
    });
    relabelAll = { saveMs, maxBlockMs: relabel.maxBlockMs };
  }
  await catalogue.close();
  return {
    store: 'sqlite',
    photos: count,
    diskMiB: mib(await folderBytes(dir)),
    openMs: round1(openBlock.result),
    openCpuMs: round1((openCpu.user + openCpu.system) / 1000),
    rssAfterOpenMiB: mib(rssAfterOpen),
    oneRecordSaveMs: one,
    thousandRecordsSaveMs: batch,
    indexingStream: { seconds: streamSeconds, records: streamed, maxBlockMs: stream.maxBlockMs },
    readEveryRecord: { ms: warmMs, maxBlockMs: warm.maxBlockMs, rssAfterMiB: mib(rssAfterWarm) },
    relabelAll,
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
  };
}

/** The JSON catalogue as it was (every record in one lowdb document), in this process. */
async function jsonCase(dir, count) {
  const { AtomicJsonFile } = await importBuilt('store/atomic-json-file.js');
  const { migrate } = await importBuilt('store/catalogue-schema.js');
  const file = path.join(dir, 'catalogue.json');
  const adapter = new AtomicJsonFile(file, migrate);
  let data;
  const cpu = process.cpuUsage();
  const open = await longestBlock(async () => {
    const started = performance.now();
    data = await adapter.read();
    return performance.now() - started;
  });
  const openCpu = process.cpuUsage(cpu);
  if (data.photos.length !== count) throw new Error('the catalogue lost photos');
  const rssAfterOpen = process.memoryUsage().rss;
  // Any change, of one record or a thousand, is a write of the whole document.
  data.photos[7].tags = tagsFor(7, 1);
  let saveMs = 0;
  const save = await longestBlock(async () => {
    saveMs = await timed(() => adapter.write(data));
  });
  const bytes = (await stat(file)).size;
  // What this Anytag does with such a file on first open: move its photos into the photo table.
  const { Catalogue } = await importBuilt('store/catalogue.js');
  let migrated;
  const migrateMs = await timed(async () => {
    migrated = await Catalogue.open(dir);
  });
  if (migrated.loadReport.imported?.imported !== count)
    throw new Error('the migration lost photos');
  await migrated.close();
  return {
    store: 'json',
    photos: count,
    diskMiB: mib(bytes),
    openMs: round1(open.result),
    openCpuMs: round1((openCpu.user + openCpu.system) / 1000),
    openMaxBlockMs: open.maxBlockMs,
    rssAfterOpenMiB: mib(rssAfterOpen),
    oneRecordSaveMs: saveMs,
    thousandRecordsSaveMs: saveMs,
    saveMaxBlockMs: save.maxBlockMs,
    migrateToTableMs: migrateMs,
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
  };
}

if (values.case) {
  const [kind, n, mode] = values.case.split(':');
  const result =
    kind === 'json'
      ? await jsonCase(values.dir, Number(n))
      : kind === 'gallery'
        ? await galleryCase(values.dir, Number(n), mode)
        : kind === 'upgrade'
          ? await upgradeCase(values.dir, Number(n))
          : await tableCase(values.dir, Number(n));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const work = await mkdtemp(path.join(os.tmpdir(), 'anytag-bench-store-'));
const results = [];
try {
  const run = (kind, count, dir) => {
    const child = spawnSync(
      process.execPath,
      [
        ...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : []),
        import.meta.filename,
        ...['--case', `${kind}:${count}`, '--dir', dir],
        ...['--stream-seconds', String(streamSeconds), '--relabel-max', String(relabelMax)],
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`case ${kind}:${count} failed (${child.status})`);
    return JSON.parse(child.stdout.trim().split('\n').at(-1));
  };
  for (const count of values.sizes.split(',').filter(Boolean).map(Number)) {
    const dir = path.join(values.tables ?? work, `table-${count}`);
    const built = existsSync(path.join(dir, 'photos.sqlite'));
    await mkdir(dir, { recursive: true });
    const setupMs = built ? 0 : await timed(() => buildTable(dir, count));
    for (let round = 0; round < Number(values['gallery-rounds']); round++) {
      // Alternating, so a change in the machine's load falls on both.
      for (const mode of round % 2 ? ['table', 'memory'] : ['memory', 'table']) {
        results.push({ case: 'gallery', round, ...run('gallery', `${count}:${mode}`, dir) });
      }
    }
    if (values.upgrade) {
      const old = path.join(work, `layout2-${count}`);
      await layout2Copy(dir, old);
      results.push(run('upgrade', count, old));
      await rm(old, { recursive: true, force: true });
    }
    if (!values['gallery-only']) {
      results.push({ ...run('table', count, dir), setupMs, reused: built });
    }
    if (!values.tables) await rm(dir, { recursive: true, force: true });
  }
  for (const count of values.json.split(',').filter(Boolean).map(Number)) {
    const dir = path.join(work, `json-${count}`);
    await mkdir(dir, { recursive: true });
    const { emptyCatalogue } = await importBuilt('store/catalogue-schema.js');
    const doc = { ...emptyCatalogue(), schemaVersion: 3 };
    doc.photos = Array.from({ length: count }, (_, i) => photo(i));
    doc.embeddingFiles = { [PACK]: { generation: 1 } };
    await writeFile(path.join(dir, 'catalogue.json'), JSON.stringify(doc));
    doc.photos = [];
    results.push(run('json', count, dir));
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
printReport({
  note: 'wall-clock ms on this machine (shared, loaded); each case in a fresh process',
  node: process.version,
  cpus: os.cpus().length,
  results,
});
