/**
 * scoreVectorsWithRows (tagging's batch scorer) gives exactly scoreWithRow's score and row for
 * every vector: with zero rows (signals a photo lacks), ties, an odd number of rows, matrices
 * whose every live row scores below zero, and an all-zero matrix.
 */
import { describe, expect, it } from 'vitest';
import { scoreVectorsWithRows, scoreWithRow } from '../../../src-main/engine/index/scoring.js';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

function check(matrix: Float32Array, k: number, d: number, vectors: Float32Array): void {
  const n = vectors.length / d;
  const scores = new Float64Array(n);
  const rows = new Uint16Array(n);
  scoreVectorsWithRows(matrix, k, d, vectors, scores, rows);
  for (let v = 0; v < n; v++) {
    const one = scoreWithRow(matrix, k, d, vectors.subarray(v * d, (v + 1) * d));
    expect([scores[v], rows[v]]).toEqual([one.score, one.row]);
  }
}

describe('scoreVectorsWithRows', () => {
  const d = 7;
  const random = seeded(7);
  const vectors = new Float32Array(40 * d).map(() => random());
  vectors.fill(0, 0, d); // a zero vector: every row scores 0
  vectors.set(vectors.subarray(d, 2 * d), 2 * d); // a repeated vector

  it('matches scoreWithRow with zero rows among live ones, for odd and even k', () => {
    for (const k of [1, 2, 3, 4, 5, 7, 8, 9]) {
      for (let trial = 0; trial < 6; trial++) {
        const matrix = new Float32Array(k * d).map(() => random());
        for (let row = 0; row < k; row++)
          if (random() > 0.1) matrix.fill(0, row * d, (row + 1) * d);
        check(matrix, k, d, vectors);
      }
    }
  });

  it('picks the first row among equal best scores, a zero row included', () => {
    const k = 10;
    const live = Array.from({ length: d }, () => random());
    const matrix = new Float32Array(k * d);
    // Odd rows equal (four of them scored together, one after), even rows zero.
    for (const row of [1, 3, 5, 7, 9]) matrix.set(live, row * d);
    check(matrix, k, d, vectors);
    const negative = new Float32Array(k * d);
    negative.set(
      live.map((x) => -Math.abs(x)),
      2 * d,
    ); // row 2 ≤ 0 for positive vectors
    check(
      negative,
      k,
      d,
      vectors.map((x) => Math.abs(x)),
    );
    check(new Float32Array(k * d), k, d, vectors); // all rows zero: every score 0, row 0
  });
});
