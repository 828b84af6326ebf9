/**
 * A photo's tags: every label whose score passes its threshold, ranked by score. Packs with a
 * label hierarchy (specificity) show the specific label before the generic one when both are
 * about as relevant ("macaw" before "animal"). A thumbs-up keeps a tag whatever its score, a
 * thumbs-down drops it. Each tag records its pack, label key, score, row and time.
 */
import type { ModelPack } from '../model/pack.js';
import type { Tag } from '../store/catalogue-schema.js';
import type { ScoringLabel } from '../vocab/vocabulary.js';
import { roundScore, scoreLabels, scoreWithRow, type RowScore } from './scoring.js';

/** At most this many tags a photo (voted ones always stay). */
export const MAX_TAGS = 24;
/** Scores within this distance count as equally relevant when ordering by specificity. */
const TIE_BAND = 0.05;

export interface LabelScore extends RowScore {
  label: ScoringLabel;
  threshold: number;
  vote?: 'up' | 'down';
}

/** Ranks the passing labels of one photo into tags. */
export function materialise(scores: readonly LabelScore[], packId: string, at: string): Tag[] {
  const kept = scores.filter((s) =>
    s.vote ? s.vote === 'up' : Number.isFinite(s.threshold) && s.score >= s.threshold,
  );
  kept.sort((a, b) => b.score - a.score);
  const voted = kept.filter((s) => s.vote === 'up');
  const top = kept.filter((s) => s.vote !== 'up').slice(0, Math.max(0, MAX_TAGS - voted.length));
  return orderBySpecificity([...voted, ...top]).map((s) => {
    const tag: Tag = {
      label: s.label.entry.name,
      score: roundScore(s.score),
      seen: s.label.entry.kind === 'seen',
      row: s.row,
      pack: packId,
      key: s.label.entry.key,
      at,
    };
    if (s.vote) tag.vote = s.vote;
    return tag;
  });
}

function orderBySpecificity<T extends { score: number; label: ScoringLabel }>(items: T[]): T[] {
  return orderByRelevance(items, (item) => item.label.entry.specificity ?? 0);
}

/** Best first; within TIE_BAND of each other, the more specific label first. */
export function orderByRelevance<T extends { score: number }>(
  items: T[],
  specificity: (item: T) => number,
): T[] {
  return items.sort((a, b) => {
    const bandA = Math.round(a.score / TIE_BAND);
    const bandB = Math.round(b.score / TIE_BAND);
    return bandB - bandA || specificity(b) - specificity(a) || b.score - a.score;
  });
}

/**
 * Scores every label (and alias) against one [k, d] matrix: the best vector per label. The one
 * rule for a label's score on a photo (tagging, feedback, a photo's extra labels).
 */
export function scoreMatrix(
  matrix: Float32Array,
  k: number,
  d: number,
  labels: readonly Pick<ScoringLabel, 'vectors'>[],
): RowScore[] {
  return labels.map((label) => {
    let best: RowScore = { score: -Infinity, row: 0 };
    for (const vector of label.vectors) {
      const s = scoreWithRow(matrix, k, d, vector);
      if (s.score > best.score) best = s;
    }
    return best;
  });
}

/**
 * The pack's seen labels straight from the model, without the vocabulary's thresholds: those
 * within half of the photo's best score (a check of a pack's output, not the app's tags).
 */
export function seenTags(pack: ModelPack, matrix: Float32Array, limit = 10): Tag[] {
  const { k, d } = pack.manifest.output;
  const scores = scoreLabels(matrix, k, d, pack.labelVectors);
  let best = -Infinity;
  for (const s of scores) best = Math.max(best, s);
  const floor = best > 0 ? best * 0.5 : best;
  const candidates: number[] = [];
  scores.forEach((s, i) => {
    if (s >= floor) candidates.push(i);
  });
  candidates.sort((a, b) => scores[b]! - scores[a]!);
  const specificity = (i: number): number => pack.labels[i]!.specificity ?? 0;
  const kept = candidates.slice(0, limit).sort((a, b) => {
    const band = Math.round(scores[b]! / TIE_BAND) - Math.round(scores[a]! / TIE_BAND);
    return band || specificity(b) - specificity(a) || scores[b]! - scores[a]!;
  });
  return kept.map((i) => {
    const { row } = scoreWithRow(matrix, k, d, pack.labelVectors.subarray(i * d, (i + 1) * d));
    return { label: pack.labels[i]!.name, score: roundScore(scores[i]!), seen: true, row };
  });
}
