#!/usr/bin/env node
// SDL TResNet-M pack: conversion time / peak memory, and CPU images/s with onnxruntime-node
// (batch 1 and 8) next to PyTorch on the same weights, in the same run. Prints one JSON object.
//
//   npm run build:node && node bench/convert/tresnet.mjs [--checkpoint x.pth] [--seconds 5]
//
// Without --checkpoint a random-weight checkpoint in the official format is made by training/
// (python3). Needs ../shared/reference/nus-wide for the labels. Uses the tsc output in out/node.
// Also makes the pack's INT8 CPU variant and measures it against FP32, alternating (int8).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importBuilt, requireBuild, ROOT } from '../lib/build.mjs';
import { cpuModel } from '../lib/report.mjs';
import { median } from '../lib/timing.mjs';

const NUS = path.resolve(ROOT, '../shared/reference/nus-wide');
const PHOTOS = path.resolve(ROOT, '../shared/reference/photos');
const { values } = parseArgs({
  options: { checkpoint: { type: 'string' }, seconds: { type: 'string', default: '5' } },
});
const seconds = Number(values.seconds);

requireBuild('bench/convert/tresnet.mjs', 'model/convert/convert-official.js');
const { convertOfficialCheckpoint } = await importBuilt('model/convert/convert-official.js');
const { ModelSession } = await importBuilt('model/session.js');

/**
 * Model-only CPU images/s, batch 8, FP32 file and INT8 variant alternating (4 rounds each of
 * `seconds / 2`), with the median per file and the INT8 / FP32 ratio per round.
 */
async function int8Speed(packDir, manifest) {
  const io = { inputName: manifest.input.name, output: manifest.output };
  const files = {
    fp32: path.join(packDir, manifest.model.file),
    int8: path.join(packDir, manifest.model.variants[0].file),
  };
  const sessions = {};
  for (const [name, file] of Object.entries(files)) {
    sessions[name] = await ModelSession.create(file, io, { provider: 'cpu' });
  }
  const dims = [8, 3, manifest.input.height, manifest.input.width];
  const pixels = new Float32Array(dims.reduce((a, b) => a * b)).map(() => Math.random());
  const rates = { fp32: [], int8: [] };
  for (const session of Object.values(sessions)) await session.run(pixels, dims);
  for (let round = 0; round < 4; round++) {
    for (const [name, session] of Object.entries(sessions)) {
      let runs = 0;
      const start = performance.now();
      while (runs < 2 || performance.now() - start < (seconds * 1000) / 2) {
        await session.run(pixels, dims);
        runs++;
      }
      rates[name].push((runs * 8) / ((performance.now() - start) / 1000));
    }
  }
  for (const session of Object.values(sessions)) await session.release();
  const ratios = rates.int8.map((r, i) => r / rates.fp32[i]);
  const round2 = (x) => Math.round(x * 100) / 100;
  return {
    imagesPerSecondBatch8: { fp32: round2(median(rates.fp32)), int8: round2(median(rates.int8)) },
    speedup: {
      median: round2(median(ratios)),
      min: round2(Math.min(...ratios)),
      max: round2(Math.max(...ratios)),
    },
  };
}

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

  // INT8 variant (training/anytag_training/packs/quantise.py), calibrated on the reference
  // photos. Random weights make its label agreement meaningless, so the bars are off here; the
  // speed is what this measures, FP32 and INT8 alternating in the same run.
  const quantiseStarted = performance.now();
  const int8Summary = JSON.parse(
    python([
      '-m',
      'anytag_training.packs.quantise',
      '--pack',
      conversion.packDir,
      '--calibration',
      PHOTOS,
      '--min-agreement',
      '0',
      '--min-speedup',
      '0',
    ])
      .trim()
      .split('\n')
      .pop(),
  );
  const quantiseSeconds = (performance.now() - quantiseStarted) / 1000;
  const manifest = JSON.parse(readFileSync(path.join(conversion.packDir, 'pack.json'), 'utf8'));
  const int8 = await int8Speed(conversion.packDir, manifest);
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
      cpuModel: cpuModel(),
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
      int8: {
        quantiseSeconds: Math.round(quantiseSeconds * 10) / 10,
        modelBytes: int8Summary.bytes,
        top10SameSetRandomWeights: `${int8Summary.top10SameSet}/${int8Summary.checked}`,
        ...int8,
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
