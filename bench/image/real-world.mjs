#!/usr/bin/env node
// Real-world photo files (issue 14): decode time of a 12-megapixel phone HEIC (libheif-js, HEVC)
// beside the same photo as JPEG, peak memory (RSS, each in its own process) of decoding a
// 100-megapixel JPEG (11648×8736) and a 40000×2600 panorama, and the indexing rate of a folder
// of phone HEICs with the starter pack. HEICs are made by Debian's heif-enc (libheif-examples).
// Prints one JSON object.
//
//   npm run build:node && node bench/image/real-world.mjs [--heics 8]
//
// heif-enc takes seconds per 12 MP photo, so the folder is small by default.
//
// Uses the tsc output in out/node. Timings vary with machine load; tests never assert them.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importBuilt, requireBuild, ROOT } from '../lib/build.mjs';

const { values } = parseArgs({
  options: { heics: { type: 'string', default: '8' }, child: { type: 'string' } },
  allowPositionals: true,
});
requireBuild('bench/image/real-world.mjs', 'engine.js');
const { decodeImage } = await importBuilt('image/decode.js');
const sharp = (await import('sharp')).default;
const SPEC = {
  name: 'x',
  width: 224,
  height: 224,
  layout: 'NCHW',
  resize: 'squash',
  kernel: 'cubic',
  scale: 1 / 255,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  background: [255, 255, 255],
};

// Child mode: decode one file, print its peak RSS (MB).
if (values.child) {
  const started = performance.now();
  await decodeImage(await readFile(values.child), SPEC, { file: values.child, thumbSize: 320 });
  const ms = performance.now() - started;
  // VmHWM: this process's peak resident memory (getrusage's maxRSS survives fork and exec, so
  // a child would report its parent's peak).
  const status = await readFile('/proc/self/status', 'utf8');
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  console.log(JSON.stringify({ ms: Math.round(ms), peakRssMB: Math.round(peakKb / 1024) }));
  process.exit(0);
}

const work = await mkdtemp(path.join(os.tmpdir(), 'anytag-bench-real-world-'));
/** Photo-like pixels: a smooth colour field with fine grain (not noise: HEVC would balloon). */
async function photoLike(file, width, height, seed) {
  const small = Buffer.alloc(64 * 48 * 3);
  for (let p = 0; p < small.length; p++) small[p] = (p * (seed + 7) * 2654435761) >>> 24;
  await sharp(small, { raw: { width: 64, height: 48, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .jpeg({ quality: 90 })
    .toFile(file);
  return file;
}
function child(file) {
  const out = execFileSync(process.execPath, [import.meta.filename, '--child', file], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}
async function timeDecode(file, runs) {
  const bytes = await readFile(file);
  await decodeImage(bytes, SPEC, { file }); // warm-up (libheif's WebAssembly, sharp)
  const started = performance.now();
  for (let i = 0; i < runs; i++) await decodeImage(bytes, SPEC, { file, thumbSize: 320 });
  return Math.round((performance.now() - started) / runs);
}

try {
  const log = (what) => process.stderr.write(`· ${what}\n`);
  log('making the photos');
  const jpeg12 = await photoLike(path.join(work, 'phone.jpg'), 4032, 3024, 1);
  const heic12 = path.join(work, 'phone.heic');
  execFileSync('heif-enc', ['-q', '80', '-o', heic12, jpeg12]);
  const big = await photoLike(path.join(work, 'big.jpg'), 11648, 8736, 2);
  const pano = await photoLike(path.join(work, 'pano.jpg'), 40000, 2600, 3);

  const folder = path.join(work, 'heics');
  await mkdir(folder);
  const count = Number(values.heics);
  const base = await photoLike(path.join(work, 'base.jpg'), 4032, 3024, 4);
  for (let i = 0; i < count; i++) {
    const src = path.join(work, `src-${i}.jpg`);
    // A different crop per file: distinct content, like a real camera roll.
    await sharp(base)
      .extract({ left: i * 8, top: i * 6, width: 3840, height: 2880 })
      .toFile(src);
    execFileSync('heif-enc', ['-q', '80', '-o', path.join(folder, `IMG_${1000 + i}.HEIC`), src]);
  }
  log('indexing the HEIC folder');
  const { Engine } = await importBuilt('engine.js');
  const engine = await Engine.open({
    dataDir: path.join(work, 'data'),
    packRoots: [path.join(ROOT, 'resources', 'packs')],
    provider: 'cpu',
    indexWorkers: 1,
  });
  const started = performance.now();
  const report = await engine.indexPaths([folder]);
  const seconds = (performance.now() - started) / 1000;
  await engine.close();

  console.log(
    JSON.stringify(
      {
        heic12mpDecodeMs: await timeDecode(heic12, 3),
        jpeg12mpDecodeMs: await timeDecode(jpeg12, 3),
        heic12mpProcess: child(heic12),
        jpeg100mp11648x8736: child(big),
        panorama40000x2600: child(pano),
        heicFolder: {
          photos: count,
          indexed: report.indexed,
          failed: report.failed,
          seconds: Math.round(seconds * 10) / 10,
          photosPerSecond: Math.round((count / seconds) * 100) / 100,
        },
        note: 'machine shared with other jobs; figures vary with load',
      },
      null,
      2,
    ),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
