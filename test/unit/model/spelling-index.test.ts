import { describe, expect, it } from 'vitest';
import {
  SpellingIndex,
  boundedEditDistance,
  trigrams,
} from '../../../src-main/engine/model/spelling-index.js';

describe('spelling index', () => {
  const words = ['the', 'dog', 'cat', 'parrot', 'carrot', 'dot', 'dogs', 'doge', 'bird', 'cafe'];

  it('pads trigrams so short words and word edges count', () => {
    expect(trigrams('dog')).toEqual(['  d', ' do', 'dog', 'og ']);
  });

  it('suggests words within two edits, closest then most frequent', async () => {
    const index = await SpellingIndex.build(words);
    expect(index.size).toBe(words.length);
    expect(index.suggest('dgo')).toEqual(['dog', 'dot', 'dogs', 'doge']);
    expect(index.suggest('parrrot')).toEqual(['parrot', 'carrot']);
    expect(index.suggest('café')).toEqual(['cafe', 'cat']);
    expect(index.suggest('xylophone')).toEqual([]);
    expect(index.suggest('dog', 2)).toEqual(['dot', 'dogs']);
  });

  it('agrees with the edit distance it is bounded by', () => {
    expect(boundedEditDistance('kitten', 'sitting', 3)).toBe(3);
    expect(boundedEditDistance('kitten', 'sitting', 1)).toBe(2);
    expect(boundedEditDistance('dgo', 'dog', 2)).toBe(1);
    expect(boundedEditDistance('teh', 'the', 2)).toBe(1);
    expect(boundedEditDistance('abcd', 'badc', 2)).toBe(2);
  });

  it('puts a swapped pair of letters first, before more frequent one-letter edits', async () => {
    // The word table's order: "do", "go" and "ago" are more frequent than "dog".
    const index = await SpellingIndex.build(['do', 'go', 'ago', 'duo', 'ego', 'dog']);
    expect(index.suggest('dgo')[0]).toBe('dog');
  });
});
