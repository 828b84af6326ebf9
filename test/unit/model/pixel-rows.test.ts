import { describe, expect, it } from 'vitest';
import { clearPixelRows } from '../../../src-main/engine/model/pixel-rows.js';
import type { OutputSpec } from '../../../src-main/engine/model/pack-schema.js';

const spec = (pixelRows?: number[]): OutputSpec => ({
  name: 'embedding',
  k: 3,
  d: 2,
  order: 'kd',
  ...(pixelRows ? { pixelRows } : {}),
});

describe('clearPixelRows', () => {
  it('zeroes only the declared rows of a [k, d] matrix, in place', () => {
    const matrix = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(clearPixelRows(matrix, spec([0, 2]))).toBe(matrix);
    expect(Array.from(matrix)).toEqual([0, 0, 3, 4, 0, 0]);
  });

  it('leaves a matrix of a pack without pixel rows as it is', () => {
    const matrix = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(clearPixelRows(matrix, spec()))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a matrix that is not k·d values', () => {
    expect(() => clearPixelRows(new Float32Array(5), spec([1]))).toThrow(RangeError);
  });
});
