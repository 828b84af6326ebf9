/**
 * Pillow's resampling (`Image.resize(size, BILINEAR | BICUBIC | LANCZOS)` on an RGB image),
 * written from the algorithm's description so that a pack trained on Pillow-fed pictures (the
 * official SDL `infer.py`: `im.resize((224, 224))`, bicubic by default) gets the pixels it was
 * trained on. libvips (sharp) resizes with another sampling grid and gives other pixels.
 *
 * The algorithm (Pillow ≥ 2.7, "convolution-based resampling", as its documentation and the
 * Pillow-SIMD write-ups describe it):
 * - Separable: a horizontal pass into an 8-bit intermediate image (each value rounded and
 *   clamped to 0..255), then a vertical pass over it. An axis whose size does not change is
 *   left alone.
 * - Pixel centres at half-integers: input pixel j covers [j, j + 1); output pixel i of an axis
 *   of `in` → `out` samples is centred at c = (i + 0.5) · in / out.
 * - When shrinking, the filter is stretched by the factor s = max(in / out, 1) (antialiasing):
 *   its support becomes support · s, and tap j weighs filter((j + 0.5 − c) / s).
 * - Taps run from trunc(c − support + 0.5) (at least 0) to trunc(c + support + 0.5) (at most
 *   `in`, exclusive); the weights are normalised to sum to 1.
 * - 8-bit arithmetic: weights become fixed point with 22 fractional bits (rounded half away from
 *   zero); the accumulator (within int32, as in Pillow) starts at 2^21 (round to nearest), and the result is
 *   clamp(floor(acc / 2^22), 0, 255).
 * Unit tests compare this module with Pillow itself (byte-exact).
 */

export type PillowFilter = 'bilinear' | 'bicubic' | 'lanczos';

interface Filter {
  /** Half-width of the kernel in input pixels at scale 1. */
  support: number;
  weight: (x: number) => number;
}

/** Pillow's cubic uses a = −0.5 (Keys' convolution kernel). */
const CUBIC_A = -0.5;
const sinc = (x: number): number => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

const FILTERS: Record<PillowFilter, Filter> = {
  bilinear: {
    support: 1,
    weight: (x) => Math.max(0, 1 - Math.abs(x)),
  },
  bicubic: {
    support: 2,
    weight: (t) => {
      const x = Math.abs(t);
      if (x < 1) return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * CUBIC_A;
      return 0;
    },
  },
  lanczos: {
    support: 3,
    weight: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0),
  },
};

/** Fractional bits of the fixed-point weights: 32 − 8 (pixel) − 2 (headroom for negative lobes). */
const PRECISION_BITS = 22;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** The taps of one axis: output i reads `count[i]` inputs from `first[i]` with `weights`. */
export interface AxisTaps {
  first: Int32Array;
  count: Int32Array;
  /** [out, stride] fixed-point weights (2^22 = 1). */
  weights: Int32Array;
  stride: number;
}

/** The taps and fixed-point weights mapping `inSize` samples to `outSize` with `filter`. */
export function axisTaps(inSize: number, outSize: number, filter: PillowFilter): AxisTaps {
  const { support: baseSupport, weight } = FILTERS[filter];
  const scale = inSize / outSize;
  const stretch = Math.max(scale, 1);
  const support = baseSupport * stretch;
  const stride = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * stride);
  const taps = new Float64Array(stride);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(Math.trunc(centre - support + 0.5), 0);
    const hi = Math.min(Math.trunc(centre + support + 0.5), inSize);
    const n = hi - lo;
    let sum = 0;
    for (let t = 0; t < n; t++) {
      taps[t] = weight((lo + t - centre + 0.5) / stretch);
      sum += taps[t]!;
    }
    for (let t = 0; t < n; t++) {
      const w = sum !== 0 ? taps[t]! / sum : taps[t]!;
      // Round half away from zero, as a C cast after ±0.5 does.
      weights[i * stride + t] = Math.trunc(w < 0 ? w * ONE - 0.5 : w * ONE + 0.5);
    }
    first[i] = lo;
    count[i] = n;
  }
  return { first, count, weights, stride };
}

/** acc fits an int32, as in Pillow (2 bits of headroom), so >> floors it exactly. */
const clamp8 = (acc: number): number => {
  const v = acc >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
};

/**
 * Resizes width × height × 3 RGB bytes (row-major) to outWidth × outHeight like Pillow's
 * `Image.resize((outWidth, outHeight), filter)` on an "RGB" image. Returns new bytes; the input
 * is not changed. Throws RangeError on sizes that do not match the buffer.
 */
export function resizeRgbLikePillow(
  rgb: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  filter: PillowFilter,
): Uint8Array {
  if (rgb.length !== width * height * 3 || outWidth < 1 || outHeight < 1) {
    throw new RangeError(
      `resizeRgbLikePillow: ${rgb.length} bytes is not ${width}×${height}×3, or the output ${outWidth}×${outHeight} is empty`,
    );
  }
  const horizontal =
    outWidth === width ? rgb : horizontalPass(rgb, width, height, outWidth, filter);
  return outHeight === height
    ? Uint8Array.from(horizontal)
    : verticalPass(horizontal, outWidth, height, outHeight, filter);
}

/** [height, width, 3] → [height, outWidth, 3]. */
function horizontalPass(
  rgb: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  filter: PillowFilter,
): Uint8Array {
  const { first, count, weights, stride } = axisTaps(width, outWidth, filter);
  const out = new Uint8Array(outWidth * height * 3);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < outWidth; x++) {
      const w0 = x * stride;
      const taps = count[x]!;
      let r = HALF;
      let g = HALF;
      let b = HALF;
      for (let t = 0, p = row + first[x]! * 3; t < taps; t++, p += 3) {
        const w = weights[w0 + t]!;
        r += rgb[p]! * w;
        g += rgb[p + 1]! * w;
        b += rgb[p + 2]! * w;
      }
      const o = (y * outWidth + x) * 3;
      out[o] = clamp8(r);
      out[o + 1] = clamp8(g);
      out[o + 2] = clamp8(b);
    }
  }
  return out;
}

/** [height, width, 3] → [outHeight, width, 3]. */
function verticalPass(
  rgb: Uint8Array,
  width: number,
  height: number,
  outHeight: number,
  filter: PillowFilter,
): Uint8Array {
  const { first, count, weights, stride } = axisTaps(height, outHeight, filter);
  const out = new Uint8Array(width * outHeight * 3);
  const rowBytes = width * 3;
  for (let y = 0; y < outHeight; y++) {
    const w0 = y * stride;
    const top = first[y]! * rowBytes;
    const taps = count[y]!;
    for (let c = 0; c < rowBytes; c++) {
      let acc = HALF;
      for (let t = 0, p = top + c; t < taps; t++, p += rowBytes) {
        acc += rgb[p]! * weights[w0 + t]!;
      }
      out[y * rowBytes + c] = clamp8(acc);
    }
  }
  return out;
}
