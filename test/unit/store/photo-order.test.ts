/**
 * Gallery pages from the photo table (store/photo-order.ts, Catalogue.savedOrder) against the
 * in-memory order they replace, on a mixed library (dated, tied, undated, unread, unreadable;
 * paths whose locale order is not their byte order), for every date and file-time order, scope
 * and page window; changes not saved yet; the date and folder browsers' counts; the layout 2 → 3
 * upgrade of an existing file.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { countPhotoDates, photoDatesOf } from '../../../src-main/engine/index/photo-dates.js';
import { buildFolderTree, folderTreeOf } from '../../../src-main/engine/library/folder-tree.js';
import { isInside } from '../../../src-main/engine/paths.js';
import { Catalogue, PHOTO_TABLE_FILE } from '../../../src-main/engine/store/catalogue.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import {
  fillOrderColumns,
  firstInOrder,
  type PageQuery,
} from '../../../src-main/engine/store/photo-order.js';
import { orderValues } from '../../../src-main/engine/store/photo-rows.js';
import { prepareFile } from '../../../src-main/engine/store/photo-table-file.js';
import { downgradeToLayout2, layoutOf } from '../../helpers/layout-v2.js';
import {
  galleryScopes,
  inMemoryOrder,
  mixedPhoto,
  type GalleryQuery,
} from '../../helpers/mixed-library.js';
import { tempDir } from '../../helpers/temp.js';

const PHOTOS = 150;
const SORTS = ['taken-desc', 'taken-asc', 'modified'] as const;
const WINDOWS = [1, 4, 9, 1000];

/** A gallery page as listPhotos makes it from the table (api/photos.ts). */
async function photoPage(catalogue: Catalogue, query: PageQuery) {
  const order = await catalogue.savedOrder();
  if (!order) return undefined;
  const { total, ids } = order.page(query);
  return { total, photos: ids.flatMap((id) => catalogue.photoById(id) ?? []) };
}

async function library(): Promise<{ dir: string; catalogue: Catalogue }> {
  const dir = await tempDir();
  const catalogue = await Catalogue.open(dir, { debounceMs: 60_000 });
  for (let i = 0; i < PHOTOS; i++) catalogue.addPhoto(mixedPhoto(i));
  return { dir, catalogue };
}

/** Every page of every window of every query: the table's ids against the in-memory order. */
async function expectSameOrder(catalogue: Catalogue, expected: readonly PhotoRecord[]) {
  let pages = 0;
  for (const sort of SORTS) {
    for (const scope of galleryScopes()) {
      const query: GalleryQuery = { sort, ...scope };
      const order = inMemoryOrder(expected, query).map((p) => p.id);
      for (const limit of WINDOWS) {
        for (let offset = 0; offset <= order.length; offset += limit) {
          const page = await photoPage(catalogue, { ...query, offset, limit });
          expect(page?.total, JSON.stringify({ query, offset })).toBe(order.length);
          const ids = page!.photos.map((p) => p.id);
          expect(ids, JSON.stringify({ query, offset, limit })).toEqual(
            order.slice(offset, offset + limit),
          );
          pages++;
        }
      }
    }
  }
  return pages;
}

describe('gallery pages from the photo table', () => {
  it('are the in-memory order, page by page, in every scope, before and after reopening', async () => {
    const { dir, catalogue } = await library();
    const records = catalogue.photos().map((p) => structuredClone(p));
    // The library has what the test is about: ties, undated photos, locale ≠ byte order.
    const newest = inMemoryOrder(records, { sort: 'taken-desc' });
    expect(newest.filter((p) => p.meta?.takenAt === '2024-05-17T10:00:00').length).toBeGreaterThan(
      5,
    );
    const paths = newest.map((p) => p.path);
    expect([...paths].sort()).not.toEqual([...paths].sort((a, b) => a.localeCompare(b)));
    expect(await expectSameOrder(catalogue, records)).toBeGreaterThan(1000);
    await catalogue.close();

    const reopened = await Catalogue.open(dir);
    await expectSameOrder(reopened, records);
    await reopened.close();
  });

  it('hold the changes made since the last save', async () => {
    const { catalogue } = await library();
    await catalogue.flush();
    const unread = catalogue.photos().find((p) => p.state === 'pending' && !p.embedding)!;
    catalogue.updatePhoto(unread, {
      state: 'indexed',
      embedding: { pack: 'starter', slot: 999 },
      meta: { takenAt: '2030-01-01T00:00:00Z', takenFrom: 'original', keywords: [] },
    });
    const gone = catalogue.photos().find((p) => p.state === 'indexed')!;
    catalogue.removePhoto(gone);
    const page = await photoPage(catalogue, { sort: 'taken-desc', offset: 0, limit: 1000 });
    expect(page!.photos[0]).toBe(unread);
    expect(page!.photos).not.toContain(gone);
    expect(page!.total).toBe(PHOTOS - 1);
    await expectSameOrder(catalogue, catalogue.photos());
    await catalogue.close();
  });
});

describe('firstInOrder', () => {
  it('is the head of the whole sort, for every count, ties and all', () => {
    // Deterministic pseudo-random keys with many ties, compared as the pages compare paths.
    const items = Array.from({ length: 400 }, (_, i) => `k${(i * 7919) % 97}`);
    const byLocale = (a: string, b: string) => a.localeCompare(b);
    const sorted = [...items].sort(byLocale);
    for (const count of [0, 1, 2, 5, 50, 99, 100, 101, 399, 400, 500]) {
      expect(firstInOrder([...items], count, byLocale), String(count)).toEqual(
        sorted.slice(0, count),
      );
    }
  });
});

describe('date and folder browser counts from the photo table', () => {
  it('are the counts of a pass over the records (dates: for the library and each folder)', async () => {
    const { catalogue } = await library();
    const records = catalogue.photos();
    const order = (await catalogue.savedOrder())!;
    const folders = [undefined, ...galleryScopes().flatMap((s) => (s.folder ? [s.folder] : []))];
    for (const folder of folders) {
      const { byDay, ...apart } = order.dayCounts(folder);
      const inside = folder ? records.filter((p) => isInside(folder, p.path)) : records;
      expect(photoDatesOf(byDay, apart), folder).toEqual(countPhotoDates(inside));
    }
    const roots = [
      { path: '/lib', online: true },
      { path: '/lib/a', online: false },
      { path: '/elsewhere', online: true },
    ];
    const tree = folderTreeOf(roots, order.folderCounts());
    expect(tree).toEqual(buildFolderTree(roots, records));
    expect(tree.roots[0]!.children.length).toBeGreaterThan(3);
    expect(folderTreeOf(roots.slice(1), order.folderCounts()).outside).toBeGreaterThan(0);
    const all = countPhotoDates(records);
    expect([all.undated, all.unreadable, all.waiting, all.years.length]).not.toContain(0);
    await catalogue.close();
  });
});

describe('photo hashes from the photo table', () => {
  it('hold every live photo’s hash, changes not saved yet included', async () => {
    const { dir, catalogue } = await library();
    const saved = new Set(catalogue.photos().flatMap((p) => (p.hash ? [p.hash] : [])));
    await catalogue.close();
    const reopened = await Catalogue.open(dir, { debounceMs: 60_000 });
    // Before any record is read: the rows' hashes.
    expect(reopened.photoHashes()).toEqual(saved);
    reopened.addPhoto({ ...mixedPhoto(PHOTOS), hash: 'added' });
    reopened.setHash(reopened.photoById('id-0')!, 'rehashed');
    const hashes = reopened.photoHashes();
    expect(hashes).toContain('added');
    expect(hashes).toContain('rehashed');
    // Exactly the live hashes: id-0's row, not saved yet, still says h0; its record does not.
    const now = new Set([...saved, 'added', 'rehashed'].filter((hash) => hash !== 'h0'));
    expect(hashes).toEqual(now);
    await reopened.close();
    const again = await Catalogue.open(dir);
    expect(again.photoHashes()).toEqual(now);
    again.photos();
    expect(again.photoHashes()).toEqual(now);
    await again.close();
  });

  it('leave out a removed photo’s hash at once, before the removal is saved', async () => {
    const { dir, catalogue } = await library();
    // Photos whose hash no other photo shares: removing one takes its hash out.
    const unique = catalogue
      .photos()
      .filter((p) => p.hash && catalogue.photosWithHash(p.hash).length === 1)
      .map((p) => p.id);
    await catalogue.close();
    for (const [round, readAll] of [false, true].entries()) {
      const reopened = await Catalogue.open(dir, { debounceMs: 60_000 });
      if (readAll) reopened.photos();
      const gone = reopened.photoById(unique[round]!)!;
      const hash = gone.hash!;
      expect(reopened.photoHashes()).toContain(hash);
      reopened.removePhoto(gone);
      expect(reopened.photoHashes()).not.toContain(hash);
      await reopened.close();
    }
  });
});

describe('photo table layout 2 → 3', () => {
  it('upgrades an existing file in place once, filling the new columns from every record', async () => {
    const { dir, catalogue } = await library();
    const records = catalogue.photos().map((p) => structuredClone(p));
    await catalogue.close();
    const file = path.join(dir, PHOTO_TABLE_FILE);
    downgradeToLayout2(file);
    expect(layoutOf(file).columns).not.toContain('taken_ms');

    const upgraded = await Catalogue.open(dir);
    expect(layoutOf(file)).toMatchObject({ version: 3 });
    expect(upgraded.photos()).toEqual(records);
    await expectSameOrder(upgraded, records);
    await upgraded.close();
    const db = new Database(file, { readonly: true });
    const rows = db
      .prepare('SELECT id, taken_ms, capture_day FROM photos ORDER BY seq')
      .raw()
      .all();
    db.close();
    expect(rows).toEqual(records.map((p) => [p.id, ...orderValues(p)]));
  });

  it('leaves the file as it was when the upgrade fails half way (one transaction)', async () => {
    const { dir, catalogue } = await library();
    await catalogue.close();
    const file = path.join(dir, PHOTO_TABLE_FILE);
    downgradeToLayout2(file);
    const db = new Database(file);
    const before = db.prepare('SELECT * FROM photos ORDER BY seq').raw().all();
    let filled = 0;
    const failing = (inner: Database.Database) => {
      fillOrderColumns(inner);
      filled++;
      throw new Error('killed half way');
    };
    expect(() => prepareFile(db, file, failing)).toThrow('killed half way');
    expect(filled).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT * FROM photos ORDER BY seq').raw().all()).toEqual(before);
    db.close();
    expect(layoutOf(file).columns).not.toContain('taken_ms');
    // The next open upgrades it.
    const reopened = await Catalogue.open(dir);
    expect(layoutOf(file).version).toBe(3);
    await reopened.close();
  });

  it('reads a layout 2 file read-only, unchanged; pages then come from memory', async () => {
    const { dir, catalogue } = await library();
    const records = catalogue.photos().map((p) => structuredClone(p));
    await catalogue.close();
    const file = path.join(dir, PHOTO_TABLE_FILE);
    downgradeToLayout2(file);
    const reader = await Catalogue.open(dir, { readOnly: true });
    expect(reader.photos()).toEqual(records);
    expect(await photoPage(reader, { sort: 'taken-desc', offset: 0, limit: 10 })).toBeUndefined();
    await reader.close();
    expect(layoutOf(file).version).toBe(2);
  });
});
