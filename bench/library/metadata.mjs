#!/usr/bin/env node
// What reading photo metadata costs while indexing, per photo, on camera-size JPEGs
// (default 4000×3000) that carry a camera's EXIF plus XMP and IPTC keywords written by exiftool:
//   - indexPipelineMsPerPhoto: the index pipeline as it runs (read, hash, decode + thumbnail,
//     metadata, model) with the starter pack, in batches of 8 on this thread;
//   - metadataMsPerPhoto: the metadata step alone (sharp reading the EXIF/XMP/IPTC blocks from
//     the file's header, exifr parsing them, the sidecar look-up) — what it adds to the pipeline;
//   - the alternatives: exifr reading the whole file itself, and exiftool-vendored reading it
//     (one process, and its default pool).
// Prints one JSON object. Timings vary with machine load; tests never assert them.
//
//   npm run build:node && node bench/library/metadata.mjs [--photos 24] [--width 4000 --height 3000]
//       [--build out/node] (another build, e.g. of the commit before metadata was read: then only
//       the pipeline is timed — the "before" figure)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importBuilt, requireBuild, ROOT } from '../lib/build.mjs';
import { loadAverage } from '../lib/report.mjs';

const { values } = parseArgs({
  options: {
    build: { type: 'string', default: path.join(ROOT, 'out/node') },
    photos: { type: 'string', default: '24' },
    width: { type: 'string', default: '4000' },
    height: { type: 'string', default: '3000' },
    pack: { type: 'string', default: path.join(ROOT, 'resources/packs/starter') },
  },
});
const OUT = path.join(path.resolve(values.build), 'engine');
requireBuild('bench/library/metadata.mjs', 'engine.js', OUT);
const { loadPack } = await importBuilt('model/pack.js', OUT);
const { ModelSession } = await importBuilt('model/session.js', OUT);
const { InProcessRunner } = await importBuilt('workers/in-process-runner.js', OUT);
const { readEmbeddedBlocks } = await importBuilt('image/decode.js', OUT);
/** Absent in a build from before metadata was read: then only the pipeline is timed. */
const readsMetadata = existsSync(path.join(OUT, 'image/photo-metadata.js'));
const { photoMetadataOf } = readsMetadata ? await importBuilt('image/photo-metadata.js', OUT) : {};
const sharp = (await import('sharp')).default;
const exifrModule = await import('exifr');
const exifr = exifrModule.default ?? exifrModule;
const { ExifTool } = await import('exiftool-vendored');

const count = Number(values.photos);
const work = await mkdtemp(path.join(os.tmpdir(), 'anytag-bench-metadata-'));
const round = (x) => Math.round(x * 100) / 100;

/** One camera-like JPEG with full metadata (exiftool), copied with a distinct tail per file. */
async function makePhotos(dir) {
  await mkdir(dir, { recursive: true });
  const small = Buffer.alloc(64 * 48 * 3);
  for (let p = 0; p < small.length; p++) small[p] = (p * 2654435761) >>> 24;
  const base = path.join(dir, 'base.jpg');
  await sharp(small, { raw: { width: 64, height: 48, channels: 3 } })
    .resize(Number(values.width), Number(values.height), { kernel: 'cubic' })
    .blur(1.2)
    .jpeg({ quality: 90 })
    .toFile(base);
  const keywords = Array.from({ length: 30 }, (_, i) => `keyword ${i}`);
  execFileSync('exiftool', [
    '-q',
    '-overwrite_original',
    '-DateTimeOriginal=2022:07:08 09:10:11',
    '-SubSecTimeOriginal=42',
    '-OffsetTimeOriginal=+02:00',
    '-Make=Canon',
    '-Model=Canon EOS R5',
    '-LensModel=RF24-105mm F4 L IS USM',
    '-FocalLength=35',
    '-ExposureTime=1/250',
    '-FNumber=5.6',
    '-ISO=400',
    '-GPSLatitude=48.8584',
    '-GPSLatitudeRef=N',
    '-GPSLongitude=2.2945',
    '-GPSLongitudeRef=E',
    '-XMP-xmp:Rating=3',
    ...keywords.flatMap((k) => [`-XMP-dc:Subject=${k}`, `-IPTC:Keywords=${k}`]),
    ...keywords.map((k) => `-XMP-lr:HierarchicalSubject=Topics|${k}`),
    base,
  ]);
  const bytes = await readFile(base);
  const files = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `IMG_${String(i).padStart(5, '0')}.jpg`);
    await writeFile(file, Buffer.concat([bytes, Buffer.from(`#${i}`)]));
    files.push(file);
  }
  await rm(base);
  return { files, bytes: bytes.length };
}

async function timePerPhoto(files, each) {
  const started = performance.now();
  for (const file of files) await each(file);
  return (performance.now() - started) / files.length;
}

try {
  await measure();
} finally {
  await rm(work, { recursive: true, force: true });
}

async function measure() {
  const { files, bytes } = await makePhotos(path.join(work, 'photos'));
  const pack = await loadPack(values.pack);
  const session = await ModelSession.create(
    pack.modelPath,
    { inputName: pack.manifest.input.name, output: pack.manifest.output },
    { provider: 'cpu', threads: 0 },
  );
  const runner = new InProcessRunner(pack, session, { thumbDir: path.join(work, 'thumbs') });
  await runner.run(files.slice(0, 2)); // warm-up
  const started = performance.now();
  for (let i = 0; i < files.length; i += 8) {
    const results = await runner.run(files.slice(i, i + 8));
    if (results.some((r) => !r.ok || (readsMetadata && !r.metadata))) {
      throw new Error('a photo failed to index');
    }
  }
  const pipelineMs = (performance.now() - started) / files.length;
  await session.release();
  const about = {
    build: path.relative(ROOT, path.resolve(values.build)) || '.',
    photos: files.length,
    size: `${values.width}×${values.height}`,
    meanBytes: bytes,
    pack: pack.manifest.id,
    cpus: os.cpus().length,
    loadAverage: loadAverage(),
    indexPipelineMsPerPhoto: round(pipelineMs),
  };
  if (!readsMetadata) {
    console.log(JSON.stringify({ ...about, readsMetadata: false }, null, 2));
    return;
  }

  // The metadata step as the pipeline runs it on the bytes it read: the header's blocks
  // (sharp, no decode), exifr parsing them, and the sidecar look-up.
  const contents = new Map();
  for (const file of files) contents.set(file, await readFile(file));
  const step = async (file) => {
    const bytes = contents.get(file);
    const { format, embedded } = await readEmbeddedBlocks(bytes);
    return photoMetadataOf(file, embedded, { format, bytes, mtimeMs: 0 });
  };
  await step(files[0]);
  const metadataMs = await timePerPhoto(files, step);
  const exifrWholeFileMs = await timePerPhoto(files, async (file) =>
    exifr.parse(await readFile(file), { tiff: true, exif: true, gps: true, xmp: true, iptc: true }),
  );
  const exiftool = new ExifTool({ maxProcs: 1 });
  await exiftool.read(files[0]); // the Perl process starts outside the timing
  const exiftoolOneProcessMs = await timePerPhoto(files, (file) => exiftool.read(file));
  await exiftool.end();
  const pool = new ExifTool();
  await Promise.all(files.slice(0, 4).map((f) => pool.read(f)));
  const poolStarted = performance.now();
  await Promise.all(files.map((file) => pool.read(file)));
  const exiftoolPoolMs = (performance.now() - poolStarted) / files.length;
  await pool.end();

  console.log(
    JSON.stringify(
      {
        ...about,
        metadataMsPerPhoto: round(metadataMs),
        pipelineWithoutMetadataMsPerPhoto: round(pipelineMs - metadataMs),
        metadataShareOfIndexing:
          Math.round((metadataMs / (pipelineMs - metadataMs)) * 10_000) / 10_000,
        alternatives: {
          exifrWholeFileMsPerPhoto: round(exifrWholeFileMs),
          exiftoolVendoredOneProcessMsPerPhoto: round(exiftoolOneProcessMs),
          exiftoolVendoredPoolMsPerPhoto: round(exiftoolPoolMs),
        },
      },
      null,
      2,
    ),
  );
}
