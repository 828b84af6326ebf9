/**
 * Metadata of a phone HEIC (HEVC, made by heif-enc) end to end, on the real engine (tiny pack,
 * in-process indexing): what exiftool wrote into it is read (capture time, camera, keywords),
 * found by search, and Anytag's keywords are embedded back into the HEIC with every other tag
 * and every pixel (as libheif decodes them) kept.
 */
import { copyFile, readFile, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { decodeHeif } from '../../../src-main/engine/image/heif.js';
import { asList, exiftoolRead, exiftoolWrite } from '../../helpers/exiftool-fixture.js';
import { writeHeic } from '../../helpers/heif.js';
import { openTinyEngine, tinyLibrary } from '../../helpers/engine-fixture.js';

/** Tags that change whenever a file is rewritten, and the keyword lists Anytag adds to. */
const VOLATILE =
  /^(System|File|ExifTool|Composite):|^SourceFile$|^XMP-x:XMPToolkit$|:(MediaDataSize|MediaDataOffset)$/;
const KEYWORD_TAGS = ['XMP-dc:Subject', 'XMP-lr:HierarchicalSubject', 'XMP-digiKam:TagsList'];

const stable = (tags: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(tags).filter(([k]) => !VOLATILE.test(k) && !KEYWORD_TAGS.includes(k)),
  );

const heifPixels = async (file: string) =>
  Buffer.from((await decodeHeif(await readFile(file), { maxPixels: 1e8 })).data);

describe('metadata of a phone HEIC (HEVC)', () => {
  let root: string;
  let photos: string;
  let photo: string;
  let engine: Engine;
  let api: Api;

  beforeAll(async () => {
    const lib = await tinyLibrary();
    ({ root, photos } = lib);
    // Made beside the library (heif-enc's source JPEG stays there), then copied in.
    const made = await writeHeic(path.join(root, 'IMG_0042.HEIC'), {
      width: 96,
      height: 64,
      background: [230, 20, 20],
    });
    photo = path.join(photos, 'IMG_0042.HEIC');
    await copyFile(made, photo);
    await exiftoolWrite(photo, [
      '-DateTimeOriginal=2021:08:09 10:11:12',
      '-OffsetTimeOriginal=+01:00',
      '-Make=Apple',
      '-Model=iPhone 12',
      '-XMP-dc:Subject=otterzz',
      '-XMP-xmp:Rating=3',
    ]);
    // The writer leaves files changed in the last 2 s alone.
    const past = new Date(Date.now() - 60_000);
    await utimes(photo, past, past);
    ({ engine, api } = await openTinyEngine(lib));
    await api.call('indexPaths', { paths: [photos] });
  });

  afterAll(async () => {
    await engine.close();
  });

  it('reads capture time, camera, rating and keywords from the HEIC', async () => {
    const { photos: page } = await api.call('listPhotos', {});
    expect(page).toHaveLength(1);
    expect(page[0]!.state).toBe('indexed');
    expect(page[0]!.meta).toMatchObject({
      takenAt: '2021-08-09T10:11:12+01:00',
      takenFrom: 'original',
      make: 'Apple',
      model: 'iPhone 12',
      rating: 3,
      keywords: ['otterzz'],
    });
    const hits = async (query: string) =>
      (await api.call('search', { query, matchedOnly: true })).hits.map((h) =>
        path.basename(h.path),
      );
    expect(await hits('keyword:otterzz')).toEqual(['IMG_0042.HEIC']);
    expect(await hits('camera:iphone')).toEqual(['IMG_0042.HEIC']);
    expect(await hits('before:2021-01-01')).toEqual([]);
  });

  it('embeds its tags into the HEIC, keeping every other tag and every pixel', async () => {
    const before = { tags: await exiftoolRead(photo), pixels: await heifPixels(photo) };
    await api.call('setTagWriting', { path: photos, mode: 'embedded' });
    const report = await api.call('writeTags', { folder: photos });
    expect(report).toMatchObject({ written: 1, failed: [], refused: [] });

    const tags = engine.catalogue.photoByPath(photo)!.tags.map((t) => t.label);
    expect(tags.length).toBeGreaterThan(0);
    const after = await exiftoolRead(photo);
    expect(asList(after['XMP-dc:Subject'])).toEqual(['otterzz', ...tags]);
    expect(stable(before.tags)).toMatchObject({ 'IFD0:Model': 'iPhone 12', 'XMP-xmp:Rating': 3 });
    expect(stable(after)).toEqual(stable(before.tags));
    expect((await heifPixels(photo)).equals(before.pixels)).toBe(true);
    // The catalogue follows the new bytes: the photo is not indexed again, and still reads.
    const record = engine.catalogue.photoByPath(photo)!;
    expect(record.size).toBe((await stat(photo)).size);
    expect(record.state).toBe('indexed');
    expect(record.meta?.keywords).toContain('otterzz');
  });
});
