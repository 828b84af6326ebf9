/**
 * Per-label thresholds: calibrated from the library's scores, then moved by feedback.
 *
 * Calibration. A label's scores over the library mix photos that show it with photos that do
 * not. Two numbers decide its threshold:
 *   - the prior τ₀, shared by every label of the pack: the pooled score quantile at which the
 *     vocabulary gives TAGS_PER_PHOTO tags per photo on average (τ₀ = Q(1 − t/L) over all
 *     label × photo scores). It is scale-free, so packs whose scores live on other scales
 *     (e.g. the official SDL pack) calibrate the same way, and it keeps a label that no photo
 *     shows from tagging the noise.
 *   - the label's own split τ_l: Otsu's cut of its score distribution (the threshold that
 *     maximises the between-class variance w₀·w₁·(μ₁ − μ₀)²), i.e. where the label's photos
 *     separate into "shows it" and "does not". Unlike a z-score it does not assume the label is
 *     rare: "animal" on a pet library splits between animals and the rest.
 * The threshold is τ = τ₀ + w · max(0, τ_l − τ₀), w = n / (n + N₀): the prior is a floor, and a
 * label's own split raises it in proportion to the photos (n) it rests on.
 *
 * Feedback. A thumbs-down on a photo scored s says τ > s; a thumbs-up says τ ≤ s. The threshold
 * is the calibrated (or manual) one moved the least distance that satisfies every vote; when
 * votes contradict, the value misclassifying the fewest votes, nearest the calibrated one.
 */
import { sortFloat32 } from './sort-floats.js';

/** Average tags per photo the prior aims at. */
export const TAGS_PER_PHOTO = 8;
/** Photos at which a label's own split weighs as much as the prior. */
export const PRIOR_PHOTOS = 5;
/** How far above a rejected photo's score the threshold moves. */
export const VOTE_MARGIN = 0.001;

export interface LabelStats {
  /** Otsu's cut of the label's scores (−Infinity for fewer than two distinct scores). */
  split: number;
  median: number;
  /** 1.4826 · MAD: the standard deviation, were the scores normal. */
  spread: number;
  photos: number;
}

export interface Calibration extends LabelStats {
  threshold: number;
  prior: number;
}

export interface Vote {
  vote: 'up' | 'down';
  score: number;
}

/** Median and robust spread of scores (sampled down to `max` values for large libraries). */
export function labelStats(scores: ArrayLike<number>, max = 8192): LabelStats {
  const n = scores.length;
  if (n === 0) return { split: -Infinity, median: 0, spread: 0, photos: 0 };
  const step = Math.max(1, Math.floor(n / max));
  const sample = new Float32Array(Math.ceil(n / step));
  for (let i = 0, s = 0; i < n; i += step) sample[s++] = scores[i]!;
  sortFloat32(sample); // a radix sort: the same order as sample.sort(), several times faster
  const split = otsu(sample);
  const median = quantileSorted(sample, 0.5);
  for (let i = 0; i < sample.length; i++) sample[i] = Math.abs(sample[i]! - median);
  // The deviations' median by selection: the same number as sorting them, in O(n).
  return { split, median, spread: 1.4826 * quantile(sample, 0.5), photos: n };
}

/** Otsu's threshold of sorted values: the cut maximising w₀·w₁·(μ₁ − μ₀)²; ties take the higher. */
export function otsu(sorted: Float32Array): number {
  const n = sorted.length;
  let total = 0;
  for (const v of sorted) total += v;
  let below = 0;
  let best = -1;
  let cut = -Infinity;
  for (let i = 1; i < n; i++) {
    below += sorted[i - 1]!;
    if (sorted[i] === sorted[i - 1]) continue;
    const w0 = i / n;
    const mean0 = below / i;
    const mean1 = (total - below) / (n - i);
    const between = w0 * (1 - w0) * (mean1 - mean0) ** 2;
    if (between >= best - 1e-12) {
      best = between;
      cut = (sorted[i - 1]! + sorted[i]!) / 2;
    }
  }
  return cut;
}

/** τ₀: the pooled quantile giving TAGS_PER_PHOTO tags per photo over `labels` labels. */
export function priorThreshold(pooled: Float32Array, labels: number): number {
  if (pooled.length === 0) return 0;
  const share = Math.min(0.5, TAGS_PER_PHOTO / Math.max(1, labels));
  return quantile(pooled, 1 - share);
}

export function calibrate(stats: LabelStats, prior: number): Calibration {
  const own = stats.split;
  const weight = stats.photos / (stats.photos + PRIOR_PHOTOS);
  const threshold = prior + weight * Math.max(0, own - prior);
  return { ...stats, prior, threshold };
}

/** The threshold nearest `base` that agrees with the votes (see the file comment). */
export function applyVotes(base: number, votes: readonly Vote[]): number {
  if (votes.length === 0) return base;
  const lowest = Math.max(-Infinity, ...votes.filter((v) => v.vote === 'down').map((v) => v.score));
  const highest = Math.min(Infinity, ...votes.filter((v) => v.vote === 'up').map((v) => v.score));
  const floor = lowest + VOTE_MARGIN;
  if (floor <= highest) return Math.min(Math.max(base, floor), highest);
  const errors = (t: number): number =>
    votes.filter((v) => (v.vote === 'up' ? v.score < t : v.score >= t)).length;
  const candidates = [
    base,
    ...votes.map((v) => v.score),
    ...votes.map((v) => v.score + VOTE_MARGIN),
  ];
  let best = base;
  for (const t of candidates) {
    const better = errors(t) - errors(best) || Math.abs(t - base) - Math.abs(best - base);
    if (better < 0) best = t;
  }
  return best;
}

/**
 * The q-quantile of `values`, linear between neighbours: the same number as quantileSorted of
 * the sorted values, found by selection in O(n) instead of a sort (the pooled scores of every
 * label × photo are large). `values` is left as it was.
 */
export function quantile(values: Float32Array, q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  const at = q * (n - 1);
  const low = Math.floor(at);
  const a = Float32Array.from(values);
  selectRank(a, low);
  let next = a[low]!;
  if (low + 1 < n) {
    next = Infinity;
    for (let i = low + 1; i < n; i++) if (a[i]! < next) next = a[i]!;
  }
  return a[low]! + (at - low) * (next - a[low]!);
}

/** Reorders `a` so a[rank] is its rank-th smallest, smaller ones before it, larger after. */
function selectRank(a: Float32Array, rank: number): void {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (rank <= j) right = j;
    else if (rank >= i) left = i;
    else return;
  }
}

function quantileSorted(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return 0;
  const at = q * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (at - low) * (sorted[high]! - sorted[low]!);
}
