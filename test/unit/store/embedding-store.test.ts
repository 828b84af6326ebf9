import { readFile, stat, truncate, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue, CATALOGUE_FILE } from '../../../src-main/engine/store/catalogue.js';
import { EmbeddingStore } from '../../../src-main/engine/store/embedding-store.js';
import { tempDir } from '../../helpers/temp.js';

const photo = (id: string) => ({
  id,
  path: `/photos/${id}.jpg`,
  size: 1,
  mtimeMs: 1,
  hash: null,
  state: 'indexed' as const,
  tags: [{ label: 'cat', score: 0.5, seen: true, row: 0 }],
});

/**
 * A catalogue saved twice: folder /a with photo a, then folder /b with photo b. The JSON
 * document holds the folders (photo records live in the photo table). Returns its folder.
 */
async function twoSaves(): Promise<string> {
  const dir = await tempDir();
  const catalogue = await Catalogue.open(dir, { debounceMs: 5 });
  catalogue.addFolder('/a');
  catalogue.addPhoto(photo('a'));
  await catalogue.flush();
  catalogue.addFolder('/b');
  catalogue.addPhoto(photo('b'));
  await catalogue.flush();
  return dir;
}

describe('catalogue', () => {
  it('saves atomically and keeps the last good copy', async () => {
    const dir = await twoSaves();
    const saved = JSON.parse(await readFile(path.join(dir, CATALOGUE_FILE), 'utf8'));
    const backup = JSON.parse(await readFile(path.join(dir, `${CATALOGUE_FILE}.bak`), 'utf8'));
    expect(saved.folders.map((f: { path: string }) => f.path)).toEqual(['/a', '/b']);
    expect(backup.folders.map((f: { path: string }) => f.path)).toEqual(['/a']);
    const reopened = await Catalogue.open(dir);
    expect(reopened.photos().map((p) => p.id)).toEqual(['a', 'b']);
    expect(reopened.photoByPath('/photos/b.jpg')?.tags[0]?.label).toBe('cat');
  });

  it('recovers from a torn file using the backup, and says so', async () => {
    const dir = await twoSaves();
    const file = path.join(dir, CATALOGUE_FILE);
    await truncate(file, (await stat(file)).size - 10);
    const recovered = await Catalogue.open(dir);
    expect(recovered.loadReport.recoveredFrom).toBe(`${file}.bak`);
    expect(recovered.folders().map((f) => f.path)).toEqual(['/a']);
    // The photo records are in the photo table, untouched by the document's damage.
    expect(recovered.photos().map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('refuses to start over when both copies are unreadable', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, CATALOGUE_FILE), '{"schemaVersion": 1, "photos": [');
    await writeFile(path.join(dir, `${CATALOGUE_FILE}.bak`), 'garbage');
    await expect(Catalogue.open(dir)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await readFile(path.join(dir, CATALOGUE_FILE), 'utf8')).toContain('"photos": [');
  });

  it('refuses a catalogue from a newer Anytag', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, CATALOGUE_FILE), JSON.stringify({ schemaVersion: 99 }));
    await expect(Catalogue.open(dir)).rejects.toThrow(/schemaVersion 99 is newer/);
  });
});

describe('embedding store', () => {
  const matrix = (seed: number) => Float32Array.from({ length: 6 }, (_, i) => Math.sin(seed + i));

  it('round-trips matrices through float16 records', async () => {
    const file = path.join(await tempDir(), 'e.aem');
    const store = await EmbeddingStore.open(file, 'pack-a', 2, 3);
    const a = await store.put(matrix(1));
    const b = await store.put(matrix(2));
    expect([a, b]).toEqual([0, 1]);
    await store.close();
    const reopened = await EmbeddingStore.open(file, 'pack-a', 2, 3);
    expect(reopened.slots).toBe(2);
    const back = await reopened.get(1);
    matrix(2).forEach((v, i) => expect(back[i]).toBeCloseTo(v, 3));
    await reopened.close();
  });

  it('detects a damaged record by its checksum and ignores a torn tail', async () => {
    const file = path.join(await tempDir(), 'e.aem');
    const store = await EmbeddingStore.open(file, 'pack-a', 2, 3);
    await store.put(matrix(1));
    await store.put(matrix(2));
    await store.close();
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from([0xff, 0xff]), 0, 2, 64 + 4 + 2); // inside record 0's payload
    await handle.close();
    await truncate(file, (await stat(file)).size - 3); // record 1 cut short
    const reopened = await EmbeddingStore.open(file, 'pack-a', 2, 3);
    expect(reopened.slots).toBe(1);
    await expect(reopened.get(0)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await reopened.close();
  });

  it('refuses a file made for another pack or shape', async () => {
    const file = path.join(await tempDir(), 'e.aem');
    await (await EmbeddingStore.open(file, 'pack-a', 2, 3)).close();
    await expect(EmbeddingStore.open(file, 'pack-b', 2, 3)).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
    await expect(EmbeddingStore.open(file, 'pack-a', 3, 3)).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
  });

  it('starts over a file that a crash left shorter than its header (no record was in it)', async () => {
    const file = path.join(await tempDir(), 'e.aem');
    await writeFile(file, Buffer.from('AEM1'));
    const store = await EmbeddingStore.open(file, 'pack-a', 2, 3);
    expect(store.slots).toBe(0);
    expect(await store.put(matrix(1))).toBe(0);
    await store.close();
    const reopened = await EmbeddingStore.open(file, 'pack-a', 2, 3);
    expect(reopened.slots).toBe(1);
    await reopened.close();
  });
});
