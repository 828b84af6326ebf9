/**
 * A photo's tags from its embedding matrix: every seen label scored, the best kept. Packs with
 * a label hierarchy (specificity) show the specific label before the generic one when both are
 * about as relevant ("macaw" before "animal").
 */
import type { ModelPack } from '../model/pack.js';
import type { Tag } from '../store/catalogue-schema.js';
import { scoreLabels, scoreWithRow } from './scoring.js';

export interface TagOptions {
  /** At most this many tags. */
  limit: number;
  /** Keep labels scoring at least this fraction of the photo's best label score. */
  relativeFloor: number;
}

export const DEFAULT_TAG_OPTIONS: TagOptions = { limit: 10, relativeFloor: 0.5 };

/** Scores within this distance count as equally relevant when ordering by specificity. */
const TIE_BAND = 0.05;

export function seenTags(
  pack: ModelPack,
  matrix: Float32Array,
  options = DEFAULT_TAG_OPTIONS,
): Tag[] {
  const { k, d } = pack.manifest.output;
  const scores = scoreLabels(matrix, k, d, pack.labelVectors);
  let best = -Infinity;
  for (const s of scores) best = Math.max(best, s);
  const floor = best > 0 ? best * options.relativeFloor : best;
  const candidates: number[] = [];
  scores.forEach((s, i) => {
    if (s >= floor) candidates.push(i);
  });
  const specificity = (i: number): number => pack.labels[i]!.specificity ?? 0;
  candidates.sort((a, b) => scores[b]! - scores[a]!);
  const kept = candidates.slice(0, options.limit);
  kept.sort((a, b) => {
    const bandA = Math.round(scores[a]! / TIE_BAND);
    const bandB = Math.round(scores[b]! / TIE_BAND);
    return bandB - bandA || specificity(b) - specificity(a) || scores[b]! - scores[a]!;
  });
  return kept.map((i) => {
    const { row } = scoreWithRow(matrix, k, d, pack.labelVectors.subarray(i * d, (i + 1) * d));
    return { label: pack.labels[i]!.name, score: round(scores[i]!), seen: true, row };
  });
}

export function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
