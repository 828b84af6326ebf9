/**
 * The folder and date browsers on the real engine (tiny pack, in-process indexing) over photos
 * whose capture dates exiftool wrote, in nested folders: the tree's nodes and counts, the
 * unreadable file counted where it lies, the dates' years → months → days and the undated, and
 * each count equal to what listPhotos and search show for that node (folder / taken:), the
 * unreadable file in no date period and last in both date orders; then
 * `anytag browse` from the compiled CLI, reading beside nothing.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import type { FolderNode } from '../../../src-main/engine/api/contract.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { exiftoolWrite, plainImage } from '../../helpers/exiftool-fixture.js';
import { REPO_ROOT, requireBuilt } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

const run = promisify(execFile);

/** Photo (relative path) → the DateTimeOriginal exiftool writes (none: no capture date). */
const PHOTOS: Record<string, string | null> = {
  '2023 Trip/Day 1/beach.jpg': '2023:07:14 10:00:00',
  '2023 Trip/Day 1/dunes.jpg': '2023:07:14 18:30:00',
  '2023 Trip/Day 2/harbour.jpg': '2023:07:15 09:00:00',
  'Home/garden.jpg': '2024:05:01 12:00:00',
  'Home/scan.png': null,
};

describe('folder and date browsing', () => {
  let root: string;
  let pics: string;
  let data: string;
  let engine: Engine;
  let api: Api;

  beforeAll(async () => {
    root = await tempDir();
    await writeTinyPack(path.join(root, 'packs', 'tiny'));
    pics = path.join(root, 'Pictures');
    let shade = 0;
    for (const [name, date] of Object.entries(PHOTOS)) {
      const file = path.join(pics, name);
      await mkdir(path.dirname(file), { recursive: true });
      await plainImage(file, name.endsWith('.png') ? 'png' : 'jpeg', [40 * ++shade, 90, 200]);
      if (date) await exiftoolWrite(file, [`-DateTimeOriginal=${date}`]);
    }
    // Not an image at all: an unreadable photo in Day 2.
    await writeFile(path.join(pics, '2023 Trip', 'Day 2', 'broken.jpg'), 'not a jpeg');
    data = path.join(root, 'data');
    engine = await Engine.open({
      dataDir: data,
      packRoots: [path.join(root, 'packs')],
      provider: 'cpu',
      indexWorkers: 0,
      thumbnails: false,
    });
    api = new Api(engine);
    await api.call('addFolder', { path: pics });
    await api.call('indexPaths', { paths: [pics] });
  });

  afterAll(async () => {
    await engine?.close();
  });

  const names = (nodes: FolderNode[]): unknown =>
    nodes.map((n) => ({
      [n.name]: [n.photos, n.failed],
      ...(n.children.length && { in: names(n.children) }),
    }));

  it('lists the library folder with its sub-folders, counting every photo below each', async () => {
    const tree = await api.call('folderTree', {});
    expect(tree.outside).toBe(0);
    expect(tree.roots.map((r) => [r.path, r.online, r.photos, r.failed])).toEqual([
      [pics, true, 6, 1],
    ]);
    expect(names(tree.roots[0]!.children)).toEqual([
      { '2023 Trip': [4, 1], in: [{ 'Day 1': [2, 0] }, { 'Day 2': [2, 1] }] },
      { Home: [2, 0] },
    ]);
    // Each node's count is what the gallery shows for it.
    const walk = async (node: FolderNode): Promise<void> => {
      const page = await api.call('listPhotos', { folder: node.path });
      expect(page.total, node.path).toBe(node.photos);
      for (const child of node.children) await walk(child);
    };
    await walk(tree.roots[0]!);
  });

  it('counts photos per capture year, month and day, the undated apart', async () => {
    const dates = await api.call('photoDates', {});
    expect(dates).toEqual({
      total: 6,
      // The PNG names no date; the unreadable file has none at all: in no period.
      undated: 1,
      unreadable: 1,
      waiting: 0,
      years: [
        {
          year: '2024',
          photos: 1,
          months: [{ month: '2024-05', photos: 1, days: [{ day: '2024-05-01', photos: 1 }] }],
        },
        {
          year: '2023',
          photos: 3,
          months: [
            {
              month: '2023-07',
              photos: 3,
              days: [
                { day: '2023-07-15', photos: 1 },
                { day: '2023-07-14', photos: 2 },
              ],
            },
          ],
        },
      ],
    });
    const inDay1 = await api.call('photoDates', { folder: path.join(pics, '2023 Trip', 'Day 1') });
    expect(inDay1.years.map((y) => [y.year, y.photos])).toEqual([['2023', 2]]);
    expect(inDay1.undated).toBe(0);
  });

  it('shows as many photos for a year, month, day or "none" as it counted', async () => {
    const shown = async (taken: string, folder?: string) =>
      (await api.call('listPhotos', { taken, ...(folder && { folder }) })).photos.map((p) =>
        path.basename(p.path),
      );
    expect(await shown('2023')).toEqual(['harbour.jpg', 'dunes.jpg', 'beach.jpg']);
    expect(await shown('2023-07-14')).toEqual(['dunes.jpg', 'beach.jpg']);
    expect(await shown('2024-05')).toEqual(['garden.jpg']);
    expect(await shown('none')).toEqual(['scan.png']);
    expect(await shown('2023', path.join(pics, 'Home'))).toEqual([]);
    await expect(api.call('listPhotos', { taken: '2023-13' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('narrows a search by taken: in the query or by the taken input', async () => {
    const hits = async (query: string, taken?: string) =>
      (await api.call('search', { query, limit: 50, ...(taken && { taken }) })).hits
        .map((h) => path.basename(h.path))
        .sort();
    expect(await hits('taken:2023-07')).toEqual(['beach.jpg', 'dunes.jpg', 'harbour.jpg']);
    expect(await hits('blue taken:2024')).toEqual(['garden.jpg']);
    expect(await hits('blue', '2023-07-15')).toEqual(['harbour.jpg']);
  });

  it('agrees with search on "No date": the unreadable file is in no period', async () => {
    const dates = await api.call('photoDates', {});
    const search = await api.call('search', { query: 'taken:none', limit: 50 });
    expect(search.hits.map((h) => path.basename(h.path))).toEqual(['scan.png']);
    expect(search.matches).toBe(dates.undated);
    const listed = await api.call('listPhotos', { taken: 'none' });
    expect(listed.total).toBe(dates.undated);
  });

  it('puts the unreadable file (no date) last in both date orders', async () => {
    // Written last, broken.jpg has the newest file time of all.
    const order = async (sort: 'taken-desc' | 'taken-asc') =>
      (await api.call('listPhotos', { sort })).photos.map((p) => path.basename(p.path));
    const newest = await order('taken-desc');
    const oldest = await order('taken-asc');
    expect(newest.at(-1)).toBe('broken.jpg');
    expect(oldest.at(-1)).toBe('broken.jpg');
    expect(newest.slice(0, 4)).toEqual(['scan.png', 'garden.jpg', 'harbour.jpg', 'dunes.jpg']);
    expect(oldest.slice(0, 5)).toEqual([
      'beach.jpg',
      'dunes.jpg',
      'harbour.jpg',
      'garden.jpg',
      'scan.png',
    ]);
  });

  it('prints the tree and the dates from `anytag browse`', async () => {
    requireBuilt(
      path.join(REPO_ROOT, 'out', 'node', 'cli', 'browse-command.js'),
      'run `npm run build`',
    );
    await engine.close();
    const cli = async (...args: string[]) =>
      (
        await run('node', [
          path.join(REPO_ROOT, 'bin', 'anytag.js'),
          'browse',
          ...args,
          '--data',
          data,
        ])
      ).stdout;
    expect(await cli('folders')).toBe(
      [
        `${pics}  6 (1 unreadable)`,
        '  2023 Trip  4 (1 unreadable)',
        '    Day 1  2',
        '    Day 2  2 (1 unreadable)',
        '  Home  2',
        '',
      ].join('\n'),
    );
    expect(await cli('dates')).toBe(
      [
        '2024  1',
        '  2024-05  1',
        '2023  3',
        '  2023-07  3',
        'no date  1',
        'unreadable  1',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(await cli('dates', '--json')) as { total: number };
    expect(json.total).toBe(6);
  });
});
