import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../../src-main/engine/store/catalogue.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import { EmbeddingStore } from '../../../src-main/engine/store/embedding-store.js';
import { PackEmbeddings } from '../../../src-main/engine/index/pack-embeddings.js';
import { loadSearchIndex } from '../../../src-main/engine/index/persisted-index.js';
import { storedPhotos } from '../../helpers/stored-photos.js';
import { tempDir } from '../../helpers/temp.js';

const matrix = (seed: number) => Float32Array.from({ length: 6 }, (_, i) => Math.sin(seed + i));

/** A tiny-pack library (K 2, d 3) of `count` indexed photos p0, p1, … in `dir`. */
const library = (dir: string, count: number) => storedPhotos(dir, count, { k: 2, d: 3, matrix });

describe('pack embeddings', () => {
  it('reuses a freed slot only after a catalogue save without it', async () => {
    const { catalogue, embeddings, photos } = await library(await tempDir(), 3);
    embeddings.drop(photos[0]!);
    catalogue.removePhoto(photos[0]!);
    const fresh: PhotoRecord = {
      ...photos[1]!,
      id: 'new',
      path: '/p/new.jpg',
      embedding: undefined,
    };
    catalogue.addPhoto(fresh);
    await embeddings.put(fresh, matrix(9));
    // Not yet: the saved catalogue still points at slot 0 for p0.
    expect(fresh.embedding?.slot).toBe(3);
    await catalogue.flush();
    const later: PhotoRecord = {
      ...fresh,
      id: 'later',
      path: '/p/later.jpg',
      embedding: undefined,
    };
    catalogue.addPhoto(later);
    await embeddings.put(later, matrix(10));
    expect(later.embedding?.slot).toBe(0);
    await embeddings.close();
  });

  it('reloads the search index and marks photos whose record is damaged', async () => {
    const dir = await tempDir();
    const { catalogue, embeddings, photos } = await library(dir, 3);
    photos[2]!.embedding = { pack: 'tiny', slot: 99 }; // beyond the file: lost
    catalogue.touched();
    await catalogue.flush();
    await embeddings.close();
    const reopened = await Catalogue.open(dir);
    const again = await PackEmbeddings.open(dir, reopened, 'tiny', 2, 3);
    expect(again.searchIndex.size).toBe(2);
    expect(again.needEmbedding.map((p) => p.id)).toEqual(['p2']);
    expect(reopened.photoById('p2')).toMatchObject({ state: 'pending', embedding: undefined });
    await again.close();
  });

  it('compacts into a new generation and deletes the old file after the catalogue names it', async () => {
    const dir = await tempDir();
    const { catalogue, embeddings, photos } = await library(dir, 300);
    for (const photo of photos.slice(0, 280)) {
      embeddings.drop(photo);
      catalogue.removePhoto(photo);
    }
    await catalogue.flush();
    expect(await embeddings.compactIfWorthIt()).toBe(true);
    expect(catalogue.data.embeddingFiles.tiny).toEqual({ generation: 1 });
    expect(await readdir(path.join(dir, 'embeddings'))).toEqual(['tiny@1.aem']);
    const file = EmbeddingStore.fileFor(dir, 'tiny', 1);
    expect((await stat(file)).size).toBe(64 + 20 * embeddings.store.recordBytes);
    for (const [i, photo] of photos.slice(280).entries()) {
      expect(photo.embedding!.slot).toBe(i);
      const back = await embeddings.store.get(photo.embedding!.slot);
      matrix(280 + i).forEach((v, j) => expect(back[j]).toBeCloseTo(v, 3));
    }
    await embeddings.close();
    // The index saved for the new file names the renumbered slots: the next start reads it.
    const bySlot = new Map(photos.slice(280).map((p) => [p.embedding!.slot, p.id]));
    const saved = await loadSearchIndex(file, 2, 3, { count: 20, idOf: (s) => bySlot.get(s) });
    expect([...saved!.slots].sort((a, b) => a - b)).toEqual([...bySlot.keys()]);
    await saved?.close();
    const reopened = await Catalogue.open(dir);
    const again = await PackEmbeddings.open(dir, reopened, 'tiny', 2, 3);
    expect(again.searchIndex.size).toBe(20);
    await again.close();
  });

  it('drops the leftovers of an interrupted compaction', async () => {
    const dir = await tempDir();
    const { embeddings } = await library(dir, 2);
    await embeddings.close();
    await (await EmbeddingStore.open(EmbeddingStore.fileFor(dir, 'tiny', 4), 'tiny', 2, 3)).close();
    await writeFile(`${EmbeddingStore.fileFor(dir, 'tiny', 4)}.index`, 'a leftover index');
    const again = await PackEmbeddings.open(dir, await Catalogue.open(dir), 'tiny', 2, 3);
    // The current file and the search index saved beside it (persisted-index.ts) stay.
    expect((await readdir(path.join(dir, 'embeddings'))).sort()).toEqual([
      'tiny.aem',
      'tiny.aem.index',
    ]);
    expect(again.searchIndex.size).toBe(2);
    await again.close();
  });

  it('keeps a photo dropped while compaction copies the file without a matrix', async () => {
    const dir = await tempDir();
    const { catalogue, embeddings, photos } = await library(dir, 1000);
    for (const photo of photos.slice(0, 600)) {
      embeddings.drop(photo);
      catalogue.removePhoto(photo);
    }
    await catalogue.flush();
    const compacting = embeddings.compactIfWorthIt();
    const next = EmbeddingStore.fileFor(dir, 'tiny', 1);
    while (!existsSync(next)) await new Promise((resolve) => setImmediate(resolve));
    // Its file became unreadable while the records were being copied.
    const failed = photos[999]!;
    embeddings.drop(failed);
    failed.state = 'error';
    expect(await compacting).toBe(true);
    expect(failed.embedding).toBeUndefined();
    expect(photos[998]!.embedding).toEqual({ pack: 'tiny', slot: 398 });
    await catalogue.flush();
    await embeddings.close();
    const again = await PackEmbeddings.open(dir, await Catalogue.open(dir), 'tiny', 2, 3);
    expect(again.searchIndex.size).toBe(399);
    await again.close();
  });
});

describe('pack embeddings across pack updates', () => {
  const MODEL_A = 'a'.repeat(64);
  const MODEL_B = 'b'.repeat(64);

  it('starts over, re-embedding every photo, when the same pack id brings another model', async () => {
    const dir = await tempDir();
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    const first = await PackEmbeddings.open(dir, catalogue, 'tiny', 2, 3, MODEL_A);
    const photo: PhotoRecord = {
      id: 'p0',
      path: '/p/0.jpg',
      size: 1,
      mtimeMs: 1,
      hash: null,
      state: 'indexed',
      tags: [{ label: 'red', score: 1, seen: true, row: 0 }],
    };
    catalogue.addPhoto(photo);
    await first.put(photo, matrix(0));
    await catalogue.flush();
    await first.close();

    const same = await PackEmbeddings.open(dir, await Catalogue.open(dir), 'tiny', 2, 3, MODEL_A);
    expect(same.needEmbedding).toEqual([]);
    await same.close();

    const reopened = await Catalogue.open(dir, { debounceMs: 1 });
    const updated = await PackEmbeddings.open(dir, reopened, 'tiny', 2, 3, MODEL_B);
    expect(updated.needEmbedding.map((p) => p.id)).toEqual(['p0']);
    expect(updated.searchIndex.size).toBe(0);
    expect(reopened.photoById('p0')).toMatchObject({ state: 'pending', tags: photo.tags });
    expect(await readdir(path.join(dir, 'embeddings'))).toEqual(['tiny@1.aem']);
    await updated.close();

    // A new shape (an updated pack with another K) starts over too, instead of failing.
    const reshaped = await PackEmbeddings.open(
      dir,
      await Catalogue.open(dir),
      'tiny',
      3,
      3,
      MODEL_B,
    );
    expect(reshaped.store.k).toBe(3);
    await reshaped.close();
  });

  it("never removes another pack's file whose id looks like a generation", async () => {
    const dir = await tempDir();
    const other = EmbeddingStore.fileFor(dir, 'tiny.g2');
    await (await EmbeddingStore.open(other, 'tiny.g2', 2, 3)).close();
    const { embeddings } = await library(dir, 1);
    await embeddings.close();
    expect(existsSync(other)).toBe(true);
  });
});
