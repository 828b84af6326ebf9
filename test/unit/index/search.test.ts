import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnytagError } from '../../../src-main/engine/errors.js';
import { parseQuery } from '../../../src-main/engine/index/query.js';
import {
  evaluateQuery,
  type ResolvedTerm,
  type SearchOptions,
} from '../../../src-main/engine/index/search.js';
import { SearchIndex } from '../../../src-main/engine/index/search-index.js';

/**
 * Photos with one principal vector (k = 1) over three "concepts"; each word's vector is one
 * axis, so a photo's score for a word is its weight on that axis. Every threshold is 0.5.
 */
const PHOTOS: Record<string, [number, number, number]> = {
  catOnly: [0.9, 0.1, 0.0],
  dogOnly: [0.1, 0.8, 0.0],
  catAndDog: [0.6, 0.7, 0.0],
  catOnSofa: [0.7, 0.0, 0.6],
  sofa: [0.0, 0.2, 0.9],
  weakCat: [0.4, 0.0, 0.1],
};
const AXES: Record<string, number> = { cat: 0, dog: 1, sofa: 2 };

function resolve(text: string): ResolvedTerm {
  if (text === 'kitty') {
    return {
      key: 'kitty',
      text,
      source: 'user',
      label: 'cat',
      vectors: [axis(2), axis(0)], // an alias scoring the best of two vectors
      members: ['sofa', 'cat'],
      threshold: 0.5,
    };
  }
  const at = AXES[text];
  if (at === undefined) {
    throw new AnytagError('UNKNOWN_WORD', `Unknown word: ${text}`, {
      unknown: [text],
      suggestions: { [text]: [] },
    });
  }
  return { key: text, text, source: 'seen', label: text, vectors: [axis(at)], threshold: 0.5 };
}

function axis(at: number): Float32Array {
  const v = new Float32Array(3);
  v[at] = 1;
  return v;
}

describe('boolean search semantics', () => {
  const index = new SearchIndex(1, 3, { workers: 0 });
  beforeAll(() => {
    for (const [id, v] of Object.entries(PHOTOS)) index.set(id, Float32Array.from(v));
  });
  afterAll(() => index.close());

  const run = async (query: string, options: Partial<SearchOptions> = {}) =>
    evaluateQuery(index, parseQuery(query), resolve, { limit: 10, ...options });
  const ids = async (query: string, options: Partial<SearchOptions> = {}) =>
    (await run(query, options)).map((h) => `${h.photoId}${h.matched ? '' : '~'}`);

  it('ranks one word by score: matches first, then weaker results', async () => {
    expect(await ids('cat')).toEqual([
      'catOnly',
      'catOnSofa',
      'catAndDog',
      'weakCat~',
      'dogOnly~',
      'sofa~',
    ]);
    expect(await ids('cat', { matchedOnly: true })).toEqual(['catOnly', 'catOnSofa', 'catAndDog']);
  });

  it('AND ranks by the weakest word and matches only when every word passes', async () => {
    const hits = await run('cat dog', { matchedOnly: true });
    expect(hits.map((h) => h.photoId)).toEqual(['catAndDog']);
    expect(hits[0]!.score).toBeCloseTo(0.6, 2);
  });

  it('OR ranks by the best word and matches when any word passes', async () => {
    expect(await ids('cat OR sofa', { matchedOnly: true })).toEqual([
      'catOnly',
      'sofa',
      'catOnSofa',
      'catAndDog',
    ]);
  });

  it('NOT excludes every photo its word matches, even from the weaker results', async () => {
    expect(await ids('cat -dog')).toEqual(['catOnly', 'catOnSofa', 'weakCat~', 'sofa~']);
    expect(await ids('cat NOT (dog OR sofa)')).toEqual(['catOnly', 'weakCat~']);
    // Only NOTs: the photos least like the word first (weakCat's 0.4 misses cat's threshold).
    expect(await ids('-cat')).toEqual(['sofa', 'dogOnly', 'weakCat']);
  });

  it('explains each hit: per term its score, threshold, row, label and alias', async () => {
    const [hit] = await run('kitty -dog', { filter: (id) => id === 'sofa' });
    expect(hit).toMatchObject({ photoId: 'sofa', matched: true });
    expect(hit!.why).toEqual([
      {
        term: 'kitty',
        source: 'user',
        label: 'cat',
        score: expect.closeTo(0.9, 2),
        row: 0,
        threshold: 0.5,
        matched: true,
        negated: false,
      },
      expect.objectContaining({ term: 'dog', matched: false, negated: true }),
    ]);
    const [cat] = await run('kitty', { filter: (id) => id === 'catOnly' });
    expect(cat!.why[0]).toMatchObject({ via: 'cat', score: expect.closeTo(0.9, 2) });
  });

  it('applies filters and limits', async () => {
    expect(await ids('cat', { filter: (id) => id.startsWith('cat'), limit: 2 })).toEqual([
      'catOnly',
      'catOnSofa',
    ]);
  });

  it('reports every unknown word of a query in one error', async () => {
    await expect(run('cat zorp -blah')).rejects.toMatchObject({
      code: 'UNKNOWN_WORD',
      details: { unknown: ['zorp', 'blah'] },
    });
  });
});
