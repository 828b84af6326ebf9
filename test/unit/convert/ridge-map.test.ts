import { describe, expect, it } from 'vitest';
import {
  applyMap,
  cholesky,
  fitRidgeMap,
  solveCholesky,
} from '../../../src-main/engine/model/convert/ridge-map.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

describe('ridge map', () => {
  it('factors and solves a known SPD system', () => {
    const a = Float64Array.from([4, 2, 2, 3]);
    const l = cholesky(a, 2);
    expect([...l]).toEqual([2, 0, 1, Math.sqrt(2)]);
    const b = Float64Array.from([2, 5]); // x = A⁻¹ b = [-0.5, 2]
    solveCholesky(l, 2, b);
    expect(b[0]).toBeCloseTo(-0.5, 12);
    expect(b[1]).toBeCloseTo(2, 12);
  });

  it('matches the one-dimensional closed form w = Σxy / (Σx² + λ)', () => {
    const x = Float32Array.from([1, 2, 3]);
    const y = Float32Array.from([2, 3, 7]);
    const w = fitRidgeMap(x, y, 3, 0.5);
    expect(w[0]).toBeCloseTo((2 + 6 + 21) / (14 + 0.5), 6);
  });

  it('recovers a linear map from noiseless data when λ is small', () => {
    const rand = lcg(1);
    const [n, p, q] = [200, 6, 4];
    const truth = Float32Array.from({ length: p * q }, rand);
    const x = Float32Array.from({ length: n * p }, rand);
    const y = new Float32Array(n * q);
    for (let r = 0; r < n; r++)
      for (let j = 0; j < q; j++)
        for (let i = 0; i < p; i++) y[r * q + j]! += x[r * p + i]! * truth[i * q + j]!;
    const w = fitRidgeMap(x, y, n, 1e-6);
    for (let i = 0; i < w.length; i++) expect(w[i]).toBeCloseTo(truth[i]!, 4);
    const mapped = applyMap([1, 0, 0, 0, 0, 0], w, q);
    expect(Math.hypot(...mapped)).toBeCloseTo(1, 6);
  });

  it('refuses λ ≤ 0 and mismatched rows', () => {
    expect(() => fitRidgeMap(new Float32Array(4), new Float32Array(4), 2, 0)).toThrow(/lambda/);
    expect(() => fitRidgeMap(new Float32Array(5), new Float32Array(4), 2, 1)).toThrow(/rows/);
  });
});
