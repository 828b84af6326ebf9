import { appendFile, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  indexFileFor,
  loadSearchIndex,
  saveSearchIndex,
  type ExpectedPhotos,
} from '../../../src-main/engine/index/persisted-index.js';
import { SearchIndex } from '../../../src-main/engine/index/search-index.js';
import { EmbeddingStore } from '../../../src-main/engine/store/embedding-store.js';
import { PackEmbeddings } from '../../../src-main/engine/index/pack-embeddings.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
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

/** What the catalogue knows of `photos`: how many, and which is in each embedding slot. */
function expectedOf(photos: readonly PhotoRecord[]): ExpectedPhotos {
  const bySlot = new Map(photos.map((p) => [p.embedding!.slot, p.id]));
  return { count: photos.length, idOf: (slot) => bySlot.get(slot) };
}

interface SavedHeader {
  idsAt: number;
  slotsAt: number;
  dataAt: number;
  dataBytes: number;
}

/** The saved index's header (persisted-index.ts): where the ids, slots and chunks lie. */
async function headerOf(file: string): Promise<SavedHeader> {
  const bytes = await readFile(file);
  return JSON.parse(bytes.toString('utf8', 8, 8 + bytes.readUInt32LE(4))) as never;
}

/** Rewrites `file` with `change` applied to its bytes. */
async function damage(file: string, change: (bytes: Buffer) => void): Promise<void> {
  const bytes = await readFile(file);
  change(bytes);
  await writeFile(file, bytes);
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
    const ids = expectedOf(photos);
    const fresh = await loadSearchIndex(store, K, D, ids);
    expect(fresh?.size).toBe(3);
    const slotOf = (id: string) => photos.find((p) => p.id === id)?.embedding?.slot;
    expect(fresh?.slots).toEqual(fresh?.ids.map(slotOf));
    await fresh?.close();
    // Other photos, another shape: rebuild.
    expect(await loadSearchIndex(store, K, D, expectedOf(photos.slice(0, 2)))).toBeNull();
    expect(await loadSearchIndex(store, K, D + 1, ids)).toBeNull();
    // As many photos, one of them another (found while the chunks stream in: they are dropped).
    const other = photos.map((p, i) => (i === 2 ? { ...p, id: 'photo-9' } : p));
    expect(await loadSearchIndex(store, K, D, expectedOf(other))).toBeNull();
    // The same photos, two of them in each other's slots.
    const swapped = photos.map((p, i) =>
      i < 2 ? { ...p, embedding: photos[1 - i]!.embedding } : p,
    );
    expect(await loadSearchIndex(store, K, D, expectedOf(swapped))).toBeNull();
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
    const loaded = await loadSearchIndex(store, K, D, expectedOf([]));
    expect(loaded?.size).toBe(0);
    await loaded?.close();
    // A photo set without a slot cannot be matched to a record: not used.
    index.set('a', matrix(1));
    await saveSearchIndex(index, store);
    expect(await loadSearchIndex(store, K, D, { count: 1, idOf: () => 'a' })).toBeNull();
    await index.close();
  });

  it('is not trusted when damaged or cut short: the library rebuilds it and saves it again', async () => {
    const dir = await tempDir();
    const { catalogue, embeddings, photos } = await library(dir, 2100);
    await embeddings.close();
    const store = EmbeddingStore.fileFor(dir, 'tiny');
    const file = indexFileFor(store);
    const ids = expectedOf(photos);
    const good = await readFile(file);
    const reference = await loadSearchIndex(store, K, D, ids);
    expect(reference?.size).toBe(2100);
    const { idsAt, slotsAt, dataAt, dataBytes } = await headerOf(file);

    // One bit of one matrix, in the middle of the chunks.
    await damage(file, (bytes) => void (bytes[dataAt + Math.floor(dataBytes / 2)]! ^= 1));
    expect(await loadSearchIndex(store, K, D, ids)).toBeNull();
    // Two photos' ids and slots swapped: each consistent with the catalogue, on the other's rows.
    await writeFile(file, good);
    await damage(file, (bytes) => {
      const text = bytes.toString('latin1', idsAt, idsAt + 20); // "photo-0\nphoto-1\nphoto-2"
      expect(text.startsWith('photo-0\nphoto-1\n')).toBe(true);
      bytes.write('photo-1\nphoto-0\n', idsAt, 'latin1');
      const [first, second] = [bytes.readUInt32LE(slotsAt), bytes.readUInt32LE(slotsAt + 4)];
      bytes.writeUInt32LE(second, slotsAt);
      bytes.writeUInt32LE(first, slotsAt + 4);
    });
    expect(await loadSearchIndex(store, K, D, ids)).toBeNull();
    // A header that cuts the chunks into 0-byte pieces (the header has no CRC of its own).
    await writeFile(file, good);
    await damage(file, (bytes) => {
      const at = bytes.indexOf('"pieceBytes":4194304');
      expect(at).toBeGreaterThan(0);
      bytes.write('"pieceBytes":0      ', at, 'latin1'); // the same length
    });
    expect(await loadSearchIndex(store, K, D, ids)).toBeNull();
    // The last byte cut off.
    await writeFile(file, good);
    await truncate(file, good.length - 1);
    expect(await loadSearchIndex(store, K, D, ids)).toBeNull();

    // Opening the library rebuilds the index from the embeddings, then saves it whole again.
    const rebuilt = await PackEmbeddings.open(dir, catalogue, 'tiny', K, D);
    expect(await contents(rebuilt.searchIndex)).toEqual(await contents(reference!));
    await rebuilt.close();
    expect((await readFile(file)).length).toBe(good.length); // the cut-short file was replaced
    const again = await loadSearchIndex(store, K, D, ids);
    expect(await contents(again!)).toEqual(await contents(reference!));
    await again?.close();
    await reference?.close();
  });
});
