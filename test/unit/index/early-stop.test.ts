import { afterAll, describe, expect, it } from 'vitest';
import { SearchIndex } from '../../../src-main/engine/index/search-index.js';

/**
 * The kernel's early stop (rows by decreasing norm; stop at the first row whose bound cannot
 * beat the best so far; an all-zero row's bound is 0) against the straightforward scorer of
 * the same int8 rows: every row of every photo, in stored order, with the kernel's float32
 * arithmetic. Scores and rows must agree bit for bit, ties and all-zero rows included.
 */

/** Deterministic values in [-1, 1). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 31 - 1;
  };
}

/** s(w) and its row by scanning every row, as quantised-rows.ts stores them and the kernel
 *  computes (int8 rows, int16 query, float32 products; the first stored row wins a tie). */
function straightforward(
  matrix: Float32Array,
  k: number,
  d: number,
  w: Float32Array,
): { score: number; row: number } {
  const dp = Math.ceil(d / 8) * 8;
  const limit = Math.min(32767, Math.floor(2 ** 31 / (128 * dp * 2)));
  const wMax = Math.max(...Array.from(w, Math.abs));
  const wScale = wMax > 0 ? wMax / limit : 1;
  const q = Array.from(w, (v) => Math.round(v / wScale));
  const rows = Array.from({ length: k }, (_, row) => {
    const values = matrix.subarray(row * d, (row + 1) * d);
    return { row, norm: Math.sqrt(values.reduce((sum, v) => sum + v * v, 0)), values };
  }).sort((a, b) => b.norm - a.norm);
  let best = -Infinity;
  let bestRow = 0;
  for (const { row, values } of rows) {
    const max = Math.max(...Array.from(values, Math.abs));
    const scale = max > 0 ? max / 127 : 1;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += Math.round(values[j]! / scale) * q[j]!;
    const value = Math.fround(Math.fround(dot) * Math.fround(scale));
    if (value > best) {
      best = value;
      bestRow = row;
    }
  }
  return { score: Math.fround(best * Math.fround(wScale)), row: bestRow };
}

const [K, D] = [12, 20];

/** Photos of each kind, in the model's row order (zero rows anywhere, not only last). */
function photos(next: () => number, n: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 5;
    const m = new Float32Array(K * D);
    if (kind === 0)
      m.forEach((_, at) => (m[at] = next())); // random, no zero row
    else if (kind === 4) {
      // All zero but for one row pointing away from the first word: the zero rows must win.
      for (let j = 0; j < D; j++) m[3 * D + j] = -1 / Math.sqrt(D);
    } else if (kind !== 3 || i % 10 !== 3) {
      // Starter-like: a few heavy rows, a few light, the rest zero, in shuffled places.
      const live = new Set<number>();
      while (live.size < 1 + ((i * 7) % 6)) live.add(Math.floor(((next() + 1) / 2) * K));
      for (const row of live) {
        const weight = live.size > 2 && row % 3 === 0 ? 0.05 : 1;
        for (let j = 0; j < D; j++) m[row * D + j] = next() * weight;
      }
      if (kind === 2) m.copyWithin((((i % K) + 1) % K) * D, 0, D); // a row twice: a tie
    } // else: every row zero
    out.push(m);
  }
  return out;
}

describe('the early stop, against scoring every row', () => {
  const indexes: SearchIndex[] = [];
  afterAll(() => Promise.all(indexes.map((index) => index.close())));

  it.each([
    ['WebAssembly SIMD on the calling thread', { workers: 0 }, 3000],
    ['WebAssembly SIMD on worker threads and the calling thread', { workers: 2 }, 20_000],
    ['the plain JavaScript loop', { kernel: 'js' as const }, 600],
  ])('gives the same scores and rows, bit for bit: %s', async (_, options, n) => {
    const next = random(17);
    const index = new SearchIndex(K, D, options);
    indexes.push(index);
    const matrices = photos(next, n);
    matrices.forEach((m, i) => index.set(`p${i}`, m));
    // The first word points away from kind 4's row; the last is one of photo 0's rows.
    const first = Float32Array.from({ length: D }, () => 1 / Math.sqrt(D));
    const unit = (v: Float32Array) => v.map((x) => x / Math.hypot(...v));
    const words = [
      first,
      unit(Float32Array.from({ length: D }, next)),
      unit(matrices[0]!.slice(D, 2 * D)),
    ];
    const scored = await index.score(words);
    let zeroWins = 0;
    words.forEach((w, t) => {
      const expected = matrices.map((m) => straightforward(m, K, D, w));
      expect(Array.from(scored[t]!.scores)).toEqual(expected.map((e) => e.score));
      expect(Array.from(scored[t]!.rows)).toEqual(expected.map((e) => e.row));
      zeroWins += expected.filter((e) => e.score === 0).length;
    });
    expect(zeroWins).toBeGreaterThan(n / 10); // the zero rows' own case did come up
  });
});
