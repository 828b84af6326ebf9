/**
 * The real starter pack (ImageNet MobileNetV2 + WordNet + GloVe) on real photos: the core loop
 * photos → model → embedding matrices → scores → tags and search.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/engine/api/api.js';
import type { Engine } from '../../src-main/engine/engine.js';
import { openStarterEngine } from '../helpers/engine-fixture.js';
import { REFERENCE_PHOTOS } from '../helpers/shared.js';

const name = (p: string) => path.basename(p, path.extname(p));

describe('starter pack on the reference photos', () => {
  let engine: Engine;
  let api: Api;

  beforeAll(async () => {
    ({ engine, api } = await openStarterEngine({
      packId: 'starter-mobilenetv2-glove100',
      thumbnails: true,
    }));
    const result = await api.call('indexPaths', { paths: [REFERENCE_PHOTOS] });
    expect(result).toMatchObject({ total: 11, indexed: 11, failed: 0 });
  });
  afterAll(() => engine?.close());

  it('tags parrot.jpg as a parrot and a bird, most specific first', async () => {
    const { tags } = await api.call('photoTags', {
      photo: path.join(REFERENCE_PHOTOS, 'parrot.jpg'),
    });
    const labels = tags.map((t) => t.label);
    expect(labels.slice(0, 5)).toEqual(expect.arrayContaining(['macaw', 'parrot']));
    expect(labels).toContain('bird');
    expect(labels.indexOf('macaw')).toBeLessThan(labels.indexOf('bird'));
  });

  it('does not tag the hot dog as an animal', async () => {
    const { tags } = await api.call('photoTags', {
      photo: path.join(REFERENCE_PHOTOS, 'hot_dog.jpg'),
    });
    const labels = tags.map((t) => t.label);
    expect(labels).toContain('hotdog');
    expect(labels).not.toContain('animal');
    expect(labels).not.toContain('bird');
  });

  it('finds birds for "bird": bird, parrot and owl above the hot dog and the cats', async () => {
    const { hits } = await api.call('search', { query: 'bird' });
    const order = hits.map((h) => name(h.path));
    expect(order.slice(0, 3).sort()).toEqual(['bird', 'owl', 'parrot']);
    for (const other of ['hot_dog', 'cat', 'cat_720p'])
      expect(order.indexOf(other)).toBeGreaterThan(2);
  });

  it('answers unseen words through the word table', async () => {
    const top = async (query: string, n: number) =>
      (await api.call('search', { query, limit: n })).hits.map((h) => name(h.path));
    expect((await top('kitten', 2)).sort()).toEqual(['cat', 'cat_720p']);
    expect(await top('food', 1)).toEqual(['hot_dog']);
    expect(await top('insect', 1)).toEqual(['dragonfly']);
    const why = (await api.call('search', { query: 'feathers', limit: 1 })).hits[0]!.why[0]!;
    expect(why.source).toBe('word');
  });

  it('refuses a word the table lacks, with suggestions', async () => {
    await expect(api.call('search', { query: 'parrrot' })).rejects.toMatchObject({
      code: 'UNKNOWN_WORD',
      details: {
        unknown: ['parrrot'],
        suggestions: { parrrot: expect.arrayContaining(['parrot']) },
      },
    });
  });
});
