import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../../src-main/engine/store/catalogue.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import { EmbeddingStore } from '../../../src-main/engine/store/embedding-store.js';
import { PackEmbeddings } from '../../../src-main/engine/store/pack-embeddings.js';
import { tempDir } from '../../helpers/temp.js';

const matrix = (seed: number) => Float32Array.from({ length: 6 }, (_, i) => Math.sin(seed + i));

async function library(dir: string, count: number) {
  const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
  const embeddings = await PackEmbeddings.open(dir, catalogue, 'tiny', 2, 3);
  const photos: PhotoRecord[] = [];
  for (let i = 0; i < count; i++) {
    const photo: PhotoRecord = {
      id: `p${i}`,
      path: `/p/${i}.jpg`,
      size: 1,
      mtimeMs: 1,
      hash: null,
      state: 'indexed',
      tags: [],
    };
    catalogue.addPhoto(photo);
    await embeddings.put(photo, matrix(i));
    photos.push(photo);
  }
  await catalogue.flush();
  return { catalogue, embeddings, photos };
}

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
    expect(await readdir(path.join(dir, 'embeddings'))).toEqual(['tiny.g1.aem']);
    const file = EmbeddingStore.fileFor(dir, 'tiny', 1);
    expect((await stat(file)).size).toBe(64 + 20 * embeddings.store.recordBytes);
    for (const [i, photo] of photos.slice(280).entries()) {
      expect(photo.embedding!.slot).toBe(i);
      const back = await embeddings.store.get(photo.embedding!.slot);
      matrix(280 + i).forEach((v, j) => expect(back[j]).toBeCloseTo(v, 3));
    }
    await embeddings.close();
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
    const again = await PackEmbeddings.open(dir, await Catalogue.open(dir), 'tiny', 2, 3);
    expect(await readdir(path.join(dir, 'embeddings'))).toEqual(['tiny.aem']);
    expect(again.searchIndex.size).toBe(2);
    await again.close();
  });
});
