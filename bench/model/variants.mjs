#!/usr/bin/env node
// Model-only speed of a pack's CPU variants (e.g. INT8) against its FP32 file, in
// onnxruntime-node (the engine's ModelSession) and in Python onnxruntime (variants_ort.py), in the
// same run: batch 8, 2 intra-op threads, the files alternating within each round. Per file: the
// median over rounds of each round's median wall and CPU ms per batch; per variant: FP32 / variant
// per round (median, min, max). Prints one JSON object.
//
//   npm run build:node && node bench/model/variants.mjs [--pack resources/packs/starter]
//       [--file other.onnx …] [--rounds 6] [--runs 4] [--threads 2] [--batch 8] [--no-python]
//
// --file adds candidate files of the same model (same input and output) to the comparison.
// Inputs are seeded random pixels: a convolution network's speed does not depend on them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importBuilt, requireBuild, ROOT } from '../lib/build.mjs';
import { cpuModel, loadAverage, printReport } from '../lib/report.mjs';
import { median } from '../lib/timing.mjs';

const { values } = parseArgs({
  options: {
    pack: { type: 'string', default: path.join(ROOT, 'resources/packs/starter') },
    file: { type: 'string', multiple: true, default: [] },
    rounds: { type: 'string', default: '6' },
    runs: { type: 'string', default: '4' },
    threads: { type: 'string', default: '2' },
    batch: { type: 'string', default: '8' },
    'no-python': { type: 'boolean', default: false },
  },
});
const [rounds, runs, threads, batch] = ['rounds', 'runs', 'threads', 'batch'].map((k) =>
  Number(values[k]),
);
requireBuild('bench/model/variants.mjs', 'model/session.js');
const { ModelSession } = await importBuilt('model/session.js');

const packDir = path.resolve(values.pack);
const manifest = JSON.parse(readFileSync(path.join(packDir, 'pack.json'), 'utf8'));
const files = [
  manifest.model.file,
  ...(manifest.model.variants ?? []).filter((v) => v.providers.includes('cpu')).map((v) => v.file),
].map((f) => path.join(packDir, f));
files.push(...values.file.map((f) => path.resolve(f)));
if (files.length < 2) {
  // A pack built without its INT8 variant (ANYTAG_PACKS_INT8=0, or no variant passed its bars).
  printReport({ bench: 'model/variants', pack: manifest.id, skipped: 'no CPU variant, no --file' });
  process.exit(0);
}
const { input } = manifest;
const dims = [batch, 3, input.height, input.width];

/** Seeded random pixels 0–255 as the pack's model input, (p·scale − mean) / std. */
function pixels() {
  const data = new Float32Array(dims.reduce((a, b) => a * b));
  let seed = 1;
  const plane = input.height * input.width;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const c = Math.floor(i / plane) % 3;
    data[i] = ((seed >>> 24) * input.scale - input.mean[c]) / input.std[c];
  }
  return data;
}

/** rounds × files of {wallMs, cpuMs}: each round runs every file `runs` times in turn. */
async function nodeRounds() {
  const io = { inputName: input.name, output: manifest.output };
  const sessions = [];
  for (const file of files)
    sessions.push(await ModelSession.create(file, io, { provider: 'cpu', threads }));
  const data = pixels();
  for (const session of sessions) await session.run(data, dims);
  const result = [];
  for (let r = 0; r < rounds; r++) {
    const round = [];
    for (const session of sessions) {
      const wall = [];
      const cpu = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        await session.run(data, dims);
        wall.push(performance.now() - started);
        const used = process.cpuUsage(cpuStarted);
        cpu.push((used.user + used.system) / 1000);
      }
      round.push({ wallMs: median(wall), cpuMs: median(cpu) });
    }
    result.push(round);
  }
  for (const session of sessions) await session.release();
  return result;
}

function pythonRounds() {
  const spec = { name: input.name, dims, scale: input.scale, mean: input.mean, std: input.std };
  const args = [path.join(import.meta.dirname, 'variants_ort.py'), '--input-json'];
  args.push(JSON.stringify(spec), '--threads', `${threads}`, '--rounds', `${rounds}`);
  args.push('--runs', `${runs}`, ...files);
  return JSON.parse(execFileSync('python3', args, { encoding: 'utf8' }).trim().split('\n').pop());
}

const round2 = (x) => Math.round(x * 100) / 100;

/** Per file: median wall/CPU ms; per variant (file 1 …): FP32 / variant per round. */
function summarise(byRound) {
  const perFile = files.map((file, f) => ({
    file: path.relative(ROOT, file),
    wallMs: round2(median(byRound.map((r) => r[f].wallMs))),
    cpuMs: round2(median(byRound.map((r) => r[f].cpuMs))),
  }));
  const speedups = files.slice(1).map((file, i) => {
    const ratio = (key) => {
      const each = byRound.map((r) => r[0][key] / r[i + 1][key]);
      return {
        median: round2(median(each)),
        min: round2(Math.min(...each)),
        max: round2(Math.max(...each)),
      };
    };
    return { file: path.relative(ROOT, file), wall: ratio('wallMs'), cpu: ratio('cpuMs') };
  });
  return { perFile, speedupOverFp32: speedups };
}

const loadBefore = loadAverage();
const node = summarise(await nodeRounds());
const python = values['no-python'] ? undefined : pythonRounds();
printReport({
  bench: 'model/variants',
  pack: manifest.id,
  cpu: cpuModel(),
  batch,
  threads,
  rounds,
  runsPerRound: runs,
  loadAverage: { before: loadBefore, after: loadAverage() },
  node,
  ...(python && { python: { onnxruntime: python.onnxruntime, ...summarise(python.rounds) } }),
});
