#!/usr/bin/env node
// Proves each onnxruntime execution provider on this machine with the starter pack's model:
// which providers start, what `auto` picks (and what it fell back from), images/s at batch 1 and
// 8, and the largest difference from the CPU provider's output. Prints one JSON document.
//
//   node bench/gpu/providers.mjs [--model resources/packs/starter/model.onnx] [--inputs file.f32]
//
// Without --inputs it decodes ../shared/reference/photos with the pack's preprocessing (sharp);
// with --inputs it reads [n, 3, 224, 224] float32 made by --write-inputs (for a machine with no
// sharp, such as the GPU box).
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: path.join(root, 'resources/packs/starter/model.onnx') },
    inputs: { type: 'string' },
    'write-inputs': { type: 'string' },
    engine: { type: 'string', default: path.join(root, 'out/node/engine') },
  },
});
const { ModelSession } = await import(path.join(values.engine, 'model/session.js'));
const output = { name: 'embedding', k: 16, d: 100, order: 'kd' };
const size = 224;
const perImage = 3 * size * size;

async function decodePhotos() {
  const { decodeForModel } = await import(path.join(values.engine, 'image/decode.js'));
  const { toBatch } = await import(path.join(values.engine, 'model/preprocess.js'));
  const pack = JSON.parse(readFileSync(path.join(path.dirname(values.model), 'pack.json'), 'utf8'));
  const dir = path.join(root, '../shared/reference/photos');
  const files = readdirSync(dir).sort().slice(0, 8);
  const images = await Promise.all(files.map((f) => decodeForModel(path.join(dir, f), pack.input)));
  return toBatch(
    images.map((i) => i.rgb),
    pack.input,
  ).pixels;
}

const pixels = values.inputs
  ? new Float32Array(readFileSync(values.inputs).buffer.slice(0))
  : await decodePhotos();
if (values['write-inputs']) {
  writeFileSync(values['write-inputs'], Buffer.from(pixels.buffer));
  process.exit(0);
}
const n = pixels.length / perImage;

async function measure(session) {
  const batch = (count) => [pixels.subarray(0, count * perImage), [count, 3, size, size]];
  const out8 = await session.run(...batch(n)); // warm-up, and the output to compare
  const rate = async (count, repeats) => {
    const started = performance.now();
    for (let r = 0; r < repeats; r++) await session.run(...batch(count));
    return (count * repeats) / ((performance.now() - started) / 1000);
  };
  await session.run(...batch(1));
  return { out: out8, batch1: await rate(1, 20), batch8: await rate(n, 5) };
}

const report = { images: n, providers: {} };
let reference;
for (const provider of ['cpu', 'cuda', 'webgpu']) {
  try {
    const session = await ModelSession.create(
      values.model,
      { inputName: 'image', output },
      { provider },
    );
    if (session.provider !== provider) {
      report.providers[provider] = {
        started: false,
        fellBackTo: session.provider,
        why: session.fallbacks,
      };
      await session.release();
      continue;
    }
    const { out, batch1, batch8 } = await measure(session);
    reference ??= out;
    let maxDiff = 0;
    let maxAbs = 0;
    for (let i = 0; i < out.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(out[i] - reference[i]));
      maxAbs = Math.max(maxAbs, Math.abs(reference[i]));
    }
    report.providers[provider] = {
      started: true,
      imagesPerSecondBatch1: Math.round(batch1 * 10) / 10,
      imagesPerSecondBatch8: Math.round(batch8 * 10) / 10,
      maxAbsDiffFromCpu: maxDiff,
      relativeDiff: maxAbs ? maxDiff / maxAbs : 0,
    };
    await session.release();
  } catch (error) {
    report.providers[provider] = {
      started: false,
      error: String(error.message ?? error).split('\n')[0],
    };
  }
}
const auto = await ModelSession.create(
  values.model,
  { inputName: 'image', output },
  { provider: 'auto' },
);
report.auto = { chosen: auto.provider, fellBackFrom: auto.fallbacks };
await auto.release();
console.log(JSON.stringify(report, null, 2));
