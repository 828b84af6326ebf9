import { describe, expect, it } from 'vitest';
import {
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
