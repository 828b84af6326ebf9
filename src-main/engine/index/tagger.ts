/**
 * A photo's tags: every label whose score passes its threshold — no cap, so the label's photo
 * count, its preview and a search for it all agree with the tag lists. A thumbs-up keeps a tag
 * whatever its score, a thumbs-down drops it. Lists read in this order: the user's own labels
 * (best first), then the pack's labels, the more specific first when about as relevant ("macaw"
 * before "animal"); a pack label implied by a more specific one listed (bird ⇒ vertebrate ⇒
 * chordate, from the pack's `broader` lists) is folded behind it (`impliedBy`), still a tag.
 * Each tag records its pack, label key, score, row and time.
 */
import type { ModelPack } from '../model/pack.js';
import type { Tag } from '../store/catalogue-schema.js';
import type { ScoringLabel } from '../vocab/vocabulary.js';
import { scoreVectorsAbove, vectorNorms } from './cutoff-scoring.js';
import {
  roundScore,
  scoreLabels,
  scoreVectorsWithRows,
  scoreWithRow,
  type RowScore,
} from './scoring.js';

/** Scores within this distance count as equally relevant when ordering by specificity. */
const TIE_BAND = 0.05;

export interface LabelScore extends RowScore {
  label: ScoringLabel;
  threshold: number;
  vote?: 'up' | 'down';
}

/** What ordering and folding tags needs to know of a label, by key. */
export interface TagOrder {
  specificity(key: string): number;
  /** The labels it implies (pack keys). */
  broader(key: string): readonly string[];
}

/** The tags of one photo: its passing (or thumbs-up) labels, arranged for reading. */
export function materialise(
  scores: readonly LabelScore[],
  packId: string,
  at: string,
  order: TagOrder,
): Tag[] {
  const kept = scores.filter((s) =>
    s.vote ? s.vote === 'up' : Number.isFinite(s.threshold) && s.score >= s.threshold,
  );
  const tags = kept.map((s) => {
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
  return arrangeTags(tags, order);
}

/**
 * Tags in reading order: user labels (best first), then pack labels (best first; within
 * TIE_BAND the more specific first), then the pack labels a listed, more specific, un-voted
 * tag implies, each marked with the most specific tag implying it.
 */
export function arrangeTags(tags: readonly Tag[], order: TagOrder): Tag[] {
  const keyOf = (t: Tag): string => t.key ?? t.label;
  const fresh = tags.map(({ impliedBy: _, ...tag }) => tag as Tag);
  const user = fresh.filter((t) => !t.seen).sort((a, b) => b.score - a.score);
  const pack = orderByRelevance(
    fresh.filter((t) => t.seen),
    (t) => order.specificity(keyOf(t)),
  );
  const listed = new Set(pack.map(keyOf));
  const implier = new Map<string, string>();
  for (const tag of pack) {
    const key = keyOf(tag);
    for (const broader of order.broader(key)) {
      if (!listed.has(broader) || broader === key) continue;
      const before = implier.get(broader);
      if (before === undefined || order.specificity(key) > order.specificity(before)) {
        implier.set(broader, key);
      }
    }
  }
  const shown: Tag[] = [];
  const folded: Tag[] = [];
  for (const tag of pack) {
    const by = tag.vote === 'up' ? undefined : implier.get(keyOf(tag));
    if (by === undefined) shown.push(tag);
    else folded.push({ ...tag, impliedBy: by });
  }
  return [...user, ...shown, ...folded];
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
 * rule for a label's score on a photo (tagging, feedback, a photo's extra labels): every caller
 * goes through scoreVectorsWithRows and bestOfLabel; tagCandidates gives the same score and row
 * for every label it returns (cutoff-scoring.ts).
 */
export function scoreMatrix(
  matrix: Float32Array,
  k: number,
  d: number,
  labels: readonly Pick<ScoringLabel, 'vectors'>[],
): RowScore[] {
  const packed = packLabels(labels, d);
  scoreVectorsWithRows(matrix, k, d, packed.vectors, packed.scores, packed.rows);
  return labels.map((_, i) => bestOfLabel(packed, i));
}

/** Labels' vectors packed for scoreVectorsWithRows: label i owns vectors [starts[i], starts[i+1]). */
export interface PackedLabels<L extends Pick<ScoringLabel, 'vectors'> = ScoringLabel> {
  labels: readonly L[];
  /** [vectors, d] row-major. */
  vectors: Float32Array;
  starts: Uint32Array;
  /** Each vector's norm (cutoff-scoring.ts). */
  norms: Float64Array;
  /** Scratch: each vector's score, row and cutoff from the last scoring into this pack. */
  scores: Float64Array;
  rows: Uint16Array;
  cutoffs: Float64Array;
}

export function packLabels<L extends Pick<ScoringLabel, 'vectors'>>(
  labels: readonly L[],
  d: number,
): PackedLabels<L> {
  const starts = new Uint32Array(labels.length + 1);
  labels.forEach((label, i) => (starts[i + 1] = starts[i]! + label.vectors.length));
  const count = starts[labels.length]!;
  const vectors = new Float32Array(count * d);
  let at = 0;
  for (const label of labels) for (const vector of label.vectors) vectors.set(vector, d * at++);
  return {
    labels,
    vectors,
    starts,
    norms: vectorNorms(vectors, d),
    scores: new Float64Array(count),
    rows: new Uint16Array(count),
    cutoffs: new Float64Array(count),
  };
}

/** Label i's best vector (score and row) from the last scoreVectorsWithRows into `packed`. */
function bestOfLabel(
  packed: Pick<PackedLabels<Pick<ScoringLabel, 'vectors'>>, 'starts' | 'scores' | 'rows'>,
  i: number,
): RowScore {
  const { starts, scores, rows } = packed;
  let best: RowScore = { score: -Infinity, row: 0 };
  for (let v = starts[i]!; v < starts[i + 1]!; v++) {
    if (scores[v]! > best.score) best = { score: scores[v]!, row: rows[v]! };
  }
  return best;
}

/**
 * The labels of one [k, d] matrix that can become tags: those passing their threshold or carrying
 * a vote, each with its best vector's score and row (as scoreMatrix gives them). materialise()
 * of this list equals materialise() of every label's score, without an object per label; a
 * label's vectors are scored exactly only as far as its threshold needs (cutoff-scoring.ts).
 * `packed` may be reused from photo to photo (its scratch arrays are overwritten).
 */
export function tagCandidates(
  matrix: Float32Array,
  k: number,
  d: number,
  packed: PackedLabels,
  thresholds: ArrayLike<number>,
  votes: ReadonlyMap<string, 'up' | 'down'> | undefined,
): LabelScore[] {
  const { labels, starts, cutoffs } = packed;
  for (let i = 0; i < labels.length; i++) {
    const threshold = thresholds[i]!;
    // A voted label is kept whatever its score; one without a finite threshold never passes.
    const cutoff = votes?.has(labels[i]!.entry.key)
      ? -Infinity
      : Number.isFinite(threshold)
        ? threshold
        : Infinity;
    cutoffs.fill(cutoff, starts[i]!, starts[i + 1]!);
  }
  scoreVectorsAbove(
    matrix,
    k,
    d,
    packed.vectors,
    packed.norms,
    cutoffs,
    packed.scores,
    packed.rows,
  );
  const { scores, rows } = packed;
  const found: LabelScore[] = [];
  for (let i = 0; i < labels.length; i++) {
    // The label's best vector, as bestOfLabel picks it (the first of equal scores).
    let best = -Infinity;
    let row = 0;
    for (let v = starts[i]!; v < starts[i + 1]!; v++) {
      if (scores[v]! > best) {
        best = scores[v]!;
        row = rows[v]!;
      }
    }
    const label = labels[i]!;
    const threshold = thresholds[i]!;
    const vote = votes?.get(label.entry.key);
    if (vote || (Number.isFinite(threshold) && best >= threshold)) {
      found.push({ label, score: best, row, threshold, ...(vote && { vote }) });
    }
  }
  return found;
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
