/** labelPhotos on the tiny pack (known weights): bulk votes, one re-tag, and Undo. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { openTinyEngine, tinyLibrary, type Rgb } from '../../helpers/engine-fixture.js';

const COLOURS: Record<string, Rgb> = {
  red: [255, 0, 0],
  crimson: [200, 30, 0],
  maroon: [120, 0, 0],
  blue: [0, 0, 255],
  navy: [0, 0, 110],
  grey: [128, 128, 128],
};

describe('labelPhotos', () => {
  let root: string;
  let engine: Engine;
  let api: Api;
  const photo = (colour: string): string => path.join(root, 'photos', `${colour}.png`);
  const tagsOf = (colour: string): string[] =>
    engine.catalogue.photoByPath(photo(colour))!.tags.map((t) => t.label);
  const threshold = async (label: string): Promise<number> => {
    const { labels } = await api.call('listLabels', { filter: label, hidden: true });
    return labels.find((l) => l.key === label)!.threshold!.value;
  };

  beforeAll(async () => {
    const lib = await tinyLibrary({ colours: COLOURS });
    root = lib.root;
    ({ engine, api } = await openTinyEngine(lib));
    await api.call('indexPaths', { paths: [lib.photos] });
  });

  afterAll(() => engine?.close());

  it('adds a label to many photos at once, and Undo (the earlier votes) takes it back', async () => {
    const before = await threshold('red');
    expect(tagsOf('maroon')).not.toContain('red');
    await api.call('tagFeedback', { photo: photo('crimson'), label: 'red', vote: 'down' });
    const afterDown = await threshold('red');
    const up = await api.call('labelPhotos', {
      photos: [photo('maroon'), photo('crimson'), photo('maroon')],
      label: 'red',
      vote: 'up',
    });
    expect(up.photos).toBe(2);
    const id = (colour: string): string => engine.catalogue.photoByPath(photo(colour))!.id;
    expect(up.previous).toEqual([
      { photo: id('maroon'), vote: null },
      { photo: id('crimson'), vote: 'down' },
    ]);
    expect(up.threshold.before).toBeCloseTo(afterDown, 3);
    expect(up.retagged).toBeGreaterThan(0);
    expect(tagsOf('maroon')).toContain('red');
    expect(tagsOf('crimson')).toContain('red');

    // Undo: each photo back to the vote it had.
    await api.call('labelPhotos', { photos: [id('maroon')], label: 'red', vote: 'clear' });
    await api.call('labelPhotos', { photos: [id('crimson')], label: 'red', vote: 'down' });
    expect(await threshold('red')).toBeCloseTo(afterDown, 3);
    expect(tagsOf('maroon')).not.toContain('red');
    expect(tagsOf('crimson')).not.toContain('red');
    await api.call('labelPhotos', { photos: [id('crimson')], label: 'red', vote: 'clear' });
    expect(await threshold('red')).toBeCloseTo(before, 3);
  });

  it('lets a label made for a bulk vote be removed again (the bulk Undo of a new label)', async () => {
    const added = await api.call('addLabel', { text: 'warm' });
    await api.call('labelPhotos', {
      photos: [photo('grey'), photo('navy')],
      label: 'warm',
      vote: 'up',
    });
    expect(tagsOf('grey')).toContain('warm');
    const removed = await api.call('removeLabel', { label: added.label.key });
    expect(removed.removed).toBe(true);
    expect(tagsOf('grey')).not.toContain('warm');
  });

  it('queues the photos closest to a user label’s threshold for review, voted ones out', async () => {
    await api.call('addLabel', { text: 'sky' });
    const { items } = await api.call('reviewQueue', { limit: 4 });
    expect(items).toHaveLength(4);
    expect(items.every((i) => i.label === 'sky')).toBe(true);
    const margins = items.map((i) => Math.abs(i.score - i.threshold));
    expect(margins).toEqual([...margins].sort((a, b) => a - b));
    // Every photo not queued sits at least as far from the threshold as the last one queued.
    const all = await api.call('reviewQueue', { label: 'sky', limit: 100 });
    expect(all.items).toHaveLength(Object.keys(COLOURS).length);
    expect(Math.abs(all.items[4]!.score - all.items[4]!.threshold)).toBeGreaterThanOrEqual(
      margins[3]! - 1e-4,
    );
    for (const item of all.items) expect(item.tagged).toBe(item.score >= item.threshold);
    await api.call('tagFeedback', { photo: items[0]!.id, label: 'sky', vote: 'up' });
    const after = await api.call('reviewQueue', { label: 'sky', limit: 100 });
    expect(after.items.map((i) => i.id)).not.toContain(items[0]!.id);
    expect(after.items).toHaveLength(Object.keys(COLOURS).length - 1);
  });

  it('refuses an unknown label or photo, changing nothing', async () => {
    await expect(
      api.call('labelPhotos', { photos: [photo('red')], label: 'no-such-label', vote: 'up' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      api.call('labelPhotos', { photos: ['/nowhere.png'], label: 'red', vote: 'up' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      api.call('labelPhotos', { photos: [], label: 'red', vote: 'up' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
