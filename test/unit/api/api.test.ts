import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import type { IndexProgress } from '../../../src-main/engine/library/indexer.js';
import { openTinyEngine, tinyLibrary, type TinyLibrary } from '../../helpers/engine-fixture.js';
import { solidImage } from '../../helpers/temp.js';

describe('engine API on the tiny pack', () => {
  let lib: TinyLibrary;
  let root: string;
  let photos: string;
  /** The engine's own defaults: a worker thread when out/node is built, thumbnails made. */
  const open = async (): Promise<void> => {
    ({ engine, api } = await openTinyEngine(lib, { indexWorkers: undefined, thumbnails: true }));
  };
  let engine: Engine;
  let api: Api;

  beforeAll(async () => {
    lib = await tinyLibrary();
    ({ root, photos } = lib);
    await mkdir(path.join(photos, 'nested', '.hidden'), { recursive: true });
    await solidImage(path.join(photos, 'red.png'), [255, 0, 0]);
    await solidImage(path.join(photos, 'nested', 'green.jpg'), [0, 255, 0], { format: 'jpeg' });
    await solidImage(path.join(photos, 'blue.png'), [0, 0, 255]);
    await solidImage(path.join(photos, 'nested', '.hidden', 'skipped.png'), [9, 9, 9]);
    await writeFile(
      path.join(photos, 'broken.jpg'),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
    );
    await writeFile(path.join(photos, 'notes.txt'), 'not a photo');
    await open();
  });
  afterAll(() => engine.close());

  it('indexes a folder recursively, recording a broken file and reporting progress', async () => {
    const events: IndexProgress[] = [];
    const off = api.on('indexProgress', (p) => events.push(p));
    const result = await api.call('indexPaths', { paths: [photos] });
    off();
    expect(result).toMatchObject({ total: 4, indexed: 3, failed: 1, skipped: 0 });
    expect(events.at(-1)).toMatchObject({ done: 4, total: 4 });
    const broken = engine.catalogue.photoByPath(path.join(photos, 'broken.jpg'));
    expect(broken).toMatchObject({ state: 'error', error: { code: 'IMAGE_UNREADABLE' } });
    const status = await api.call('status', {});
    expect(status).toMatchObject({
      pack: { id: 'tiny', k: 2, d: 3 },
      provider: 'cpu',
      photos: { total: 4, indexed: 3, failed: 1 },
    });
  });

  it('skips unchanged files on a second run', async () => {
    const again = await api.call('indexPaths', { paths: [photos] });
    expect(again).toMatchObject({ total: 4, indexed: 0, skipped: 4 });
  });

  it('ranks photos by any word and ANDs several words', async () => {
    const red = await api.call('search', { query: 'red' });
    expect(path.basename(red.hits[0]!.path)).toBe('red.png');
    expect(red.hits[0]!.why).toEqual([
      expect.objectContaining({ term: 'red', source: 'seen', score: 1, row: 0, matched: true }),
    ]);
    // "warm" = (0.6, 0.8, 0): green scores 0.8, red 0.6, blue 0.5 (its second row).
    const warm = await api.call('search', { query: 'warm' });
    expect(warm.hits.map((h) => path.basename(h.path))).toEqual([
      'green.jpg',
      'red.png',
      'blue.png',
    ]);
    expect(warm.hits[0]!.why[0]).toMatchObject({ source: 'word', score: expect.closeTo(0.8, 2) });
    // red AND blue: red photo = min(1, 0) ; blue photo = min(0.5, 1) → blue first.
    const both = await api.call('search', { query: 'red blue' });
    expect(path.basename(both.hits[0]!.path)).toBe('blue.png');
    expect(both.hits[0]!.score).toBeCloseTo(0.5, 3);
  });

  it('scores extra unseen labels for one photo', async () => {
    const result = await api.call('photoTags', {
      photo: path.join(photos, 'red.png'),
      labels: ['warm', 'Blue'],
    });
    // Calibrated thresholds (test/unit/vocab): green's 0.5 on the red photo is its typical score.
    expect(result.tags.map((t) => t.label)).toEqual(['red']);
    expect(result.extra).toEqual([
      { label: 'warm', score: expect.closeTo(0.6, 2), seen: false, row: 0 },
      { label: 'blue', score: 0, seen: true, row: 0 },
    ]);
  });

  it("ranks a photo's seen labels with no threshold, stored or from a file outside the library", async () => {
    const stored = await api.call('rankLabels', {
      photo: path.join(photos, 'red.png'),
      labels: ['warm'],
    });
    expect(stored).toMatchObject({ source: 'stored', pack: 'tiny', total: 3 });
    expect(stored.photo.id).toBe(engine.catalogue.photoByPath(path.join(photos, 'red.png'))!.id);
    // Unlike photoTags (red only, past the thresholds), every label comes back, best first.
    expect(stored.labels).toEqual([
      { label: 'red', score: expect.closeTo(1, 2), seen: true, row: expect.any(Number) },
      { label: 'green', score: expect.closeTo(0.5, 2), seen: true, row: expect.any(Number) },
      { label: 'blue', score: expect.closeTo(0, 2), seen: true, row: expect.any(Number) },
    ]);
    expect(stored.extra).toEqual([
      { label: 'warm', score: expect.closeTo(0.6, 2), seen: false, row: 0 },
    ]);

    const outside = await solidImage(path.join(root, 'outside-blue.png'), [0, 0, 255]);
    const count = engine.catalogue.photos().length;
    const fresh = await api.call('rankLabels', { photo: outside, limit: 1 });
    expect(fresh).toMatchObject({ source: 'file', photo: { path: outside }, total: 3 });
    expect(fresh.photo.id).toBeUndefined();
    expect(fresh.labels).toEqual([
      { label: 'blue', score: expect.closeTo(1, 2), seen: true, row: expect.any(Number) },
    ]);
    expect(engine.catalogue.photos()).toHaveLength(count);
    expect(engine.catalogue.photoByPath(outside)).toBeUndefined();

    await expect(api.call('rankLabels', { photo: 'red.png' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      api.call('rankLabels', { photo: path.join(photos, 'broken.jpg') }),
    ).rejects.toMatchObject({ code: 'IMAGE_UNREADABLE' });
  });

  it('validates every input, naming the field', async () => {
    await expect(api.call('search', { query: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(api.call('search', { query: '  ' })).rejects.toThrow('Search text is empty');
    await expect(api.call('addLabel', { text: 'x'.repeat(500) })).rejects.toMatchObject({
      message: 'Label text is longer than 100 characters',
      details: { method: 'addLabel', fields: [{ field: 'text' }] },
    });
    await expect(api.call('search', { query: 'red', limit: -1 })).rejects.toThrow(/^Limit /);
    await expect(api.call('search', { query: 'red', extra: 1 })).rejects.toThrow(/extra/);
    await expect(api.call('nope' as 'status', {})).rejects.toThrow(/Unknown method "nope"/);
    await expect(api.call('search', { query: 'zzzq' })).rejects.toMatchObject({
      code: 'UNKNOWN_WORD',
    });
    await expect(api.call('photoTags', { photo: '/nowhere.jpg' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      api.call('indexPaths', { paths: [path.join(root, 'missing')] }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('keeps everything across a restart', async () => {
    await engine.close();
    await open();
    const red = await api.call('search', { query: 'red', limit: 1 });
    expect(path.basename(red.hits[0]!.path)).toBe('red.png');
    expect(engine.catalogue.photos()).toHaveLength(4);
  });
});
