import { describe, expect, it } from 'vitest';
import { topIndices } from '../../../src-main/engine/index/scoring.js';

/** The reference: every index with a score, by score descending, ties by index. */
function bySort(key: number[], count: number): number[] {
  return key
    .map((value, i) => ({ value, i }))
    .filter(({ value }) => value !== -Infinity)
    .sort((a, b) => b.value - a.value || a.i - b.i)
    .slice(0, count)
    .map(({ i }) => i);
}

describe('topIndices', () => {
  it('equals a full sort: best first, ties in index order, -Infinity left out', () => {
    let x = 99;
    const next = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 20) % 40; // many ties
    for (const [n, count] of [
      [1000, 50],
      [1000, 1],
      [30, 50],
      [500, 0],
    ] as const) {
      const key = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? -Infinity : next()));
      expect(topIndices(Float64Array.from(key), count)).toEqual(bySort(key, count));
    }
  });
});
