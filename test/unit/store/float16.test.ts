import { describe, expect, it } from 'vitest';
import {
  decodeHalves,
  encodeHalves,
  floatToHalf,
  halfToFloat,
} from '../../../src-main/engine/store/float16.js';

describe('float16', () => {
  it('encodes exactly representable values exactly', () => {
    for (const v of [0, 1, -1, 0.5, 2, 65504, -0.25, 2 ** -24])
      expect(halfToFloat(floatToHalf(v))).toBe(v);
  });

  it('knows the bit patterns of known values', () => {
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(-2)).toBe(0xc000);
    expect(floatToHalf(65504)).toBe(0x7bff);
    expect(floatToHalf(1e6)).toBe(0x7c00); // overflow → +Infinity
    expect(Number.isNaN(halfToFloat(floatToHalf(NaN)))).toBe(true);
  });

  it('rounds to nearest within half an ulp', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const back = decodeHalves(encodeHalves(values));
    values.forEach((v, i) =>
      expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 1e-7),
    );
  });
});
