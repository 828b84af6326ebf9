/**
 * Library edges from real-world folders (issue 14): NAS housekeeping folders, symbolic links
 * (one rule for scan and watcher), photos moved between library folders while the app runs and
 * while it is closed, exact names (no trimming), and the formats browsers cannot show served as
 * JPEG renditions, the file extensions of ../shared/cases/files/extensions among them.
 */
import { copyFile, mkdir, readFile, rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import { openMediaFile, type MediaKind } from '../../../src-main/engine/api/media.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { SYMLINK_NOT_FOLLOWED } from '../../../src-main/engine/library/scan.js';
import { writeHeic } from '../../helpers/heif.js';
import { SHARED } from '../../helpers/shared.js';
import {
  openTinyEngine,
  QUICK_WATCH,
  tinyLibrary,
  type OpenEngine,
} from '../../helpers/engine-fixture.js';
import { solidImage } from '../../helpers/temp.js';
import { until } from '../../helpers/until.js';

/** What the media routes would send for a photo (the opened descriptor closed again). */
async function resolveMediaFile(engine: Engine, kind: MediaKind, id: string) {
  const media = await openMediaFile(engine, kind, id);
  await media.handle.close();
  return media;
}

const NAS_FOLDERS = [
  '@eaDir',
  '#recycle',
  '#snapshot',
  '@Recycle',
  '@Recently-Snapshot',
  '$RECYCLE.BIN',
  'System Volume Information',
  '.thumbnails',
];

/** The engine on the tiny library at `root`, thumbnails on, watching quickly. */
function openEngine(root: string): Promise<OpenEngine> {
  return openTinyEngine(
    { data: path.join(root, 'data'), packs: path.join(root, 'packs') },
    { thumbnails: true, library: { watch: QUICK_WATCH, presenceIntervalMs: 200, limboMs: 1500 } },
  );
}

describe('library edges', () => {
  let root: string;
  let a: string;
  let b: string;
  let outside: string;
  let engine: Engine;
  let api: Api;
  const names = [
    'café-nfc.png'.normalize('NFC'),
    'café-nfd.png'.normalize('NFD'),
    'party 🎉.png',
    '100% #1 ?.png',
    `"quoted" 'single'.png`,
    'tab\there.png',
    'new\nline.png',
  ];

  beforeAll(async () => {
    root = (await tinyLibrary()).root;
    a = path.join(root, 'Photos A ');
    b = path.join(root, 'photos-b');
    outside = path.join(root, 'outside');
    await mkdir(a, { recursive: true });
    await mkdir(b, { recursive: true });
    await mkdir(outside, { recursive: true });
    let shade = 10;
    for (const name of names) await solidImage(path.join(a, name), [shade, 100, (shade += 30)]);
    for (const folder of NAS_FOLDERS) {
      await mkdir(path.join(a, folder), { recursive: true });
      await solidImage(path.join(a, folder, 'deleted.png'), [1, 2, 3]);
    }
    for (const name of ['3D-camera.MPO', 'BROWSER.JFIF', 'Mixed.Jpg', 'old.jpe']) {
      await copyFile(path.join(SHARED, 'cases', 'files', 'extensions', name), path.join(b, name));
    }
    await writeHeic(path.join(b, 'IMG_4001.HEIC'), {
      width: 400,
      height: 300,
      background: [40, 180, 90],
    });
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#a0a' } })
      .tiff()
      .toFile(path.join(b, 'scan.tif'));
    // Links: to a photo outside, to a folder outside, a loop, a dangling one.
    await solidImage(path.join(outside, 'secret.png'), [9, 9, 9]);
    await symlink(path.join(outside, 'secret.png'), path.join(b, 'link-to-secret.png'));
    await symlink(outside, path.join(b, 'link-to-outside'));
    await symlink(b, path.join(b, 'loop'));
    await symlink(path.join(root, 'nowhere.png'), path.join(b, 'dangling.png'));
    ({ engine, api } = await openEngine(root));
    await (await engine.library()).startWatching();
    await api.call('addFolder', { path: a });
    await api.call('addFolder', { path: b });
    await (await engine.library()).queue.drained();
  });
  afterAll(() => engine?.close());

  it('adds a folder whose name ends with a space, and keeps every name exactly', async () => {
    const { folders } = await api.call('listFolders', {});
    expect(folders.map((f) => f.path)).toEqual([a, b]);
    for (const name of names) {
      const photo = engine.catalogue.photoByPath(path.join(a, name));
      expect(photo?.state, JSON.stringify(name)).toBe('indexed');
      const media = await resolveMediaFile(engine, 'photo', photo!.id);
      expect(media.file).toBe(path.join(a, name));
    }
  });

  it('skips NAS housekeeping folders and lists them with the reason; the rule is editable', async () => {
    const info = (await api.call('listFolders', {})).folders.find((f) => f.path === a)!;
    for (const folder of NAS_FOLDERS) {
      expect(engine.catalogue.photoByPath(path.join(a, folder, 'deleted.png'))).toBeUndefined();
      expect(info.unsupported).toContainEqual({
        path: path.join(a, folder),
        reason: expect.stringMatching(/housekeeping folder/),
      });
    }
    const library = await engine.library();
    expect(await api.call('skippedFolders', {})).toMatchObject({
      names: expect.arrayContaining(NAS_FOLDERS),
    });
    const edited = await api.call('setSkippedFolders', {
      names: NAS_FOLDERS.filter((f) => f !== '#snapshot'),
    });
    expect(edited.names).not.toContain('#snapshot');
    await library.queue.drained();
    expect(engine.catalogue.photoByPath(path.join(a, '#snapshot', 'deleted.png'))).toMatchObject({
      state: 'indexed',
    });
    await api.call('setSkippedFolders', { names: NAS_FOLDERS });
    await until(
      '#snapshot left',
      () => !engine.catalogue.photoByPath(path.join(a, '#snapshot', 'deleted.png')),
    );
  });

  it('never follows a symbolic link, in the scan or the watcher, and lists the links', async () => {
    const info = (await api.call('listFolders', {})).folders.find((f) => f.path === b)!;
    for (const link of ['link-to-secret.png', 'link-to-outside', 'loop', 'dangling.png']) {
      expect(info.unsupported).toContainEqual({
        path: path.join(b, link),
        reason: SYMLINK_NOT_FOLLOWED,
      });
    }
    await symlink(path.join(outside, 'secret.png'), path.join(a, 'late-link.png'));
    // A housekeeping folder made while watching is skipped by the watcher too.
    await mkdir(path.join(a, '@eaDir', 'late'), { recursive: true });
    await solidImage(path.join(a, '@eaDir', 'late', 'late-thumb.png'), [7, 7, 7]);
    await solidImage(path.join(a, 'late-real.png'), [200, 10, 10]);
    await until(
      'late-real indexed',
      () => engine.catalogue.photoByPath(path.join(a, 'late-real.png'))?.state === 'indexed',
    );
    await (await engine.library()).queue.drained();
    const paths = engine.catalogue.photos().map((p) => p.path);
    expect(
      paths.filter((p) => p.includes('secret') || p.includes('link') || p.includes(outside)),
    ).toEqual([]);
    expect(paths.filter((p) => p.includes('late-thumb'))).toEqual([]);
  });

  it('shows every extension of the table, and HEIC and TIFF as JPEG renditions', async () => {
    for (const name of ['3D-camera.MPO', 'BROWSER.JFIF', 'Mixed.Jpg', 'old.jpe']) {
      const photo = engine.catalogue.photoByPath(path.join(b, name));
      expect(photo?.state, name).toBe('indexed');
      for (const kind of ['photo', 'thumb'] as const) {
        expect((await resolveMediaFile(engine, kind, photo!.id)).contentType).toBe('image/jpeg');
      }
    }
    for (const name of ['IMG_4001.HEIC', 'scan.tif']) {
      const photo = engine.catalogue.photoByPath(path.join(b, name))!;
      expect(photo.state, name).toBe('indexed');
      const media = await resolveMediaFile(engine, 'photo', photo.id);
      expect(media.contentType).toBe('image/jpeg');
      const meta = await sharp(await readFile(media.file)).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: photo.width, height: photo.height });
    }
  });

  it('moves every photo to another library folder: same ids and votes, folder stays online', async () => {
    const moved = names.slice(0, 3).concat(['late-real.png']);
    const before = new Map(moved.map((n) => [n, engine.catalogue.photoByPath(path.join(a, n))!]));
    const first = before.get(names[0]!)!;
    const label = 'red'; // a label of the tiny pack
    await api.call('tagFeedback', { photo: first.id, label, vote: 'up' });
    expect(engine.catalogue.photoById(first.id)!.tags.find((t) => t.label === label)?.vote).toBe(
      'up',
    );
    // Everything out of A (links and housekeeping folders stay; they are not photos).
    const dest = path.join(b, 'from-a');
    await mkdir(dest);
    for (const name of [...names, 'late-real.png'])
      await rename(path.join(a, name), path.join(dest, name));
    for (const name of moved) {
      await until(`${name} moved`, () => engine.catalogue.photoByPath(path.join(dest, name)));
    }
    await new Promise((resolve) => setTimeout(resolve, 2000)); // past limbo
    for (const [name, photo] of before) {
      const now = engine.catalogue.photoByPath(path.join(dest, name))!;
      expect(now.id, name).toBe(photo.id);
    }
    const now = engine.catalogue.photoById(first.id)!;
    expect(now.tags.find((t) => t.label === label)?.vote).toBe('up');
    expect(engine.catalogue.photosUnder(a)).toEqual([]);
    const info = (await api.call('listFolders', {})).folders.find((f) => f.path === a)!;
    expect(info.online).toBe(true);

    // A folder left truly empty (nothing at all in it) stays online too: not an unplugged drive.
    const c = path.join(root, 'photos-c');
    await mkdir(c);
    await solidImage(path.join(c, 'only.png'), [30, 60, 90]);
    await api.call('addFolder', { path: c });
    await (await engine.library()).queue.drained();
    const only = engine.catalogue.photoByPath(path.join(c, 'only.png'))!;
    await rename(path.join(c, 'only.png'), path.join(b, 'only.png'));
    await until('only.png moved', () => engine.catalogue.photoByPath(path.join(b, 'only.png')));
    await new Promise((resolve) => setTimeout(resolve, 2000)); // past limbo
    expect(engine.catalogue.photoByPath(path.join(b, 'only.png'))?.id).toBe(only.id);
    const emptied = (await api.call('listFolders', {})).folders.find((f) => f.path === c)!;
    expect(emptied).toMatchObject({ online: true, photos: { total: 0 } });
    await api.call('removeFolder', { path: c });
  }, 40_000);

  it('matches photos moved between library folders while the app was closed', async () => {
    const dest = path.join(b, 'from-a');
    const ids = new Map(
      names.map((n) => [n, engine.catalogue.photoByPath(path.join(dest, n))!.id]),
    );
    await engine.close();
    // Back to A while closed; B is scanned after A, A's photos are found first in B's listing order.
    for (const name of names) await rename(path.join(dest, name), path.join(a, name));
    ({ engine, api } = await openEngine(root));
    await (await engine.library()).startWatching();
    await (await engine.library()).queue.drained();
    await new Promise((resolve) => setTimeout(resolve, 2000)); // past limbo
    for (const name of names) {
      expect(engine.catalogue.photoByPath(path.join(a, name))?.id, name).toBe(ids.get(name));
      expect(engine.catalogue.photoByPath(path.join(dest, name))).toBeUndefined();
    }
    const count = engine.catalogue.photos().filter((p) => names.some((n) => p.path.endsWith(n)));
    expect(count).toHaveLength(names.length);
  }, 30_000);
});
