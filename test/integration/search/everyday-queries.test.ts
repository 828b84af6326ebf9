/**
 * Search as a person types it, on the real starter pack over the reference photos: matches
 * counted and kept apart from the closest weaker photos, stopwords, plurals, label spellings,
 * accents, NOT counts, dates, the welcome screen's examples, and removing an alias.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { ApiResults } from '../../../src-main/engine/api/contract.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { openStarterEngine } from '../../helpers/engine-fixture.js';
import { REFERENCE_PHOTOS } from '../../helpers/shared.js';

const name = (p: string) => path.basename(p, path.extname(p));

describe('everyday queries on the starter pack', () => {
  let engine: Engine;
  let api: Api;
  const search = (query: string, limit = 11): Promise<ApiResults['search']> =>
    api.call('search', { query, limit });
  const matches = async (query: string) =>
    (await search(query)).hits.filter((h) => h.matched).map((h) => name(h.path));

  beforeAll(async () => {
    ({ engine, api } = await openStarterEngine());
    await api.call('indexPaths', { paths: [REFERENCE_PHOTOS] });
  });
  afterAll(() => engine?.close());

  it('"owl": no photo matches; the closest follow, flagged, with the count at the top', async () => {
    const owl = await search('owl');
    expect(owl).toMatchObject({ matches: 0, fewMatches: true, excluded: 0 });
    expect(owl.hits.length).toBe(11);
    expect(owl.hits.every((h) => h.matched === false)).toBe(true);
  });

  it('counts matches, lists them first, and says how many photos a NOT removed', async () => {
    const bird = await search('bird');
    expect(bird.matches).toBe(3);
    expect(bird.hits.slice(0, 3).every((h) => h.matched)).toBe(true);
    expect(bird.hits.slice(3).every((h) => !h.matched)).toBe(true);
    const notBird = await search('animal -bird');
    expect(notBird.excluded).toBe(3);
    expect(notBird.hits.map((h) => name(h.path))).not.toContain('parrot');
  });

  it('"hot dog", "hot-dog", "hotdog" and "hot dogs" are the pack\'s hotdog label', async () => {
    for (const query of ['hot dog', '"hot dog"', 'hot-dog', 'hotdog', 'hot dogs']) {
      const answer = await search(query);
      expect(answer.hits[0]!.why).toEqual([
        expect.objectContaining({ source: 'seen', label: 'hotdog', matched: true }),
      ]);
      expect(answer.hits.filter((h) => h.matched).map((h) => name(h.path))).toEqual(['hot_dog']);
    }
  });

  it('"a dog" drops the stopword; "dogs" is read as "dog"', async () => {
    const aDog = await search('a dog');
    expect(aDog.dropped).toEqual(['a']);
    expect(aDog.hits[0]!.why).toEqual([expect.objectContaining({ term: 'dog', label: 'dog' })]);
    expect(name(aDog.hits[0]!.path)).toBe('pets');
    const dogs = await search('dogs');
    expect(dogs.hits[0]!.why[0]).toMatchObject({ term: 'dogs', read: 'dog', label: 'dog' });
    expect(await matches('dogs')).toEqual(await matches('dog'));
    expect(await matches('cats')).toEqual(await matches('cat'));
  });

  it('reads a plural as its singular, but keeps a noun that is a verb form as it is', async () => {
    expect((await search('leaves')).hits[0]!.why[0]).toMatchObject({ read: 'leaf' });
    expect((await search('wedding')).hits[0]!.why[0]!.read).toBeUndefined();
  });

  it('"dog in the park" scores only "dog" and "park"', async () => {
    const answer = await search('dog in the park');
    expect(answer.dropped).toEqual(['in', 'the']);
    expect(answer.hits[0]!.why.map((w) => w.term)).toEqual(['dog', 'park']);
  });

  it('folds accents when the exact form is unknown: café, Zürich, naïve', async () => {
    for (const [query, read] of [
      ['café', 'cafe'],
      ['Zürich', 'zurich'],
      ['naïve', 'naive'],
    ] as const) {
      const answer = await search(query);
      expect(answer.hits[0]!.why[0]).toMatchObject({ source: 'word', read });
    }
  });

  it('reads ~ in folder: as the home folder', async () => {
    const home = process.env.HOME;
    process.env.HOME = path.dirname(REFERENCE_PHOTOS);
    try {
      const inside = await search(`bird folder:~/${path.basename(REFERENCE_PHOTOS)}`);
      expect(inside.matches).toBe(3);
      expect((await search('bird folder:~/elsewhere')).hits).toEqual([]);
    } finally {
      process.env.HOME = home;
    }
  });

  it('refuses impossible dates with a clear message', async () => {
    await expect(search('bird after:2024-02-30')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('after:2024-02-30 is not a date'),
    });
    await expect(search('bird before:1')).rejects.toMatchObject({
      message: expect.stringContaining('before:1 is not a date'),
    });
    expect((await search('bird after:2024-02-29')).matches).toBeGreaterThanOrEqual(0);
  });

  it('suggests known words for an unknown one', async () => {
    await expect(search('parrrot')).rejects.toMatchObject({
      code: 'UNKNOWN_WORD',
      details: { suggestions: { parrrot: expect.arrayContaining(['parrot']) } },
    });
  });

  it("finds what the welcome screen's examples promise", async () => {
    expect(await matches('bird')).toEqual(expect.arrayContaining(['bird', 'owl', 'parrot']));
    expect(await matches('"hot dog"')).toEqual(['hot_dog']);
    // "red car": both words, each with its threshold; no reference photo shows a car.
    const redCar = await search('red car');
    expect(redCar.hits[0]!.why.map((w) => w.term)).toEqual(['red', 'car']);
    for (const hit of redCar.hits) {
      expect(hit.matched).toBe(hit.why.every((w) => w.matched));
    }
  });

  it('removing an alias removes the alias; removing a seen label hides it', async () => {
    await api.call('addLabel', { text: 'puppy' });
    await api.call('aliasLabel', { label: 'puppy', alias: 'dog' });
    expect((await search('dog')).hits[0]!.why[0]).toMatchObject({ label: 'puppy' });
    const removed = await api.call('removeLabel', { label: 'dog' });
    expect(removed).toMatchObject({
      change: 'alias removed',
      alias: 'dog',
      removed: false,
      label: { key: 'puppy', aliases: [] },
    });
    const labels = await api.call('listLabels', { filter: 'dog', kind: 'seen', limit: 1 });
    expect(labels.labels[0]).toMatchObject({ key: 'dog', hidden: false });
    expect((await search('dog')).hits[0]!.why[0]).toMatchObject({ label: 'dog' });
    const hidden = await api.call('removeLabel', { label: 'owl' });
    expect(hidden).toMatchObject({ change: 'hidden', removed: false, label: { hidden: true } });
    const gone = await api.call('removeLabel', { label: 'puppy' });
    expect(gone).toMatchObject({ change: 'removed', removed: true, label: { key: 'puppy' } });
  });
});
