/**
 * The library against real files and real chokidar events: new files are indexed, renames and
 * moves keep the photo (same id, same tags), deletions leave, a folder that vanishes goes
 * offline and comes back, and polling mode sees changes too.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { thumbnailDir, thumbnailPath } from '../../../src-main/engine/image/thumbnails.js';
import type { FolderInfo } from '../../../src-main/engine/library/library.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import { openTinyEngine, QUICK_WATCH, tinyLibrary } from '../../helpers/engine-fixture.js';
import { solidImage } from '../../helpers/temp.js';
import { until } from '../../helpers/until.js';

/** Tags as users see them (label and score), without when they were (re)computed. */
const labelsOf = (photo: PhotoRecord) => photo.tags.map((t) => `${t.label}:${t.score}`);

describe.each([
  { mode: 'OS events', polling: false },
  { mode: 'polling', polling: true },
])('library folders with $mode', ({ polling }) => {
  let root: string;
  let photos: string;
  let engine: Engine;
  let api: Api;
  const folderEvents: FolderInfo[] = [];

  beforeAll(async () => {
    const lib = await tinyLibrary();
    ({ root, photos } = lib);
    await mkdir(path.join(photos, 'trip'), { recursive: true });
    await solidImage(path.join(photos, 'red.png'), [255, 0, 0]);
    await solidImage(path.join(photos, 'trip', 'blue.png'), [0, 0, 255]);
    ({ engine, api } = await openTinyEngine(lib, {
      thumbnails: true,
      library: { watch: QUICK_WATCH, presenceIntervalMs: 200, limboMs: 300 },
    }));
    api.on('folderChanged', (f) => folderEvents.push(f));
    await (await engine.library()).startWatching();
    const added = await api.call('addFolder', { path: photos, polling });
    expect(added).toMatchObject({ path: photos, polling, online: true, watching: true });
    await (await engine.library()).queue.drained();
  });
  afterAll(() => engine.close());

  const photoAt = (file: string) => engine.catalogue.photoByPath(path.join(photos, file));

  it('indexes what is there and lists the folder', async () => {
    expect(photoAt('red.png')).toMatchObject({ state: 'indexed', thumb: true });
    const { folders } = await api.call('listFolders', {});
    expect(folders).toEqual([
      expect.objectContaining({
        path: photos,
        photos: { total: 2, indexed: 2, pending: 0, failed: 0, offline: 0 },
      }),
    ]);
  });

  it('indexes a new file', async () => {
    await solidImage(path.join(photos, 'green.png'), [0, 255, 0]);
    const green = await until('green indexed', () => photoAt('green.png')?.state === 'indexed');
    expect(green).toBe(true);
    expect(photoAt('green.png')!.tags[0]!.label).toBe('green');
  });

  it('keeps a renamed photo: same id and tags, no second record', async () => {
    const before = photoAt('red.png')!;
    const { id } = before;
    const tags = labelsOf(before);
    await rename(path.join(photos, 'red.png'), path.join(photos, 'crimson.png'));
    await until('rename seen', () => photoAt('crimson.png'));
    expect(photoAt('crimson.png')).toMatchObject({ id, state: 'indexed' });
    expect(labelsOf(photoAt('crimson.png')!)).toEqual(tags);
    await until('old path gone', () => !photoAt('red.png'));
    expect(engine.catalogue.photos()).toHaveLength(3);
  });

  it('keeps photos when their folder is renamed', async () => {
    const { id } = photoAt('trip/blue.png')!;
    await rename(path.join(photos, 'trip'), path.join(photos, 'holiday'));
    await until('folder rename seen', () => photoAt('holiday/blue.png'));
    expect(photoAt('holiday/blue.png')!.id).toBe(id);
    await until('old folder gone', () => !photoAt('trip/blue.png'));
  });

  it('removes a deleted photo after its grace time, and its thumbnail', async () => {
    const thumb = thumbnailPath(thumbnailDir(path.join(root, 'data')), photoAt('green.png')!.hash!);
    expect(existsSync(thumb)).toBe(true);
    const removed: string[] = [];
    const off = api.on('photoRemoved', (p) => removed.push(p.path));
    await rm(path.join(photos, 'green.png'));
    await until('green removed', () => removed.includes(path.join(photos, 'green.png')));
    off();
    expect(photoAt('green.png')).toBeUndefined();
    await until('thumbnail pruned', () => !existsSync(thumb));
  });

  it('turns photos offline when the folder vanishes, and back when it returns', async () => {
    const aside = `${photos}-unplugged`;
    const { id } = photoAt('crimson.png')!;
    const tags = labelsOf(photoAt('crimson.png')!);
    await rename(photos, aside);
    await until('offline', () => photoAt('crimson.png')?.state === 'offline');
    expect(engine.catalogue.folder(photos)).toMatchObject({ online: false });
    expect(folderEvents.at(-1)).toMatchObject({ path: photos, online: false });
    // Longer than the grace time: offline photos must not leave.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(engine.catalogue.photos()).toHaveLength(2);
    await writeFile(path.join(aside, 'notes.txt'), 'a sidecar: not listed');
    await writeFile(path.join(aside, 'clip.mp4'), 'not a photo');
    await rename(aside, photos);
    await until('online again', () => photoAt('crimson.png')?.state === 'indexed');
    expect(photoAt('crimson.png')).toMatchObject({ id });
    expect(labelsOf(photoAt('crimson.png')!)).toEqual(tags);
    // Watching again after the return.
    await solidImage(path.join(photos, 'late.png'), [10, 200, 10]);
    await until('late indexed', () => photoAt('late.png')?.state === 'indexed');
    expect(photoAt('notes.txt')).toBeUndefined();
    const { folders } = await api.call('listFolders', {});
    expect(folders[0]!.unsupported).toEqual([
      { path: path.join(photos, 'clip.mp4'), reason: 'videos are not indexed' },
    ]);
  });

  it('switches polling and removes the folder', async () => {
    const switched = await api.call('setFolderPolling', { path: photos, polling: !polling });
    expect(switched).toMatchObject({ polling: !polling, watching: true });
    await api.call('removeFolder', { path: photos });
    expect(engine.catalogue.photos()).toHaveLength(0);
    expect((await api.call('listFolders', {})).folders).toEqual([]);
  });
});
