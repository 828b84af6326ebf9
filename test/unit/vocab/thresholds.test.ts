import { describe, expect, it } from 'vitest';
import {
  quantile,
  applyVotes,
  calibrate,
  labelStats,
  otsu,
  PRIOR_PHOTOS,
  priorThreshold,
  TAGS_PER_PHOTO,
  VOTE_MARGIN,
} from '../../../src-main/engine/vocab/thresholds.js';

describe('threshold calibration', () => {
  it("splits a label's scores where its photos separate (Otsu), whatever the prevalence", () => {
    // 3 of 11 photos show the label (27 %): a z-score cut would be dragged up by them.
    const scores = [0.1, 0.15, 0.2, 0.22, 0.25, 0.3, 0.3, 0.35, 0.95, 0.97, 0.99];
    expect(otsu(Float32Array.from(scores).sort())).toBeCloseTo((0.35 + 0.95) / 2, 5);
    // Most photos show it ("animal" on a pet library): still the gap.
    expect(otsu(Float32Array.from([0.2, 0.3, 0.9, 0.92, 0.95, 0.97]))).toBeCloseTo(0.6, 5);
    expect(otsu(Float32Array.from([0.5, 0.5]))).toBe(-Infinity);
  });

  it('puts the prior where the vocabulary gives TAGS_PER_PHOTO tags per photo', () => {
    const labels = 100;
    const pooled = Float32Array.from({ length: labels * 50 }, (_, i) => i / (labels * 50));
    const prior = priorThreshold(pooled, labels);
    const above = pooled.filter((s) => s >= prior).length;
    expect(above / 50).toBeCloseTo(TAGS_PER_PHOTO, 0);
  });

  it('raises the prior by the label split, weighted by the photos it rests on', () => {
    const stats = labelStats([0.1, 0.2, 0.9, 1.0]);
    expect(stats).toMatchObject({ split: expect.closeTo(0.55, 5), photos: 4 });
    const w = 4 / (4 + PRIOR_PHOTOS);
    expect(calibrate(stats, 0.4).threshold).toBeCloseTo(0.4 + w * (0.55 - 0.4), 5);
    // A split below the prior leaves the prior: it is a floor.
    expect(calibrate(stats, 0.7).threshold).toBeCloseTo(0.7, 5);
  });
});

describe('quantiles by selection', () => {
  /** The same rule over a sorted copy: linear between the two neighbours of q·(n − 1). */
  const bySort = (values: Float32Array, q: number): number => {
    const sorted = Float32Array.from(values).sort();
    const at = q * (sorted.length - 1);
    const low = Math.floor(at);
    const high = Math.min(sorted.length - 1, low + 1);
    return sorted[low]! + (at - low) * (sorted[high]! - sorted[low]!);
  };

  it('equals the sorted quantile, with ties, any length, and leaves the input alone', () => {
    let seed = 7;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    for (const n of [1, 2, 3, 10, 257, 5000]) {
      // Rounded to a few levels so many values tie.
      const values = Float32Array.from({ length: n }, () => Math.round(next() * 20) / 20);
      const copy = Float32Array.from(values);
      for (const q of [0, 0.1, 0.5, 0.9, 0.9953, 1]) {
        expect(quantile(values, q)).toBe(bySort(values, q));
      }
      expect(values).toEqual(copy);
    }
    expect(quantile(new Float32Array(0), 0.5)).toBe(0);
  });
});

describe('feedback on thresholds', () => {
  it('thumbs-down above the threshold moves it just above that photo', () => {
    expect(applyVotes(0.5, [{ vote: 'down', score: 0.62 }])).toBeCloseTo(0.62 + VOTE_MARGIN, 6);
    // Below the threshold already: nothing to change.
    expect(applyVotes(0.5, [{ vote: 'down', score: 0.3 }])).toBe(0.5);
  });

  it('thumbs-up below the threshold moves it down to that photo', () => {
    expect(applyVotes(0.5, [{ vote: 'up', score: 0.41 }])).toBeCloseTo(0.41, 6);
    expect(applyVotes(0.5, [{ vote: 'up', score: 0.8 }])).toBe(0.5);
  });

  it('settles contradicting votes with the fewest errors, nearest the calibrated value', () => {
    const votes = [
      { vote: 'up' as const, score: 0.7 },
      { vote: 'up' as const, score: 0.72 },
      { vote: 'down' as const, score: 0.75 }, // contradicts both ups
      { vote: 'down' as const, score: 0.4 },
    ];
    // Any τ in (0.4, 0.7] gets 1 error (the 0.75 down); the nearest to 0.5 is 0.5 itself.
    expect(applyVotes(0.5, votes)).toBe(0.5);
    expect(applyVotes(0.9, votes)).toBeCloseTo(0.7, 6);
  });
});
