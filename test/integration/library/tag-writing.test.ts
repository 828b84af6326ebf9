/**
 * Tags written back, read by exiftool: per format (JPEG, PNG, TIFF, WebP, HEIF) embedded, and as
 * sidecars in both namings. Every tag the file had before is compared after (the user's own
 * keywords never lost), pixels are compared, a keyword deleted in another tool is not written
 * again, and a folder that refuses writes is reported once.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { thumbnailPath } from '../../../src-main/engine/image/thumbnails.js';
import {
  asList,
  cameraArgs,
  exiftoolRead,
  exiftoolWrite,
  plainImage,
  type FixtureFormat,
} from '../../helpers/exiftool-fixture.js';
import { openTinyEngine, tinyLibrary, type TinyLibrary } from '../../helpers/engine-fixture.js';

const run = promisify(execFile);
const KEYWORD_TAGS = [
  'XMP-dc:Subject',
  'XMP-lr:HierarchicalSubject',
  'XMP-digiKam:TagsList',
  'IPTC:Keywords',
];
/**
 * Tags exiftool reports about the file or itself, that any XMP write refreshes, or that say where
 * data sits in a TIFF or HEIF (the image data moves, or its box grows to hold the new XMP item;
 * the pixels are compared on their own).
 */
const VOLATILE =
  /^(System|File|ExifTool|Composite):|^XMP-x:XMPToolkit$|^IPTC:(CodedCharacterSet|ApplicationRecordVersion)$|:(PreviewImageStart|StripOffsets|ThumbnailOffset|TileOffsets|MediaDataSize|MediaDataOffset)$/;

const FORMATS: [FixtureFormat, string][] = [
  ['jpeg', 'jpg'],
  ['png', 'png'],
  ['tiff', 'tif'],
  ['webp', 'webp'],
  ['heif', 'heic'],
];

async function pixels(file: string): Promise<Buffer> {
  return sharp(file).raw().toBuffer();
}

function stable(tags: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tags).filter(([k]) => !VOLATILE.test(k) && !KEYWORD_TAGS.includes(k)),
  );
}

/** Makes a photo's file look settled (the writer waits for files changed in the last 2 s). */
async function settle(file: string): Promise<void> {
  const past = new Date(Date.now() - 60_000);
  await utimes(file, past, past);
}

describe('writing tags back', () => {
  let lib: TinyLibrary;
  let root: string;
  let engine: Engine;
  let api: Api;
  const folders: Record<string, string> = {};

  beforeAll(async () => {
    lib = await tinyLibrary();
    root = lib.root;
    for (const name of ['embedded', 'full', 'base', 'locked', 'existing']) {
      folders[name] = path.join(root, name);
      await mkdir(folders[name], { recursive: true });
    }
    for (const [format, ext] of FORMATS) {
      const file = await plainImage(path.join(folders.embedded!, `photo.${ext}`), format);
      const iptc = format === 'jpeg' || format === 'tiff';
      await exiftoolWrite(file, [
        ...cameraArgs('2022:03:04 05:06:07', []),
        '-XMP-dc:Subject=heron',
        '-XMP-dc:Subject=Red',
        '-XMP-lr:HierarchicalSubject=Places|Paris',
        '-XMP-digiKam:TagsList=Places/Paris',
        ...(iptc ? ['-IPTC:Keywords=heron', '-IPTC:Keywords=Red'] : []),
      ]);
      await settle(file);
    }
    for (const name of ['full', 'base', 'locked', 'existing']) {
      const file = await plainImage(path.join(folders[name]!, 'photo.jpg'), 'jpeg');
      await exiftoolWrite(file, ['-XMP-dc:Subject=heron']);
      await settle(file);
    }
    ({ engine, api } = await openTinyEngine(lib, { thumbnails: true }));
    await api.call('indexPaths', { paths: Object.values(folders) });
  });

  afterAll(async () => {
    await run('chattr', ['-i', folders.locked!]).catch(() => undefined);
    await engine.close();
  });

  const tagsOf = (file: string) => engine.catalogue.photoByPath(file)!.tags.map((t) => t.label);

  it('embeds keywords in every format, keeping every other tag and every pixel', async () => {
    const files = FORMATS.map(([, ext]) => path.join(folders.embedded!, `photo.${ext}`));
    const before = new Map<string, { tags: Record<string, unknown>; pixels: Buffer }>();
    for (const file of files) {
      before.set(file, { tags: await exiftoolRead(file), pixels: await pixels(file) });
    }
    const info = await api.call('setTagWriting', { path: folders.embedded!, mode: 'embedded' });
    expect(info.tagWriting).toEqual({ mode: 'embedded', naming: 'full' });
    const report = await api.call('writeTags', { folder: folders.embedded! });
    expect(report).toMatchObject({ written: files.length, failed: [], refused: [] });

    for (const [format, ext] of FORMATS) {
      const file = path.join(folders.embedded!, `photo.${ext}`);
      const tags = tagsOf(file);
      expect(tags, format).toContain('red');
      const after = await exiftoolRead(file);
      // Every tag but the keyword lists is as it was; the pixels are the same.
      expect(stable(after), format).toEqual(stable(before.get(file)!.tags));
      expect((await pixels(file)).equals(before.get(file)!.pixels), format).toBe(true);
      // The user's own keywords stay, in their order and spelling; ours join them.
      const subject = asList(after['XMP-dc:Subject']);
      expect(subject.slice(0, 2), format).toEqual(['heron', 'Red']);
      // "red" is the user's "Red" already: not added twice.
      expect(
        subject.filter((k) => k.toLowerCase() === 'red'),
        format,
      ).toEqual(['Red']);
      expect(asList(after['XMP-lr:HierarchicalSubject']), format).toEqual([
        'Places|Paris',
        ...tags.map((t) => `Anytag|${t}`),
      ]);
      expect(asList(after['XMP-digiKam:TagsList']), format).toEqual([
        'Places/Paris',
        ...tags.map((t) => `Anytag/${t}`),
      ]);
      if (format === 'jpeg' || format === 'tiff') {
        expect(asList(after['IPTC:Keywords']).slice(0, 2), format).toEqual(['heron', 'Red']);
      }
      // The catalogue follows the new bytes, so the photo is not indexed again.
      const record = engine.catalogue.photoByPath(file)!;
      expect(record.size).toBe((await stat(file)).size);
      expect(record.state).toBe('indexed');
      // Its thumbnail, named by content hash, came along to the new hash.
      expect(existsSync(thumbnailPath(path.join(root, 'data', 'thumbnails'), record.hash!))).toBe(
        true,
      );
    }
    // A second pass finds nothing to do (resumable: written photos are skipped).
    expect(await api.call('writeTags', { folder: folders.embedded! })).toMatchObject({
      written: 0,
      unchanged: files.length,
    });
  });

  it('writes sidecars named as darktable/digiKam and as Lightroom expect, photo untouched', async () => {
    for (const [name, naming, sidecar] of [
      ['full', 'full', 'photo.jpg.xmp'],
      ['base', 'base', 'photo.xmp'],
    ] as const) {
      const photo = path.join(folders[name]!, 'photo.jpg');
      const before = await exiftoolRead(photo);
      await api.call('setTagWriting', { path: folders[name]!, mode: 'sidecar', naming });
      expect(await api.call('writeTags', { folder: folders[name]! })).toMatchObject({
        written: 1,
      });
      const tags = tagsOf(photo);
      const xmp = await exiftoolRead(path.join(folders[name]!, sidecar));
      expect(asList(xmp['XMP-dc:Subject'])).toEqual(tags);
      expect(asList(xmp['XMP-lr:HierarchicalSubject'])).toEqual(tags.map((t) => `Anytag|${t}`));
      expect(asList(xmp['XMP-digiKam:TagsList'])).toEqual(tags.map((t) => `Anytag/${t}`));
      expect(await exiftoolRead(photo)).toEqual(before);
    }
  });

  it('keeps every tag of a sidecar another tool wrote, adding only its own keywords', async () => {
    const folder = folders.existing!;
    const photo = path.join(folder, 'photo.jpg');
    const sidecar = `${photo}.xmp`;
    // As darktable or digiKam leave it: a rating, a colour label, a title, the user's keywords.
    await exiftoolWrite(sidecar, [
      '-XMP-xmp:Rating=3',
      '-XMP-xmp:Label=Red',
      '-XMP-dc:Title=Morning',
      '-XMP-dc:Subject=heron',
      '-XMP-dc:Subject=Trip 2022',
      '-XMP-lr:HierarchicalSubject=Places|Camargue',
      '-XMP-digiKam:TagsList=Places/Camargue',
    ]);
    await settle(sidecar);
    const before = await exiftoolRead(sidecar);
    await api.call('setTagWriting', { path: folder, mode: 'sidecar' });
    expect(await api.call('writeTags', { folder })).toMatchObject({ written: 1 });
    const after = await exiftoolRead(sidecar);
    expect(stable(after)).toEqual(stable(before));
    const tags = tagsOf(photo);
    expect(asList(after['XMP-dc:Subject'])).toEqual(['heron', 'Trip 2022', ...tags]);
    expect(asList(after['XMP-lr:HierarchicalSubject'])).toEqual([
      'Places|Camargue',
      ...tags.map((t) => `Anytag|${t}`),
    ]);
    expect(asList(after['XMP-digiKam:TagsList'])).toEqual([
      'Places/Camargue',
      ...tags.map((t) => `Anytag/${t}`),
    ]);
  });

  it('does not write back a keyword the user deleted in another tool', async () => {
    const photo = path.join(folders.full!, 'photo.jpg');
    const sidecar = `${photo}.xmp`;
    const [first] = tagsOf(photo);
    // Another tool removes our keyword and adds one of the user's own.
    await exiftoolWrite(sidecar, [
      `-XMP-lr:HierarchicalSubject-=Anytag|${first}`,
      `-XMP-digiKam:TagsList-=Anytag/${first}`,
      `-XMP-dc:Subject-=${first}`,
      '-XMP-dc:Subject+=holiday',
    ]);
    await settle(sidecar);
    // Tags change (a new one), so Anytag writes again.
    const record = engine.catalogue.photoByPath(photo)!;
    engine.catalogue.setTags(record, [
      ...record.tags,
      { label: 'sky', score: 1, seen: false, row: 0 },
    ]);
    expect(await api.call('writeTags', { folder: folders.full! })).toMatchObject({ written: 1 });
    const xmp = await exiftoolRead(sidecar);
    expect(asList(xmp['XMP-lr:HierarchicalSubject'])).not.toContain(`Anytag|${first}`);
    expect(asList(xmp['XMP-lr:HierarchicalSubject'])).toContain('Anytag|sky');
    expect(asList(xmp['XMP-dc:Subject'])).toContain('holiday');
    expect(asList(xmp['XMP-dc:Subject'])).not.toContain(first);
    expect(engine.catalogue.photoByPath(photo)!.written!.declined).toEqual([first]);
  });

  it('reports a folder that refuses writes once, and does not retry it', async () => {
    const folder = folders.locked!;
    // chattr +i refuses even root (tests may run as root, where chmod would not).
    const locked = await run('chattr', ['+i', folder]).then(
      () => true,
      () => false,
    );
    if (!locked) await run('chmod', ['555', folder]);
    await api.call('setTagWriting', { path: folder, mode: 'sidecar' });
    const report = await api.call('writeTags', { folder });
    expect(report.refused).toEqual([folder]);
    expect(report.written).toBe(0);
    const info = (await api.call('listFolders', {})).folders.find((f) => f.path === folder)!;
    expect(info.writeError?.code).toMatch(/EACCES|EPERM|EROFS/);
    // Not retried: the next pass skips it without trying.
    expect(await api.call('writeTags', { folder })).toMatchObject({ written: 0, refused: [] });
    if (locked) await run('chattr', ['-i', folder]);
    else await run('chmod', ['755', folder]);
    // Setting writing again clears the error, and the write goes through.
    await api.call('setTagWriting', { path: folder, mode: 'sidecar' });
    expect(await api.call('writeTags', { folder })).toMatchObject({ written: 1 });
    await rm(`${path.join(folder, 'photo.jpg')}.xmp`);
  });

  it('leaves a file alone while another program is changing it', async () => {
    const file = path.join(folders.base!, 'photo.jpg');
    await copyFile(file, `${file}.bak`);
    await api.call('setTagWriting', { path: folders.base!, mode: 'embedded' });
    // Touched just now: not settled.
    const now = new Date();
    await utimes(file, now, now);
    const record = engine.catalogue.photoByPath(file)!;
    engine.catalogue.updatePhoto(record, { mtimeMs: (await stat(file)).mtimeMs });
    const report = await api.call('writeTags', { folder: folders.base! });
    expect(report).toMatchObject({ written: 0, deferred: 1 });
  });
});
