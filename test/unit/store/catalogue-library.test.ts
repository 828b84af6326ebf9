import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue, CATALOGUE_FILE } from '../../../src-main/engine/store/catalogue.js';
import {
  CATALOGUE_VERSION,
  migrate,
  type PhotoRecord,
} from '../../../src-main/engine/store/catalogue-schema.js';
import { tempDir } from '../../helpers/temp.js';

const photo = (id: string, extra: Partial<PhotoRecord> = {}): PhotoRecord => ({
  id,
  path: `/photos/${id}.jpg`,
  size: 1,
  mtimeMs: 1,
  hash: null,
  state: 'indexed',
  tags: [],
  ...extra,
});

describe('catalogue schema version 2', () => {
  it('migrates a version 1 file: folders gain polling and online, nothing is lost', () => {
    const v1 = {
      schemaVersion: 1,
      settings: { activePack: 'starter' },
      folders: [{ path: '/photos', addedAt: '2026-01-01T00:00:00.000Z' }],
      photos: [{ ...photo('a'), state: 'error', error: { code: 'IO', message: 'x' } }],
    };
    const data = migrate(v1);
    expect(data.schemaVersion).toBe(CATALOGUE_VERSION);
    expect(data.folders).toEqual([{ ...v1.folders[0], polling: false, online: true }]);
    expect(data.photos).toEqual(v1.photos);
    expect(data.embeddingFiles).toEqual({});
    expect(data.settings.activePack).toBe('starter');
  });

  it('opens a version 1 catalogue from disk and writes it back as version 2', async () => {
    const dir = await tempDir();
    const v1 = { schemaVersion: 1, settings: {}, folders: [], photos: [photo('a')] };
    await writeFile(path.join(dir, CATALOGUE_FILE), JSON.stringify(v1));
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    expect(catalogue.photoById('a')).toBeDefined();
    catalogue.touched();
    await catalogue.flush();
    const saved = JSON.parse(await readFile(path.join(dir, CATALOGUE_FILE), 'utf8'));
    expect(saved.schemaVersion).toBe(CATALOGUE_VERSION);
  });

  it('clears temp files a crash left mid-write, never the catalogue', async () => {
    const dir = await tempDir();
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    catalogue.addPhoto(photo('a'));
    await catalogue.flush();
    await writeFile(path.join(dir, `${CATALOGUE_FILE}.tmp-999999`), '{"torn":');
    const reopened = await Catalogue.open(dir);
    expect(reopened.photos()).toHaveLength(1);
    expect(reopened.loadReport.recoveredFrom).toBeUndefined();
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('accepts the offline state', () => {
    const data = migrate({
      schemaVersion: 2,
      settings: {},
      folders: [{ path: '/d', addedAt: 'x', polling: true, online: false }],
      photos: [photo('a', { state: 'offline' })],
      embeddingFiles: { tiny: { generation: 3 } },
    });
    expect(data.photos[0]!.state).toBe('offline');
  });
});

describe('catalogue records', () => {
  it('moves, removes and finds photos by hash', async () => {
    const catalogue = await Catalogue.open(await tempDir(), { debounceMs: 1 });
    const a = photo('a', { hash: 'h1' });
    catalogue.addPhoto(a);
    catalogue.addPhoto(photo('b', { hash: 'h1' }));
    expect(catalogue.photosWithHash('h1').map((p) => p.id)).toEqual(['a', 'b']);
    catalogue.movePhoto(a, '/elsewhere/a.jpg');
    expect(catalogue.photoByPath('/photos/a.jpg')).toBeUndefined();
    expect(catalogue.photoByPath('/elsewhere/a.jpg')).toBe(a);
    catalogue.removePhoto(catalogue.photoById('b')!);
    expect(catalogue.photos().map((p) => p.id)).toEqual(['a']);
    expect(catalogue.photosWithHash('h1')).toEqual([a]);
    catalogue.setHash(a, 'h2');
    expect(catalogue.photosWithHash('h1')).toEqual([]);
    await catalogue.flush();
  });

  it('keeps one record per path when a file holds two', async () => {
    const dir = await tempDir();
    const twin = { ...photo('b'), path: '/photos/a.jpg', state: 'pending' };
    await writeFile(
      path.join(dir, CATALOGUE_FILE),
      JSON.stringify({
        schemaVersion: 2,
        settings: {},
        folders: [],
        photos: [photo('a'), twin],
        embeddingFiles: {},
      }),
    );
    const catalogue = await Catalogue.open(dir);
    expect(catalogue.photos().map((p) => p.id)).toEqual(['a']);
  });

  it('runs save hooks around each write: before it starts, after it is durable', async () => {
    const catalogue = await Catalogue.open(await tempDir(), { debounceMs: 1 });
    const order: string[] = [];
    catalogue.onSave(() => {
      order.push('start');
      return {
        before: Promise.resolve().then(() => void order.push('before')),
        after: () => void order.push('after'),
      };
    });
    catalogue.addPhoto(photo('a'));
    await catalogue.flush();
    expect(order).toEqual(['start', 'before', 'after']);
    expect(catalogue.lastSaveMs).toBeGreaterThan(0);
  });

  it('retries a failed save on the next flush, and reports no error once a save succeeds', async () => {
    const dir = await tempDir();
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    // The JSON document holds the folders (photo records live in the photo table).
    catalogue.addFolder('/a');
    await catalogue.flush();
    // A folder where the temp file goes makes the next write fail (as a full disk would).
    const blocker = path.join(dir, `${CATALOGUE_FILE}.tmp-${process.pid}`);
    await mkdir(blocker);
    catalogue.addFolder('/b');
    await expect(catalogue.flush()).rejects.toThrow();
    await rmdir(blocker);
    await catalogue.flush();
    const saved = JSON.parse(await readFile(path.join(dir, CATALOGUE_FILE), 'utf8'));
    expect(saved.folders.map((f: { path: string }) => f.path)).toEqual(['/a', '/b']);

    // A failed timed save followed by a good one leaves nothing to report.
    await mkdir(blocker);
    catalogue.addFolder('/c');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await rmdir(blocker);
    catalogue.addFolder('/d');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(catalogue.flush()).resolves.toBeUndefined();
  });
});
