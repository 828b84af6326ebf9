/**
 * A full calibration's steps over the scores of every active label (the math is in
 * vocab/thresholds.ts): each label's pass (the best of its vectors per photo), the pack-wide
 * prior τ₀ from all of them pooled, each label's threshold stored, and the sample of a large
 * library the scores come from. Tagging (tagging.ts) runs them eagerly or, for a bulk index
 * run, once at the end (deferred-calibration.ts).
 */
import { calibrate, labelStats, priorThreshold, type Calibration } from '../vocab/thresholds.js';
import type { LabelEntry, ScoringLabel, Vocabulary } from '../vocab/vocabulary.js';
import { bestOf, type SearchIndex, type TermScores } from './search-index.js';

/** Photos a full calibration samples at most. */
export const CALIBRATION_SAMPLE = 2048;

export interface LabelPass {
  label: ScoringLabel;
  /** Per photo, in index order. */
  scores: TermScores & { member: Uint8Array };
}

/** Each label's pass from the scores of all labels' vectors, in order (best of its vectors). */
export function labelPasses(
  labels: readonly ScoringLabel[],
  all: readonly TermScores[],
): LabelPass[] {
  let next = 0;
  return labels.map((label) => {
    const parts = all.slice(next, next + label.vectors.length);
    next += label.vectors.length;
    return { label, scores: bestOf(parts) };
  });
}

/**
 * Stores every label's calibration from the scores of all their vectors over `photos` photos
 * (or a sample of them), and the pack-wide prior; returns the prior and the labels' passes
 * over those scores.
 */
export function calibrateLabels(
  vocabulary: Vocabulary,
  labels: readonly ScoringLabel[],
  all: readonly TermScores[],
  photos: number,
): { prior: number; passes: LabelPass[] } {
  const passes = labelPasses(labels, all);
  const perLabel = passes.map((pass) => pass.scores.scores);
  const pooled = new Float32Array(perLabel.reduce((n, s) => n + s.length, 0));
  perLabel.reduce((at, scores) => (pooled.set(scores, at), at + scores.length), 0);
  const prior = priorThreshold(pooled, labels.length);
  labels.forEach((label, i) => {
    const own = vocabulary.scaledPrior(label.vectors, label.entry.kind === 'seen', prior)!;
    storeCalibration(vocabulary, label.entry, calibrate(labelStats(perLabel[i]!), own));
  });
  vocabulary.setCalibrationInfo(prior, photos);
  return { prior, passes };
}

/** Records one label's calibration result as its calibrated threshold. */
export function storeCalibration(
  vocabulary: Vocabulary,
  entry: LabelEntry,
  result: Calibration,
): void {
  vocabulary.setCalibrated(entry.key, {
    calibrated: result.threshold,
    median: result.median,
    spread: result.spread,
    photos: result.photos,
  });
}

/** A temporary index of CALIBRATION_SAMPLE photos of `index` spread evenly over `ids`. */
export function sampleIndex(index: SearchIndex, ids: readonly string[]): SearchIndex {
  const Index = index.constructor as new (k: number, d: number) => SearchIndex;
  const sample = new Index(index.k, index.d);
  const step = ids.length / CALIBRATION_SAMPLE;
  for (let s = 0; s < CALIBRATION_SAMPLE; s++) {
    const id = ids[Math.floor(s * step)]!;
    sample.set(id, index.matrix(id)!);
  }
  return sample;
}
