/**
 * Photo metadata end to end, on the real engine (tiny pack, in-process indexing): photos whose
 * dates, cameras and keywords were written by exiftool are indexed; capture-time filters and
 * order, camera/lens/rating/keyword filters, own keywords in search and as thumbs-up; a v3
 * library gains metadata without the model; export.
 */
import { copyFile, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { PHOTO_TABLE_FILE } from '../../../src-main/engine/store/catalogue.js';
import { CATALOGUE_VERSION } from '../../../src-main/engine/store/catalogue-schema.js';
import { cameraArgs, exiftoolWrite, plainImage } from '../../helpers/exiftool-fixture.js';
import { openTinyEngine, tinyLibrary, type TinyLibrary } from '../../helpers/engine-fixture.js';

describe('photo metadata in the library', () => {
  let lib: TinyLibrary;
  let root: string;
  let photos: string;
  let engine: Engine;
  let api: Api;

  const open = async () => {
    ({ engine, api } = await openTinyEngine(lib));
  };

  beforeAll(async () => {
    lib = await tinyLibrary();
    ({ root, photos } = lib);
    // Taken in 2009 and 2022, copied today: their files are new, their capture times are not.
    const old = await plainImage(path.join(root, 'old.jpg'), 'jpeg', [250, 10, 10]);
    await exiftoolWrite(old, cameraArgs('2009:05:06 07:08:09', ['heron', 'Paris', 'blue']));
    const recent = await plainImage(path.join(root, 'recent.jpg'), 'jpeg', [10, 250, 10]);
    await exiftoolWrite(recent, [
      '-DateTimeOriginal=2022:07:08 09:10:11',
      '-Make=NIKON CORPORATION',
      '-Model=NIKON D750',
      '-LensModel=AF-S 24-120mm f/4G',
      '-XMP-xmp:Rating=2',
    ]);
    await copyFile(old, path.join(photos, 'old.jpg'));
    await copyFile(recent, path.join(photos, 'recent.jpg'));
    await plainImage(path.join(photos, 'plain.png'), 'png', [10, 10, 250]);
    await open();
    await api.call('indexPaths', { paths: [photos] });
  });

  afterAll(async () => {
    await engine.close();
  });

  const search = async (query: string) =>
    (await api.call('search', { query, matchedOnly: true })).hits
      .map((h) => path.basename(h.path))
      .sort();

  it('stores capture time with its source, camera, lens and exposure', async () => {
    const { photos: page } = await api.call('listPhotos', {});
    const old = page.find((p) => p.path.endsWith('old.jpg'))!;
    expect(old.meta).toMatchObject({
      takenAt: '2009-05-06T07:08:09.123+02:00',
      takenFrom: 'original',
      make: 'Canon',
      model: 'Canon EOS 5D',
      lens: 'EF 50mm f/1.8 II',
      exposureTime: 0.004,
      keywords: ['heron', 'Paris', 'blue'],
    });
    expect(old.size).toBeGreaterThan(0);
    expect(page.find((p) => p.path.endsWith('plain.png'))!.meta!.takenFrom).toBe('file');
  });

  it('filters and sorts by capture time, not by file time', async () => {
    expect(await search('before:2010-01-01')).toEqual(['old.jpg']);
    expect(await search('before:2023-01-01')).toEqual(['old.jpg', 'recent.jpg']);
    expect(await search('after:2026-01-01')).toEqual(['plain.png']);
    // A touch moves the file time, not the photo.
    const now = new Date();
    await utimes(path.join(photos, 'old.jpg'), now, now);
    const order = async (sort: 'taken-desc' | 'taken-asc' | 'name' | 'modified') =>
      (await api.call('listPhotos', { sort })).photos.map((p) => path.basename(p.path));
    expect(await order('taken-desc')).toEqual(['plain.png', 'recent.jpg', 'old.jpg']);
    expect(await order('taken-asc')).toEqual(['old.jpg', 'recent.jpg', 'plain.png']);
    expect(await order('name')).toEqual(['old.jpg', 'plain.png', 'recent.jpg']);
  });

  it('filters by camera, lens, rating and keyword', async () => {
    expect(await search('camera:nikon')).toEqual(['recent.jpg']);
    expect(await search('camera:"eos 5d"')).toEqual(['old.jpg']);
    expect(await search('lens:24-120')).toEqual(['recent.jpg']);
    expect(await search('rating:4')).toEqual(['old.jpg']);
    expect(await search('rating:2+')).toEqual(['old.jpg', 'recent.jpg']);
    expect(await search('rating:0')).toEqual(['plain.png']);
    expect(await search('keyword:heron')).toEqual(['old.jpg']);
    await expect(api.call('search', { query: 'rating:9' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('finds keywords written by exiftool as the user’s own tags', async () => {
    // "heron" is not in the tiny pack's word table: only the keyword knows it.
    expect(await search('heron')).toEqual(['old.jpg']);
    // "blue" is a label: the blue photo by its pixels, the red one by its keyword.
    expect(await search('blue')).toEqual(['old.jpg', 'plain.png']);
    await expect(api.call('search', { query: 'qqqzzz' })).rejects.toMatchObject({
      code: 'UNKNOWN_WORD',
    });
  });

  it('counts a keyword as a thumbs-up for the label it names', async () => {
    const { tags } = await api.call('photoTags', { photo: path.join(photos, 'old.jpg') });
    expect(tags.find((t) => t.label === 'blue')).toMatchObject({ vote: 'up' });
    expect(tags.map((t) => t.label)).toContain('red');
  });

  it('exports every photo’s tags and keywords as CSV and JSON', async () => {
    const csv = await api.call('exportTags', { format: 'csv' });
    expect(csv.photos).toBe(3);
    const lines = csv.content.trim().split('\r\n');
    expect(lines[0]).toBe('path,taken_at,taken_from,camera,lens,rating,tags,keywords');
    const oldRow = lines.find((l) => l.includes('old.jpg'))!;
    expect(oldRow).toContain('2009-05-06T07:08:09.123+02:00,original,Canon Canon EOS 5D');
    expect(oldRow).toContain('heron; Paris; blue');
    const json = JSON.parse((await api.call('exportTags', { format: 'json' })).content);
    expect(json.map((r: { path: string }) => path.basename(r.path))).toEqual([
      'old.jpg',
      'plain.png',
      'recent.jpg',
    ]);
  });

  it('reads metadata for a library indexed before v4 without running the model', async () => {
    // A v3 catalogue.json held every photo record: write the records back into it, as one did,
    // and take the photo table away.
    const data = JSON.parse(JSON.stringify(engine.catalogue.data));
    await engine.close();
    const file = path.join(root, 'data', 'catalogue.json');
    for (const suffix of ['', '-wal', '-shm']) {
      await rm(path.join(root, 'data', `${PHOTO_TABLE_FILE}${suffix}`), { force: true });
    }
    const before = data.photos.map((p: { hash: string; embedding: unknown }) => [
      p.hash,
      p.embedding,
    ]);
    data.schemaVersion = 3;
    for (const photo of data.photos) delete photo.meta;
    await writeFile(file, JSON.stringify(data));
    await open();
    const indexed: number[] = [];
    engine.libraryEvents.on('indexProgress', (p) => indexed.push(p.indexed));
    const library = await engine.library();
    expect(await library.metadataSettled()).toBe(3);
    expect(indexed.filter((n) => n > 0)).toEqual([]);
    const records = engine.catalogue.photos();
    expect(records.map((p) => [p.hash, p.embedding])).toEqual(before);
    expect(records.find((p) => p.path.endsWith('recent.jpg'))!.meta).toMatchObject({
      takenAt: '2022-07-08T09:10:11',
      model: 'NIKON D750',
      rating: 2,
    });
    await engine.catalogue.flush();
    expect(JSON.parse(await readFile(file, 'utf8')).schemaVersion).toBe(CATALOGUE_VERSION);
  });

  it('reads a sidecar another tool wrote while Anytag was closed, at the next start', async () => {
    await engine.close();
    const sidecar = path.join(photos, 'recent.xmp');
    await exiftoolWrite(sidecar, ['-XMP-dc:Subject=egret', '-XMP-xmp:Rating=5']);
    await open();
    const library = await engine.library();
    expect(await library.metadataSettled()).toBe(1);
    const recent = engine.catalogue.photoByPath(path.join(photos, 'recent.jpg'))!;
    expect(recent.meta).toMatchObject({ keywords: ['egret'], rating: 5, sidecar });
    // Read once: the next start finds nothing changed.
    await engine.close();
    await open();
    expect(await (await engine.library()).metadataSettled()).toBe(0);
  });
});
