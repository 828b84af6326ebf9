/**
 * The photo table beside the rest of the catalogue: fields added to the record after the table's
 * layout still round-trip, and a catalogue opened read-only reads the table (or a v3 file's
 * records) without writing anything.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Catalogue,
  CATALOGUE_FILE,
  PHOTO_TABLE_FILE,
} from '../../../src-main/engine/store/catalogue.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import { tempDir } from '../../helpers/temp.js';
import { v3Catalogue, v3Photo } from '../../helpers/v3-catalogue.js';

describe('photo table fields', () => {
  it('round-trips `damaged`, `meta`, `written` (fields without a column of their own)', async () => {
    const dir = await tempDir();
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    const damaged: PhotoRecord = { ...v3Photo(0), damaged: 'truncated after 812 rows' };
    // Fields without a column of their own (kept in the row's JSON column): the photo's metadata
    // and what was written back into it.
    const later: PhotoRecord = {
      ...v3Photo(1),
      meta: {
        takenAt: '2026-05-01T10:00:00',
        takenFrom: 'original',
        make: 'Canon',
        gps: { latitude: 48.1, longitude: 11.5 },
        keywords: ['holiday'],
      },
      written: { target: '/photos/0/p1.jpg.xmp', keywords: ['cat'], flat: ['cat'], at: 't' },
    };
    catalogue.addPhoto(structuredClone(damaged));
    catalogue.addPhoto(structuredClone(later));
    catalogue.addPhoto(structuredClone(v3Photo(2)));
    await catalogue.close();

    const reopened = await Catalogue.open(dir, { debounceMs: 1 });
    expect(reopened.photos()).toEqual([damaged, later, v3Photo(2)]);
    // Cleared fields stay cleared.
    reopened.updatePhoto(reopened.photoById('id-0')!, { damaged: undefined });
    await reopened.close();
    const third = await Catalogue.open(dir);
    expect(third.photoById('id-0')).toEqual(v3Photo(0));
    expect('damaged' in third.photoById('id-0')!).toBe(false);
    await third.close();
  });
});

describe('a catalogue opened read-only', () => {
  it('reads the photo table and never saves', async () => {
    const dir = await tempDir();
    const writer = await Catalogue.open(dir, { debounceMs: 1 });
    for (let i = 0; i < 5; i++) writer.addPhoto(structuredClone(v3Photo(i)));
    writer.setEmbeddingGeneration('starter', 4);
    await writer.close();
    const table = await readFile(path.join(dir, PHOTO_TABLE_FILE));

    const reader = await Catalogue.open(dir, { readOnly: true, debounceMs: 1 });
    expect(reader.readOnly).toBe(true);
    expect(reader.photos()).toEqual(Array.from({ length: 5 }, (_, i) => v3Photo(i)));
    expect(reader.embeddingGeneration('starter')).toBe(4);
    reader.removePhoto(reader.photoById('id-0')!);
    await reader.close();
    expect(await readFile(path.join(dir, PHOTO_TABLE_FILE))).toEqual(table);
    const after = await Catalogue.open(dir);
    expect(after.photoById('id-0')).toBeDefined();
    await after.close();
  });

  it('reads a v3 file’s records into memory, leaving the folder as it was', async () => {
    const dir = await tempDir();
    const original = JSON.stringify(v3Catalogue(30));
    await writeFile(path.join(dir, CATALOGUE_FILE), original);

    const reader = await Catalogue.open(dir, { readOnly: true });
    expect(reader.photos()).toEqual(v3Catalogue(30).photos);
    expect(reader.embeddingGeneration('starter')).toBe(2);
    await reader.close();
    expect(await readdir(dir)).toEqual([CATALOGUE_FILE]);
    expect(await readFile(path.join(dir, CATALOGUE_FILE), 'utf8')).toBe(original);
  });
});
