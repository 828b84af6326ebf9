#!/usr/bin/env node
// Library indexing, end to end: N generated photos of camera size (default 4000×3000 JPEG) go
// through scan → queue → worker (read, hash, decode + thumbnail, model) → store → catalogue,
// beside the model-only rate measured in the same run on the same threads (the ceiling).
// Also: peak RSS and event-loop delay while indexing, and catalogue load/save at 10k and 100k
// photos. With a TResNet-M pack installed (id or name matching /tresnet/), it is measured too, and
// so is every other starter pack under --packs (compare an edition-1 build side by side; a copy
// needs its own id in pack.json, as packs are listed once per id).
// Prints one JSON object.
//
//   npm run build:node && node bench/library/indexing.mjs [--photos 120] [--width 4000 --height 3000]
//       [--workers 1] [--threads 0] [--catalogue 10000,100000] [--packs dir (or $ANYTAG_BENCH_PACKS)]
//
// Uses the tsc output in out/node. Timings vary with machine load; tests never assert them.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { importBuilt, requireBuild, ROOT } from '../lib/build.mjs';
import { cpuModel, printReport } from '../lib/report.mjs';
import { indexedPhoto } from '../lib/synthetic-photos.mjs';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '120' },
    width: { type: 'string', default: '4000' },
    height: { type: 'string', default: '3000' },
    workers: { type: 'string', default: '1' },
    threads: { type: 'string', default: '0' },
    catalogue: { type: 'string', default: '10000,100000' },
    packs: { type: 'string', default: process.env.ANYTAG_BENCH_PACKS },
    seconds: { type: 'string', default: '8' },
  },
});
requireBuild('bench/library/indexing.mjs', 'engine.js');
const { Engine } = await importBuilt('engine.js');
const { Catalogue } = await importBuilt('store/catalogue.js');
const { listPacks } = await importBuilt('model/pack-registry.js');
const { loadPack } = await importBuilt('model/pack.js');
const { ModelSession } = await importBuilt('model/session.js');
const { decodeImage } = await importBuilt('image/decode.js');
const sharp = (await import('sharp')).default;

const photos = Number(values.photos);
const width = Number(values.width);
const height = Number(values.height);
const workers = Number(values.workers);
const threads = Number(values.threads);
const BATCH = 8;
const work = await mkdtemp(path.join(os.tmpdir(), 'anytag-bench-library-'));

/** Photo-like JPEGs: smooth colour fields with fine grain, ~q90; distinct bytes per file. */
async function makePhotos(dir, count) {
  await mkdir(dir, { recursive: true });
  const distinct = Math.min(count, 12);
  const bases = [];
  for (let i = 0; i < distinct; i++) {
    const small = Buffer.alloc(64 * 48 * 3);
    for (let p = 0; p < small.length; p++) small[p] = (p * (i + 7) * 2654435761) >>> 24;
    const base = await sharp(small, { raw: { width: 64, height: 48, channels: 3 } })
      .resize(width, height, { kernel: 'cubic' })
      .blur(1.2)
      .composite([
        {
          input: Buffer.from(
            Array.from({ length: 256 * 256 * 3 }, (_, p) => (p * 7919 * (i + 1)) % 251),
          ),
          raw: { width: 256, height: 256, channels: 3 },
          tile: true,
          blend: 'soft-light',
        },
      ])
      .jpeg({ quality: 90 })
      .toBuffer();
    bases.push(base);
  }
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `sub-${i % 8}`, `IMG_${String(i).padStart(5, '0')}.jpg`);
    await mkdir(path.dirname(file), { recursive: true });
    // Bytes after the JPEG end marker are ignored by decoders but give each file its own hash.
    const body = Buffer.concat([bases[i % distinct], Buffer.from(`#${i}`)]);
    await writeFile(file, body);
    bytes += body.length;
  }
  return { meanBytes: Math.round(bytes / count) };
}

/** Model only: pre-made input tensors through one session, batch 8, on the same threads. */
async function modelCeiling(packDir) {
  const pack = await loadPack(packDir);
  const { input, output } = pack.manifest;
  // The file the engine runs on the CPU: the pack's CPU variant (e.g. INT8) where it has one.
  const session = await ModelSession.create(
    pack.modelFiles,
    { inputName: input.name, output },
    { provider: 'cpu', threads },
  );
  const pixels = new Float32Array(BATCH * 3 * input.width * input.height).map(
    (_, i) => (i % 255) / 255,
  );
  const dims = [BATCH, 3, input.height, input.width];
  await session.run(pixels, dims);
  let images = 0;
  const started = performance.now();
  while (performance.now() - started < Number(values.seconds) * 1000) {
    await session.run(pixels, dims);
    images += BATCH;
  }
  const rate = images / ((performance.now() - started) / 1000);
  await session.release();
  return rate;
}

/** Read + sha256 + decode (model input and thumbnail), two at a time: the other ceiling. */
async function decodeCeiling(packDir, photoDir) {
  const { createHash } = await import('node:crypto');
  const pack = await loadPack(packDir);
  const files = [];
  for (let i = 0; i < Math.min(photos, 24); i++) {
    files.push(path.join(photoDir, `sub-${i % 8}`, `IMG_${String(i).padStart(5, '0')}.jpg`));
  }
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < files.length) {
      const bytes = await readFile(files[next++]);
      createHash('sha256').update(bytes).digest('hex');
      await decodeImage(bytes, pack.manifest.input, { thumbSize: 320 });
    }
  };
  await Promise.all([lane(), lane()]);
  return files.length / ((performance.now() - started) / 1000);
}

async function endToEnd(packRoot, packId, photoDir, run) {
  const dataDir = path.join(work, `data-${packId}-${run}`);
  const engine = await Engine.open({
    dataDir,
    packRoots: [packRoot],
    packId,
    provider: 'cpu',
    threads,
    indexWorkers: workers,
    library: { batchSize: BATCH },
  });
  await engine.library(); // workers and sessions start outside the timed part
  // The same measure with nothing to do: what the machine's load alone costs the event loop.
  const idle = monitorEventLoopDelay({ resolution: 10 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  idle.disable();
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 25);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const result = await engine.indexPaths([photoDir]);
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  clearInterval(sampler);
  await engine.close();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  return {
    indexed: result.indexed,
    failed: result.failed,
    seconds: Math.round(seconds * 100) / 100,
    imagesPerSecond: Math.round((result.indexed / seconds) * 100) / 100,
    peakRssMiB: Math.round(peakRss / 2 ** 20),
    rssBeforeMiB: Math.round(baseRss / 2 ** 20),
    // Sampled every 10 ms, so 10 ms is "on time"; idle = the same 3 s before indexing.
    eventLoopDelayMs: {
      p50: ms(delay.percentile(50)),
      p99: ms(delay.percentile(99)),
      max: ms(delay.max),
      idleP99: ms(idle.percentile(99)),
      idleMax: ms(idle.max),
    },
  };
}

async function packResult(entry, photoDir, run) {
  const ceiling = await modelCeiling(entry.dir);
  const decodeOnly = await decodeCeiling(entry.dir, photoDir);
  const e2e = await endToEnd(path.dirname(entry.dir), entry.manifest.id, photoDir, run);
  return {
    pack: entry.manifest.id,
    dir: entry.dir,
    k: entry.manifest.output.k,
    input: `${entry.manifest.input.width}×${entry.manifest.input.height}`,
    modelOnlyImagesPerSecond: Math.round(ceiling * 100) / 100,
    decodeOnlyImagesPerSecond: Math.round(decodeOnly * 100) / 100,
    endToEnd: e2e,
    shareOfCeiling: Math.round((e2e.imagesPerSecond / ceiling) * 1000) / 1000,
  };
}

/** Catalogue load and save with `count` indexed photos of 10 tags each. */
async function catalogueTimes(count) {
  const dir = path.join(work, `catalogue-${count}`);
  const catalogue = await Catalogue.open(dir, { debounceMs: 60_000 });
  for (let i = 0; i < count; i++) {
    const tags = Array.from({ length: 10 }, (_, t) => ({
      label: `label-${(i + t) % 900}`,
      score: 0.5,
      seen: true,
      row: t % 16,
    }));
    catalogue.addPhoto(indexedPhoto(i, 'starter-mobilenetv2-glove100', tags));
  }
  let started = performance.now();
  await catalogue.flush();
  const saveMs = performance.now() - started;
  // The photo records live in photos.sqlite (+ its WAL), the rest in catalogue.json.
  let bytes = 0;
  for (const name of await readdir(dir)) bytes += (await stat(path.join(dir, name))).size;
  started = performance.now();
  const loaded = await Catalogue.open(dir);
  const loadMs = performance.now() - started;
  if (loaded.photos().length !== count) throw new Error('catalogue lost photos');
  started = performance.now();
  loaded.touched();
  await loaded.flush();
  const resaveMs = performance.now() - started;
  return {
    photos: count,
    fileMiB: Math.round((bytes / 2 ** 20) * 10) / 10,
    saveMs: Math.round(saveMs),
    resaveMs: Math.round(resaveMs),
    loadMs: Math.round(loadMs),
  };
}

try {
  const photoDir = path.join(work, 'photos');
  const generated = await makePhotos(photoDir, photos);
  const roots = [path.join(ROOT, 'resources/packs'), ...(values.packs ? [values.packs] : [])];
  const packs = (await listPacks(roots)).filter((p) => p.manifest);
  // Every starter pack found (e.g. an edition-1 build under --packs beside the bundled one).
  const starters = packs.filter((p) => p.manifest.id.startsWith('starter'));
  const tresnet = packs.find((p) => /tresnet/i.test(`${p.manifest.id} ${p.manifest.name}`));
  const results = [];
  for (const entry of [...starters, tresnet].filter(Boolean)) {
    results.push(await packResult(entry, photoDir, results.length));
  }
  const catalogue = [];
  for (const size of values.catalogue.split(',').map(Number)) {
    catalogue.push(await catalogueTimes(size));
  }
  const report = {
    bench: 'library/indexing',
    machine: {
      cpus: os.cpus().length,
      cpu: cpuModel(),
      memGiB: Math.round(os.totalmem() / 2 ** 30),
    },
    photos: { count: photos, width, height, meanBytes: generated.meanBytes },
    config: { workers, threads: threads || 'onnxruntime default', batch: BATCH, thumbnails: true },
    packs: results,
    tresnet: tresnet ? 'measured' : 'no TResNet pack installed (resources/packs or --packs)',
    catalogue,
  };
  printReport(report);
} finally {
  await rm(work, { recursive: true, force: true });
}
