import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  indexFileFor,
  loadSearchIndex,
  saveSearchIndex,
} from '../../../src-main/engine/index/persisted-index.js';
import { SearchIndex } from '../../../src-main/engine/index/search-index.js';
import { EmbeddingStore } from '../../../src-main/engine/store/embedding-store.js';
import { PackEmbeddings } from '../../../src-main/engine/index/pack-embeddings.js';
import { storedPhotos } from '../../helpers/stored-photos.js';
import { tempDir } from '../../helpers/temp.js';

const K = 4;
const D = 10;
const matrix = (seed: number): Float32Array =>
  Float32Array.from({ length: K * D }, (_, i) => Math.sin(seed * 7.1 + i * 1.3));

/** A library (K×D) of `count` indexed photos photo-0, photo-1, … in `dir`, saved lazily. */
const library = (dir: string, count: number) =>
  storedPhotos(dir, count, { k: K, d: D, matrix, id: (i) => `photo-${i}`, debounceMs: 60_000 });

/** Every photo's stored matrix and the scores of a few words, for comparing two indexes. */
async function contents(index: SearchIndex): Promise<unknown> {
  const words = [matrix(100).subarray(0, D), matrix(200).subarray(D, 2 * D)];
  const order = [...index.ids].sort();
  const scores = await index.score(words);
  const byId = (values: ArrayLike<number>) => order.map((id) => values[index.ids.indexOf(id)]);
  return {
    ids: order,
    matrices: order.map((id) => Array.from(index.matrix(id)!)),
    scores: scores.map((s) => [byId(s.scores), byId(s.rows)]),
  };
}

describe('search index saved beside the embeddings', () => {
  it('reopens from the saved index with exactly the rebuilt contents', async () => {
    const dir = await tempDir();
    const { embeddings, catalogue } = await library(dir, 2100); // more than one chunk
    await embeddings.close();
    const store = EmbeddingStore.fileFor(dir, 'tiny');
    const saved = await readFile(indexFileFor(store));
    expect(saved.toString('latin1', 0, 4)).toBe('ASX1');

    const restored = await PackEmbeddings.open(dir, catalogue, 'tiny', K, D);
    const rebuilt = new SearchIndex(K, D);
    for (const photo of catalogue.photos()) {
      rebuilt.set(photo.id, (await restored.store.get(photo.embedding!.slot))!);
    }
    expect(restored.searchIndex.size).toBe(2100);
    expect(await contents(restored.searchIndex)).toEqual(await contents(rebuilt));
    await rebuilt.close();
    await restored.close();
  });

  it('is not used once the embeddings or the photos changed', async () => {
    const dir = await tempDir();
    const { embeddings, photos } = await library(dir, 3);
    await embeddings.close();
    const store = EmbeddingStore.fileFor(dir, 'tiny');
    const ids = new Set(photos.map((p) => p.id));
    const fresh = await loadSearchIndex(store, K, D, ids);
    expect(fresh?.size).toBe(3);
    await fresh?.close();
    // Other photos, another shape: rebuild.
    expect(await loadSearchIndex(store, K, D, new Set(['photo-0', 'photo-1']))).toBeNull();
    expect(await loadSearchIndex(store, K, D + 1, ids)).toBeNull();
    // The embedding file written since (any put changes it): rebuild.
    await appendFile(store, Buffer.alloc(0));
    await writeFile(store, await readFile(store));
    expect(await loadSearchIndex(store, K, D, ids)).toBeNull();
    // A damaged index file: rebuild.
    await writeFile(indexFileFor(store), 'ASX1 not an index');
    expect(await loadSearchIndex(store, K, D, ids)).toBeNull();
  });

  it('is saved again when photos change, and a reopened library sees the change', async () => {
    const dir = await tempDir();
    const { catalogue, embeddings, photos } = await library(dir, 5);
    await embeddings.close();
    const again = await PackEmbeddings.open(dir, catalogue, 'tiny', K, D);
    again.drop(photos[1]!);
    catalogue.removePhoto(photos[1]!);
    await again.put(photos[2]!, matrix(42));
    await catalogue.flush();
    await again.close();
    const third = await PackEmbeddings.open(dir, catalogue, 'tiny', K, D);
    expect(third.searchIndex.has(photos[1]!.id)).toBe(false);
    const expected = new SearchIndex(K, D);
    const stored = await third.store.get(photos[2]!.embedding!.slot);
    expect(Array.from(stored!)).toEqual(Array.from(matrix(42)).map((v) => expect.closeTo(v, 2)));
    expected.set('x', stored!);
    expect(third.searchIndex.matrix(photos[2]!.id)).toEqual(expected.matrix('x'));
    await expected.close();
    await third.close();
  });

  it('saves an empty library and a direct save/load round trip', async () => {
    const dir = await tempDir();
    const store = path.join(dir, 'x.aem');
    await writeFile(store, 'records');
    const index = new SearchIndex(K, D);
    await saveSearchIndex(index, store);
    const loaded = await loadSearchIndex(store, K, D, new Set());
    expect(loaded?.size).toBe(0);
    await loaded?.close();
    await index.close();
  });
});
