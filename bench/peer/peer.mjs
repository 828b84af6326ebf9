#!/usr/bin/env node
// `anytag index` against its Python peer (Pillow in JPEG draft mode + onnxruntime, the pipeline
// of Immich's machine-learning service; bench/peer/peer_pipeline.py), as whole processes on the
// same generated camera-size JPEGs, the same pack and the same work per photo (read, sha256, EXIF
// transpose, 320-px thumbnail, model input, batches of 8, 2 threads). Runs alternate A B A B so
// machine load hits both alike; each reports wall time, CPU time (user + sys) and peak RSS from
// /usr/bin/time. Prints one JSON object: per-side medians and spread, and the ratios
// Anytag / peer (median of the per-pair ratios, with their min and max).
//
//   npm run bench -- peer     (or: npm run build:node && node bench/peer/peer.mjs)
//       [--photos 120] [--width 4000 --height 3000] [--runs 3] [--threads 2] [--pack dir]
//       [--anytag-packs dir]
//
// The photos are made once from ../shared/reference/photos (or --sources) into
// .cache/bench-peer/ and reused. Timings vary with machine load; tests never assert them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '120' },
    width: { type: 'string', default: '4000' },
    height: { type: 'string', default: '3000' },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
    pack: { type: 'string', default: path.join(ROOT, 'resources/packs/starter') },
    sources: { type: 'string', default: path.resolve(ROOT, '../shared/reference/photos') },
    python: { type: 'string', default: process.env.PYTHON ?? 'python3' },
    // A folder of packs searched before the bundled ones (anytag --packs): e.g. the starter pack
    // with an INT8 variant declared, to see what it would change. The peer keeps --pack.
    'anytag-packs': { type: 'string' },
  },
});
const count = Number(values.photos);
const width = Number(values.width);
const height = Number(values.height);
const runs = Number(values.runs);
const threads = values.threads;
const packDir = path.resolve(values.pack);

if (!existsSync(path.join(ROOT, 'out/node/cli/main.js'))) {
  console.error('bench/peer/peer.mjs: run `npm run build:node` first (the CLI runs from out/node)');
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) {
  console.error('bench/peer/peer.mjs: needs GNU time at /usr/bin/time for CPU time and peak RSS');
  process.exit(2);
}

/**
 * Camera-like JPEGs from the reference photos: each upscaled to width×height, given sensor-like
 * grain (so the file is as large as a camera's, ~4–5 MB at 12 MP), quality 92; every fourth
 * one carries EXIF orientation 6 (rotate 90°), so both sides do the transpose. Bytes after the
 * JPEG end marker give every file its own content hash.
 */
async function makePhotos(dir) {
  const done = path.join(dir, '.complete');
  if (existsSync(done)) return JSON.parse(await readFile(done, 'utf8'));
  const sharp = (await import('sharp')).default;
  const sources = readdirSync(values.sources)
    .filter((f) => /\.jpe?g$/i.test(f))
    .sort();
  if (sources.length === 0) throw new Error(`no JPEGs in ${values.sources}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const grain = await sharp({
    create: { width, height, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 24 } },
  })
    .raw()
    .toBuffer();
  const bases = [];
  for (const [i, name] of sources.entries()) {
    const base = sharp(path.join(values.sources, name))
      .rotate()
      .resize(width, height, { fit: 'cover', kernel: 'cubic' })
      .composite([{ input: grain, raw: { width, height, channels: 3 }, blend: 'soft-light' }]);
    bases.push([
      await base.clone().jpeg({ quality: 92 }).toBuffer(),
      // Stored sideways with orientation 6, so it shows upright after the EXIF transpose.
      await sharp(await base.clone().jpeg({ quality: 100 }).toBuffer())
        .rotate(270)
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 92 })
        .toBuffer(),
    ]);
    process.stderr.write(`· base ${i + 1}/${sources.length}\r`);
  }
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const [upright, sideways] = bases[i % bases.length];
    const file = path.join(dir, `sub-${i % 8}`, `IMG_${String(i).padStart(5, '0')}.jpg`);
    await mkdir(path.dirname(file), { recursive: true });
    const body = Buffer.concat([i % 4 === 3 ? sideways : upright, Buffer.from(`#${i}`)]);
    await writeFile(file, body);
    bytes += body.length;
  }
  const facts = { count, width, height, meanBytes: Math.round(bytes / count) };
  await writeFile(done, JSON.stringify(facts));
  return facts;
}

/** Runs one whole process under /usr/bin/time; wall s, CPU s (user + sys), peak RSS MiB. */
function timed(label, command, args) {
  const timeFile = path.join(os.tmpdir(), `anytag-peer-time-${process.pid}.txt`);
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, command, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) {
    throw new Error(`${label} failed (exit ${run.status}): ${run.stderr.slice(-2000)}`);
  }
  const [wall, user, sys, maxKb] = spawnSync('cat', [timeFile], { encoding: 'utf8' })
    .stdout.trim()
    .split(/\s+/)
    .map(Number);
  return {
    wallS: wall,
    cpuS: Math.round((user + sys) * 100) / 100,
    peakRssMiB: Math.round(maxKb / 1024),
    report: JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))),
  };
}

function anytag(photoDir, work, i) {
  const data = path.join(work, `anytag-${i}`);
  const args = ['bin/anytag.js', 'index', photoDir, '--data', data, '--threads', threads];
  if (values['anytag-packs']) args.push('--packs', path.resolve(values['anytag-packs']));
  const result = timed('anytag index', process.execPath, [...args, '--json']);
  if (result.report.indexed !== count) {
    throw new Error(`anytag indexed ${result.report.indexed} of ${count}`);
  }
  return result;
}

function peer(photoDir, work, i) {
  const out = path.join(work, `peer-${i}`);
  const script = path.join(ROOT, 'bench/peer/peer_pipeline.py');
  const args = [script, '--photos', photoDir, '--pack', packDir, '--out', out];
  const result = timed('peer', values.python, [...args, '--threads', threads]);
  if (result.report.photos !== count) {
    throw new Error(`the peer indexed ${result.report.photos} of ${count}`);
  }
  return result;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const summary = (xs) => ({
  median: round(median(xs)),
  min: round(Math.min(...xs)),
  max: round(Math.max(...xs)),
});

const cacheDir = path.join(ROOT, '.cache/bench-peer', `photos-${count}-${width}x${height}`);
const facts = await makePhotos(cacheDir);
const work = await mkdtemp(path.join(os.tmpdir(), 'anytag-bench-peer-'));
try {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(anytag(cacheDir, work, i));
    process.stderr.write(
      `· anytag ${i + 1}: ${JSON.stringify({ ...a.at(-1), report: undefined })}\n`,
    );
    b.push(peer(cacheDir, work, i));
    process.stderr.write(
      `· peer   ${i + 1}: ${JSON.stringify({ ...b.at(-1), report: undefined })}\n`,
    );
    await rm(path.join(work, `anytag-${i}`), { recursive: true, force: true });
    await rm(path.join(work, `peer-${i}`), { recursive: true, force: true });
  }
  const side = (rs) => ({
    wallS: summary(rs.map((r) => r.wallS)),
    cpuS: summary(rs.map((r) => r.cpuS)),
    peakRssMiB: summary(rs.map((r) => r.peakRssMiB)),
    runs: rs.map(({ wallS, cpuS, peakRssMiB }) => ({ wallS, cpuS, peakRssMiB })),
  });
  const ratio = (key) => summary(a.map((r, i) => r[key] / b[i][key]));
  const load = os.loadavg();
  const report = {
    bench: 'peer',
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverageAtEnd: load.map((l) => round(l, 2)),
    },
    photos: facts,
    config: {
      runs,
      threads: Number(threads),
      batch: 8,
      thumbnail: 320,
      pack: packDir,
      anytagPacks: values['anytag-packs'] ?? null,
    },
    anytag: side(a),
    peer: side(b),
    // Anytag / peer per A-B pair: < 1 means Anytag is faster, uses less CPU or less memory.
    ratios: { wall: ratio('wallS'), cpu: ratio('cpuS'), peakRss: ratio('peakRssMiB') },
    targets: { wall: 0.67, cpu: 0.8, peakRssMiB: 500 },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
