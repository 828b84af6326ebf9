#!/usr/bin/env node
// SDL TResNet-M pack: conversion time / peak memory, and CPU images/s with onnxruntime-node
// (batch 1 and 8) next to PyTorch on the same weights, in the same run. Prints one JSON object.
//
//   npm run build:node && node bench/convert/tresnet.mjs [--checkpoint x.pth] [--seconds 5]
//
// Without --checkpoint a random-weight checkpoint in the official format is made by training/
// (python3). Needs ../shared/reference/nus-wide for the labels. Uses the tsc output in out/node.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT = path.join(ROOT, 'out/node/engine');
const NUS = path.resolve(ROOT, '../shared/reference/nus-wide');
const { values } = parseArgs({
  options: { checkpoint: { type: 'string' }, seconds: { type: 'string', default: '5' } },
});
const seconds = Number(values.seconds);

if (!existsSync(path.join(OUT, 'model/convert/convert-official.js'))) {
  console.error('bench/convert/tresnet.mjs: run `npm run build:node` first (it imports out/node)');
  process.exit(2);
}
const { convertOfficialCheckpoint } = await import(
  path.join(OUT, 'model/convert/convert-official.js')
);
const { ModelSession } = await import(path.join(OUT, 'model/session.js'));

const work = mkdtempSync(path.join(os.tmpdir(), 'anytag-bench-tresnet-'));
try {
  const python = (args) =>
    execFileSync('python3', args, { cwd: path.join(ROOT, 'training'), encoding: 'utf8' });
  const checkpoint = values.checkpoint ?? path.join(work, 'random.pth');
  if (!values.checkpoint)
    python(['-m', 'anytag_training.tresnet.make_checkpoint', '--out', checkpoint, '--seed', '0']);

  const labels = JSON.parse(readFileSync(path.join(NUS, 'labels.json'), 'utf8')).labels;
  const vecBytes = readFileSync(path.join(NUS, 'wordvec-300d.f32'));
  const labelVectors = new Float32Array(
    vecBytes.buffer.slice(vecBytes.byteOffset, vecBytes.byteOffset + vecBytes.length),
  );
  const starterTable = path.join(ROOT, 'resources/packs/starter/words.awt');
  if (!existsSync(starterTable))
    throw new Error(`needs the starter word table ${starterTable} (npm run build:packs)`);

  const rssBefore = process.memoryUsage.rss();
  const phaseRss = {}; // peak RSS seen in each conversion phase
  const onProgress = (p) => {
    phaseRss[p.phase] = Math.max(phaseRss[p.phase] ?? 0, process.memoryUsage.rss());
  };
  const conversion = await convertOfficialCheckpoint({
    checkpointPath: checkpoint,
    outDir: path.join(work, 'pack'),
    labels,
    labelVectors,
    wordTablePath: starterTable,
    onProgress,
  });
  const maxRssBytes = process.resourceUsage().maxRSS * 1024; // peak of this process so far

  const manifest = JSON.parse(readFileSync(path.join(conversion.packDir, 'pack.json'), 'utf8'));
  const session = await ModelSession.create(
    path.join(conversion.packDir, manifest.model.file),
    { inputName: manifest.input.name, output: manifest.output },
    { provider: 'cpu' },
  );
  const onnx = {};
  for (const batch of [1, 8]) {
    const dims = [batch, 3, manifest.input.height, manifest.input.width];
    const pixels = new Float32Array(dims.reduce((a, b) => a * b)).map(() => Math.random());
    await session.run(pixels, dims); // warm-up
    let runs = 0;
    const start = performance.now();
    while (runs < 2 || performance.now() - start < seconds * 1000) {
      await session.run(pixels, dims);
      runs++;
    }
    onnx[`batch${batch}`] = (runs * batch) / ((performance.now() - start) / 1000);
  }
  await session.release();
  const torch = JSON.parse(
    python([
      '-m',
      'anytag_training.tresnet.bench',
      '--checkpoint',
      checkpoint,
      '--seconds',
      String(seconds),
    ])
      .trim()
      .split('\n')
      .pop(),
  );

  console.log(
    JSON.stringify({
      bench: 'convert/tresnet',
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      conversion: {
        seconds: conversion.seconds,
        modelBytes: conversion.modelBytes,
        rssBeforeBytes: rssBefore,
        peakRssSampledBytes: conversion.peakRssBytes,
        processMaxRssBytes: maxRssBytes,
        peakRssByPhaseBytes: phaseRss,
        checkpointBytes: (await import('node:fs')).statSync(checkpoint).size,
        ridgeLambda: conversion.ridgeLambda,
      },
      imagesPerSecond: {
        onnxruntimeNode: onnx,
        pytorch: {
          batch1: torch.batch1,
          batch8: torch.batch8,
          threads: torch.threads,
          version: torch.torch,
        },
      },
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
