import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Catalogue,
  CATALOGUE_FILE,
  PHOTO_TABLE_FILE,
} from '../../../src-main/engine/store/catalogue.js';
import {
  IMPORT_MARKER,
  PRE_TABLE_BACKUP,
} from '../../../src-main/engine/store/catalogue-import.js';
import { CATALOGUE_VERSION } from '../../../src-main/engine/store/catalogue-schema.js';
import { PhotoTable, tagsUnread } from '../../../src-main/engine/store/photo-table.js';
import { photoFound, photoIndexed } from '../../../src-main/engine/store/photo-states.js';
import { tempDir } from '../../helpers/temp.js';
import { v3Catalogue, v3Photo } from '../../helpers/v3-catalogue.js';

describe('photo table', () => {
  it('round-trips every field of a record, in the order records were added', async () => {
    const dir = await tempDir();
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    const records = Array.from({ length: 14 }, (_, i) => v3Photo(i));
    for (const record of records) catalogue.addPhoto(structuredClone(record));
    await catalogue.close();
    const reopened = await Catalogue.open(dir);
    expect(reopened.photos()).toEqual(records);
    expect(reopened.photosWithHash('hash-0').map((p) => p.id)).toEqual(['id-0']);
    await reopened.close();
  });

  it('saves changes, moves, removals and embedding generations; reopens them as left', async () => {
    const dir = await tempDir();
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    const a = photoFound(catalogue, '/p/a.jpg', { size: 1, mtimeMs: 2 });
    const b = photoFound(catalogue, '/p/b.jpg');
    const c = photoFound(catalogue, '/p/c.jpg');
    await catalogue.flush();
    photoIndexed(
      catalogue,
      a,
      { size: 3, mtimeMs: 4, width: 5, height: 6, format: 'png', thumb: true },
      'h',
    );
    catalogue.setTags(a, [{ label: 'dog', score: 0.5, seen: true, row: 1 }]);
    // b takes c's path (c is removed with it), then a new record takes b's old path.
    catalogue.movePhoto(b, '/p/c.jpg');
    const d = photoFound(catalogue, '/p/b.jpg');
    catalogue.setEmbeddingGeneration('starter', 3);
    await catalogue.close();

    const reopened = await Catalogue.open(dir);
    expect(reopened.photos().map((p) => [p.id, p.path])).toEqual([
      [a.id, '/p/a.jpg'],
      [b.id, '/p/c.jpg'],
      [d.id, '/p/b.jpg'],
    ]);
    expect(reopened.photoById(c.id)).toBeUndefined();
    expect(reopened.photoById(a.id)).toEqual(a);
    expect(reopened.embeddingGeneration('starter')).toBe(3);
    expect(reopened.data.embeddingFiles).toEqual({ starter: { generation: 3 } });
    reopened.forgetPackEmbeddings('starter');
    await reopened.close();
    expect((await Catalogue.open(dir)).embeddingGeneration('starter')).toBe(0);
  });

  it('reads tags when first used; a change that leaves them unread keeps them', async () => {
    const dir = await tempDir();
    const first = await Catalogue.open(dir, { debounceMs: 1 });
    for (let i = 0; i < 3; i++) first.addPhoto(structuredClone(v3Photo(i)));
    await first.close();

    const second = await Catalogue.open(dir, { debounceMs: 1 });
    const [a, b] = second.photos();
    expect(tagsUnread(a!)).toBe(true);
    second.updatePhoto(a!, { state: 'pending', width: 7 });
    second.removePhoto(b!);
    await second.flush();
    expect(tagsUnread(a!)).toBe(true);
    // A removed record keeps its tags, read before its row went.
    expect(b!.tags).toEqual(v3Photo(1).tags);
    await second.close();

    const third = await Catalogue.open(dir);
    expect(third.photoById('id-0')).toEqual({ ...v3Photo(0), state: 'pending', width: 7 });
    expect(third.photoById('id-1')).toBeUndefined();
    await third.close();
  });

  it('writes only the records changed since the last save', async () => {
    const dir = await tempDir();
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    for (let i = 0; i < 500; i++) catalogue.addPhoto(v3Photo(i));
    await catalogue.flush();
    expect(catalogue.lastSaveRecords).toBe(500);
    catalogue.setTags(catalogue.photoById('id-9')!, []);
    catalogue.removePhoto(catalogue.photoById('id-10')!);
    await catalogue.flush();
    expect(catalogue.lastSaveRecords).toBe(2);
    await catalogue.close();
    const reopened = await Catalogue.open(dir);
    expect(reopened.photos()).toHaveLength(499);
    expect(reopened.photoById('id-9')?.tags).toEqual([]);
    await reopened.close();
  });

  it('refuses an unreadable photo table with STORE_CORRUPT, leaving it as it was', async () => {
    const dir = await tempDir();
    const garbage = 'not a database '.repeat(400);
    await writeFile(path.join(dir, PHOTO_TABLE_FILE), garbage);
    await expect(Catalogue.open(dir)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await readFile(path.join(dir, PHOTO_TABLE_FILE), 'utf8')).toBe(garbage);
  });

  it('never writes back a record removed before its change was saved', async () => {
    const dir = await tempDir();
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    const a = photoFound(catalogue, '/p/a.jpg');
    await catalogue.flush();
    catalogue.removePhoto(a);
    catalogue.updatePhoto(a, { state: 'error' });
    await catalogue.close();
    const table = PhotoTable.open(dir);
    expect(table.count()).toBe(0);
    table.close();
  });
});

describe('a catalogue from before the photo table (schemaVersion 3)', () => {
  it('is moved into the table on open, keeping every record, setting and a backup', async () => {
    const dir = await tempDir();
    const original = JSON.stringify(v3Catalogue(300), null, 2);
    await writeFile(path.join(dir, CATALOGUE_FILE), original);
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });

    expect(catalogue.loadReport.imported).toEqual({
      imported: 300,
      duplicates: 0,
      backup: path.join(dir, PRE_TABLE_BACKUP),
    });
    const v3 = v3Catalogue(300);
    expect(catalogue.photos()).toEqual(v3.photos);
    expect(catalogue.embeddingGeneration('starter')).toBe(2);
    expect(catalogue.folders()).toEqual(v3.folders);
    expect(catalogue.activePack).toBe('starter');
    expect(catalogue.setting('runtime')).toBe('cpu');
    expect(catalogue.vocabulary).toEqual(v3.vocabulary);
    expect(await readFile(path.join(dir, PRE_TABLE_BACKUP), 'utf8')).toBe(original);
    const written = JSON.parse(await readFile(path.join(dir, CATALOGUE_FILE), 'utf8'));
    expect(written).toMatchObject({ schemaVersion: CATALOGUE_VERSION, photos: [] });
    expect(written.embeddingFiles).toEqual({});
    await catalogue.close();

    // Opened again: nothing more to move, nothing lost or doubled.
    const again = await Catalogue.open(dir);
    expect(again.loadReport.imported).toBeUndefined();
    expect(again.photos()).toEqual(v3.photos);
    await again.close();
  });

  it('keeps one record per path, the better-informed one', async () => {
    const dir = await tempDir();
    const v3 = v3Catalogue(3);
    const twin = { ...v3Photo(0), id: 'twin', state: 'pending', tags: [] };
    v3.photos = [twin, ...(v3.photos as unknown[])];
    await writeFile(path.join(dir, CATALOGUE_FILE), JSON.stringify(v3));
    const catalogue = await Catalogue.open(dir);
    expect(catalogue.photos().map((p) => p.id)).toEqual(['id-0', 'id-1', 'id-2']);
    expect(catalogue.loadReport.imported?.duplicates).toBe(1);
    await catalogue.close();
  });

  it('is not imported twice: a stale v3 copy (the .bak) never overwrites newer records', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, CATALOGUE_FILE), JSON.stringify(v3Catalogue(20)));
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    catalogue.setTags(catalogue.photoById('id-1')!, []);
    catalogue.removePhoto(catalogue.photoById('id-2')!);
    await catalogue.close();
    // The main file is damaged: the backup, still the v3 file with its photos, is read.
    await writeFile(path.join(dir, CATALOGUE_FILE), '{"torn":');
    const recovered = await Catalogue.open(dir);
    expect(recovered.loadReport.recoveredFrom).toBe(path.join(dir, `${CATALOGUE_FILE}.bak`));
    expect(recovered.loadReport.imported?.imported).toBe(0);
    expect(recovered.photoById('id-1')?.tags).toEqual([]);
    expect(recovered.photoById('id-2')).toBeUndefined();
    expect(recovered.photos()).toHaveLength(19);
    const table = PhotoTable.open(dir);
    expect(JSON.parse(table.meta(IMPORT_MARKER)!)).toMatchObject({ imported: 20 });
    table.close();
    await recovered.close();
  });
});
