import { describe, expect, it } from 'vitest';
import { sortFloat32 } from '../../../src-main/engine/vocab/sort-floats.js';
import { labelStats, otsu, quantile } from '../../../src-main/engine/vocab/thresholds.js';

/** Deterministic values in [0, 1). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** The same values' bits, so −0 and +0 (equal as numbers) are told apart. */
const bitsOf = (values: Float32Array): number[] =>
  Array.from(new Uint32Array(Float32Array.from(values).buffer));

describe('sortFloat32', () => {
  it('orders float32 values exactly as Float32Array.prototype.sort, bit for bit', () => {
    const next = random(7);
    const specials = [0, -0, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38, -3.4e38, 0.5, -0.5];
    for (const length of [0, 1, 63, 64, 1000, 8192, 20000]) {
      const values = Float32Array.from({ length }, (_, i) =>
        // Ties (a coarse grid), the specials, and spread-out magnitudes of both signs.
        i % 7 === 0
          ? specials[i % specials.length]!
          : i % 3 === 0
            ? Math.round(next() * 20) / 10 - 1
            : (next() - 0.5) * 10 ** Math.floor(next() * 12 - 6),
      );
      const expected = Float32Array.from(values).sort();
      const sorted = sortFloat32(Float32Array.from(values));
      expect(bitsOf(sorted)).toEqual(bitsOf(expected));
    }
  });

  it('puts NaNs last, like the built-in sort', () => {
    const values = Float32Array.from({ length: 200 }, (_, i) => (i % 9 === 0 ? NaN : 100 - i));
    const sorted = sortFloat32(Float32Array.from(values));
    const expected = Float32Array.from(values).sort();
    expect(Array.from(sorted)).toEqual(Array.from(expected));
    expect(sorted.slice(-23).every(Number.isNaN)).toBe(true);
  });

  it('sorts a view in place without touching the bytes around it', () => {
    const whole = Float32Array.from({ length: 300 }, (_, i) => (i * 37) % 101);
    const view = whole.subarray(100, 200);
    const expected = Float32Array.from(view).sort();
    sortFloat32(view);
    expect(Array.from(view)).toEqual(Array.from(expected));
    expect(Array.from(whole.subarray(0, 100))).toEqual(
      Array.from({ length: 100 }, (_, i) => (i * 37) % 101),
    );
  });
});

/** labelStats as it was before the radix sort: the built-in sort twice. */
function labelStatsBySorting(scores: Float32Array, max = 8192) {
  const n = scores.length;
  const step = Math.max(1, Math.floor(n / max));
  const sample = new Float32Array(Math.ceil(n / step));
  for (let i = 0, s = 0; i < n; i += step) sample[s++] = scores[i]!;
  sample.sort();
  const split = otsu(sample);
  const middle = (sorted: Float32Array): number => {
    const at = 0.5 * (sorted.length - 1);
    const low = Math.floor(at);
    const high = Math.min(sorted.length - 1, low + 1);
    return sorted[low]! + (at - low) * (sorted[high]! - sorted[low]!);
  };
  const median = middle(sample);
  for (let i = 0; i < sample.length; i++) sample[i] = Math.abs(sample[i]! - median);
  sample.sort();
  return { split, median, spread: 1.4826 * middle(sample), photos: n };
}

describe('labelStats with the radix sort', () => {
  it('gives exactly what sorting with the built-in sort gave', () => {
    const next = random(11);
    for (const length of [1, 2, 65, 1001, 8192, 100_000]) {
      // Scores like a word's: mostly low, a few high, with ties from a coarse grid.
      const scores = Float32Array.from({ length }, (_, i) =>
        i % 5 === 0 ? Math.round(next() * 100) / 100 : next() ** 3 * 0.6 - 0.1,
      );
      expect(labelStats(scores)).toEqual(labelStatsBySorting(scores));
    }
    expect(quantile(Float32Array.from([3, 1, 2]), 0.5)).toBe(2);
  });
});
