/**
 * Two builds of the engine side by side in one process (search.mjs --baseline): the same
 * library in each build's index, then new words searched in turn, A B B A …, so both see the
 * same machine load; likewise bare kernel passes (SearchIndex.score of one new vector, no cache).
 * Reports per build wall p50/p90/min and CPU time per query (all threads), each also per photo
 * (ns), the ratios new ÷ old, and whether both builds answered a fixed word with the same hits
 * and scores.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ms, summarise, timeOnce } from '../../lib/timing.mjs';

/**
 * A build's search modules. `dir`: a checkout whose out/node/engine holds a build (e.g. main's,
 * built in a temporary folder), or that engine folder itself. Exits with status 2 when neither
 * has index/search-index.js.
 */
export async function loadBuild(dir) {
  const nested = path.resolve(dir, 'out/node/engine');
  const engine = existsSync(path.join(nested, 'index/search-index.js'))
    ? nested
    : path.resolve(dir);
  if (!existsSync(path.join(engine, 'index/search-index.js'))) {
    console.error(`bench/search/search.mjs: no built engine under ${dir} (out/node/engine)`);
    process.exit(2);
  }
  const load = (file) => import(path.join(engine, file));
  const [{ SearchIndex }, { evaluateQuery }, { parseQuery }] = await Promise.all([
    load('index/search-index.js'),
    load('index/search.js'),
    load('index/query.js'),
  ]);
  return { engine, SearchIndex, evaluateQuery, parseQuery };
}

/**
 * `size` photos in an index of each build (`builds`: { old, new }); `fill(index, size)` fills
 * one, copied into the other through its snapshot region when the two lay chunks out alike.
 * `resolveWord` and `vectorOf(text)` give a word's term and vector (the same in both builds).
 */
export async function alternate(builds, size, { k, d, runs, fill, resolveWord, vectorOf }) {
  const names = Object.keys(builds);
  const indexes = {};
  for (const name of names) {
    const index = new builds[name].SearchIndex(k, d);
    const source = Object.values(indexes)[0];
    if (source && source.bytesPerChunk === index.bytesPerChunk) {
      const region = source.snapshotRegion();
      const target = index.reserve(source.size);
      new Uint8Array(target.buffer, target.offset, target.bytes).set(
        new Uint8Array(region.buffer, region.offset, region.bytes),
      );
      index.adopt([...source.ids], [...source.slots]);
    } else fill(index, size);
    indexes[name] = index;
  }
  const search = (name, text) =>
    builds[name].evaluateQuery(indexes[name], builds[name].parseQuery(text), resolveWord, {
      limit: 50,
    });
  const hitsOf = async (name) =>
    (await search(name, 'fixed')).map((hit) => [hit.photoId, hit.score, hit.why[0]?.row]);
  const answers = await Promise.all(names.map(hitsOf)); // also starts the worker threads
  const sameHits = JSON.stringify(answers[0]) === JSON.stringify(answers[1]);

  const samples = Object.fromEntries(names.map((n) => [n, { word: [], kernel: [] }]));
  for (let r = 0; r < runs + 2; r++) {
    // A B, then B A: neither build always goes first.
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const word = await timeOnce(() => search(name, `alt${r}`));
      const kernel = await timeOnce(() => indexes[name].score([vectorOf(`pass${r}`)]));
      if (r < 2) continue; // warm-up
      samples[name].word.push(word);
      samples[name].kernel.push(kernel);
    }
  }
  await Promise.all(names.map((name) => indexes[name].close()));

  const stats = (list) => {
    const s = summarise(
      list.map((x) => x.wall),
      list.map((x) => x.cpu),
    );
    return { ...s, nsPerPhoto: { wall: perPhoto(s.p50, size), cpu: perPhoto(s.cpuP50, size) } };
  };
  const builtOut = {};
  for (const name of names) {
    builtOut[name] = {
      engine: builds[name].engine,
      newWordMs: stats(samples[name].word),
      kernelMs: stats(samples[name].kernel),
    };
  }
  const [a, b] = names;
  const ratio = (part, field) =>
    Math.round((builtOut[b][part][field] / builtOut[a][part][field]) * 100) / 100;
  return {
    photos: size,
    sameHits,
    ...builtOut,
    [`${b}Over${a[0].toUpperCase()}${a.slice(1)}`]: {
      newWordP50: ratio('newWordMs', 'p50'),
      newWordCpuP50: ratio('newWordMs', 'cpuP50'),
      kernelP50: ratio('kernelMs', 'p50'),
      kernelCpuP50: ratio('kernelMs', 'cpuP50'),
    },
  };
}

/** Nanoseconds per photo of `milliseconds` over `photos` photos. */
const perPhoto = (milliseconds, photos) => ms((milliseconds * 1e6) / photos);
