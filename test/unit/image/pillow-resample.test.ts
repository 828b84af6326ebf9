import { describe, expect, it } from 'vitest';
import { axisTaps, resizeRgbLikePillow } from '../../../src-main/engine/image/pillow-resample.js';
import { pillowResize, type PillowJob } from '../../helpers/pillow.js';

/** Deterministic noise with some smooth structure, so rounding and clamping both matter. */
function testImage(width: number, height: number, seed: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  let state = seed * 2654435761;
  for (let i = 0; i < out.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const x = Math.floor(i / 3) % width;
    const smooth = ((x * 255) / Math.max(1, width - 1)) * (i % 3 === 1 ? 1 : 0);
    out[i] = (i % 3 === 1 ? smooth : 0) + (i % 3 === 1 ? 0 : state >>> 24);
  }
  return out;
}

describe('resizeRgbLikePillow, closed-form cases', () => {
  it('averages two pixels into one with bilinear, rounding half up', () => {
    // centre 1, stretch 2: taps 0 and 1 weigh (1 − 0.25) each → 0.5, 0.5 → 127.5 → 128.
    const out = resizeRgbLikePillow(Uint8Array.of(0, 0, 0, 255, 255, 255), 2, 1, 1, 1, 'bilinear');
    expect([...out]).toEqual([128, 128, 128]);
  });

  it('keeps a flat image flat at any size and filter', () => {
    const flat = new Uint8Array(7 * 5 * 3).fill(200);
    for (const filter of ['bilinear', 'bicubic', 'lanczos'] as const) {
      const out = resizeRgbLikePillow(flat, 7, 5, 12, 3, filter);
      expect(out.every((v) => v === 200)).toBe(true);
    }
  });

  it('weights each upscaled tap by the filter at the pixel-centre distance', () => {
    // 2 → 4 bilinear: output 0 is centred at 0.25, a quarter pixel left of input 0's centre; the
    // tap at input 0 (distance 0.25) weighs 0.75, input −1 is clipped, so the weights are [1].
    const { first, count, weights, stride } = axisTaps(2, 4, 'bilinear');
    expect([...first]).toEqual([0, 0, 0, 1]);
    expect([...count]).toEqual([1, 2, 2, 1]);
    expect(weights[0]).toBe(2 ** 22);
    expect([weights[stride], weights[stride + 1]]).toEqual([0.75 * 2 ** 22, 0.25 * 2 ** 22]);
  });

  it('refuses a buffer that does not match its size', () => {
    expect(() => resizeRgbLikePillow(new Uint8Array(10), 2, 2, 1, 1, 'bicubic')).toThrow(
      RangeError,
    );
  });
});

describe('resizeRgbLikePillow against Pillow (python3)', () => {
  it('is byte-exact for up-, down- and mixed scaling with every filter', async () => {
    const sizes: [number, number, number, number][] = [
      [240, 107, 224, 224], // the NUS-WIDE thumbnails: shrink one axis, enlarge the other
      [61, 47, 224, 224],
      [500, 375, 224, 224],
      [37, 29, 13, 31],
      [224, 224, 224, 224],
      [300, 9, 300, 4],
    ];
    const jobs: PillowJob[] = [];
    const inputs: Uint8Array[] = [];
    sizes.forEach(([width, height, outWidth, outHeight], i) => {
      for (const filter of ['bilinear', 'bicubic', 'lanczos'] as const) {
        const rgb = testImage(width, height, i + 1);
        inputs.push(rgb);
        jobs.push({ rgb, width, height, outWidth, outHeight, filter });
      }
    });
    const want = await pillowResize(jobs);
    jobs.forEach((job, i) => {
      const got = resizeRgbLikePillow(
        inputs[i]!,
        job.width!,
        job.height!,
        job.outWidth,
        job.outHeight,
        job.filter!,
      );
      expect(got.length, JSON.stringify({ ...job, rgb: undefined })).toBe(want[i]!.length);
      let differing = 0;
      for (let j = 0; j < got.length; j++) if (got[j] !== want[i]![j]) differing++;
      expect(
        differing,
        `${job.filter} ${job.width}×${job.height} → ${job.outWidth}×${job.outHeight}`,
      ).toBe(0);
    });
  });
});
