// Cost of "an acknowledgement means on disk": label edits through the API on a catalogue of
// N photos (synthetic records), one at a time and in bursts of 20, with the time until each
// edit is acknowledged. Prints JSON.
// Usage: node bench/store/acknowledged-edits.mjs [photos] [--embedded]
// --embedded: each photo also gets a stored matrix (random, fixed seed) and the library is
// calibrated once before measuring, so every label edit re-tags the library as in real use
// (without it the search index is empty and an edit only saves the vocabulary).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api } from '../../out/node/engine/api/api.js';
import { Engine } from '../../out/node/engine/engine.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const embedded = args.includes('--embedded');
const photos = Number(args.find((a) => !a.startsWith('--')) ?? 20000);
const dir = await mkdtemp(path.join(os.tmpdir(), 'anytag-bench-'));
const engine = await Engine.open({ dataDir: dir, packRoots: [path.join(root, 'resources/packs')] });
for (let i = 0; i < photos; i++) {
  engine.catalogue.addPhoto({
    id: `p${i}`,
    path: `/photos/roll-${i % 50}/IMG_${i}.jpg`,
    size: 2_000_000 + i,
    mtimeMs: 1.7e12 + i,
    hash: `${i.toString(16).padStart(16, '0')}`,
    state: 'indexed',
    tags: [{ label: 'dog', score: 0.31, seen: true, row: 3 }],
  });
}
await engine.catalogue.flush();
const api = new Api(engine);
if (embedded) {
  const { pack, embeddings } = await engine.activePack();
  const { k, d } = pack.manifest.output;
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  for (const photo of engine.catalogue.photos()) {
    const matrix = new Float32Array(k * d);
    for (let i = 0; i < matrix.length; i++) matrix[i] = next() * 0.2;
    await embeddings.put(photo, matrix);
  }
  await api.call('recalibrate', {});
  await engine.catalogue.flush();
}
const words = (await api.call('suggest', { prefix: 'ma', limit: 100 })).suggestions
  .filter((s) => s.kind === 'word')
  .map((s) => s.text);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const one = [];
for (const text of words.slice(0, 10)) {
  const t = performance.now();
  await api.call('addLabel', { text });
  one.push(performance.now() - t);
}
const burst = words.slice(10, 30);
const t = performance.now();
await Promise.all(burst.map((text) => api.call('addLabel', { text })));
const burstMs = performance.now() - t;
await engine.close();
await rm(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    photos,
    embedded,
    singleEditMedianMs: Math.round(median(one)),
    burstOf20Ms: Math.round(burstMs),
    lastSaveMs: Math.round(engine.catalogue.lastSaveMs),
  }),
);
