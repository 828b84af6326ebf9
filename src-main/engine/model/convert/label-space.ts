/**
 * Fitting and judging the word map into the official label space. Training pairs are the labels
 * both spaces know: x = the label's word-table vector (the one phrase rule: normalised mean of the
 * token vectors), y = its official 300-d vector.
 */
import { phraseVector, phraseWords, type WordLookup } from '../phrase-vector.js';
import { applyMap, fitRidgeMap } from './ridge-map.js';

export type { WordLookup };

/** Chosen by 5-fold leave-out on the 925 seen NUS-WIDE labels with the starter GloVe-100d table (test/integration/convert/label-space.test.ts). */
export const DEFAULT_RIDGE_LAMBDA = 0.03;
export const LAMBDA_GRID = [0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;

/** A label's source-space vector by the one phrase rule (model/phrase-vector.ts); undefined
 *  when the table lacks any of its words. */
export function labelSourceVector(label: string, lookup: WordLookup): Float32Array | undefined {
  const { tokens, unknown } = phraseWords(label, lookup);
  if (tokens.length === 0 || unknown.length > 0) return undefined;
  return phraseVector(tokens, lookup);
}

export interface LabelPairs {
  indices: number[]; // label index of each row
  x: Float32Array; // [n, p]
  y: Float32Array; // [n, q]
  p: number;
  q: number;
}

/** Pairs for the labels in `subset` (default all) that the lookup knows. */
export function labelPairs(
  labels: readonly string[],
  labelVectors: Float32Array,
  lookup: WordLookup,
  subset?: ReadonlySet<number>,
): LabelPairs {
  const q = labelVectors.length / labels.length;
  const indices: number[] = [];
  const xs: Float32Array[] = [];
  labels.forEach((label, i) => {
    if (subset && !subset.has(i)) return;
    const v = labelSourceVector(label, lookup);
    if (v) {
      indices.push(i);
      xs.push(v);
    }
  });
  const p = xs[0]?.length ?? 0;
  const x = new Float32Array(indices.length * p);
  const y = new Float32Array(indices.length * q);
  indices.forEach((label, r) => {
    x.set(xs[r]!, r * p);
    y.set(labelVectors.subarray(label * q, (label + 1) * q), r * q);
  });
  return { indices, x, y, p, q };
}

export interface Retrieval {
  n: number;
  top1: number;
  top5: number;
}

/** Maps each pair's x and ranks all labels by cosine: how often is its own label first / in the top 5? */
export function retrieval(
  w: Float32Array,
  pairs: LabelPairs,
  labelVectors: Float32Array,
): Retrieval {
  const { p, q } = pairs;
  const labelsCount = labelVectors.length / q;
  let top1 = 0;
  let top5 = 0;
  pairs.indices.forEach((target, r) => {
    const mapped = applyMap(pairs.x.subarray(r * p, (r + 1) * p), w, q);
    const own = dotAt(mapped, labelVectors, target * q);
    let better = 0; // labels scoring above the right one
    for (let l = 0; l < labelsCount && better < 5; l++) {
      if (l !== target && dotAt(mapped, labelVectors, l * q) > own) better++;
    }
    if (better === 0) top1++;
    if (better < 5) top5++;
  });
  const n = pairs.indices.length;
  return { n, top1: top1 / n, top5: top5 / n };
}

/** k-fold leave-out on `pairs`, retrieval among all labels; the λ with the best top-1 (then top-5). */
export function chooseLambda(
  pairs: LabelPairs,
  labelVectors: Float32Array,
  grid: readonly number[] = LAMBDA_GRID,
  folds = 5,
): {
  lambda: number;
  scores: { lambda: number; top1: number; top5: number }[];
} {
  const n = pairs.indices.length;
  const scores = grid.map((lambda) => {
    let top1 = 0;
    let top5 = 0;
    for (let f = 0; f < folds; f++) {
      const train = subsetPairs(pairs, (r) => r % folds !== f);
      const test = subsetPairs(pairs, (r) => r % folds === f);
      const r = retrieval(
        fitRidgeMap(train.x, train.y, train.indices.length, lambda),
        test,
        labelVectors,
      );
      top1 += r.top1 * r.n;
      top5 += r.top5 * r.n;
    }
    return { lambda, top1: top1 / n, top5: top5 / n };
  });
  const best = scores.reduce((a, b) =>
    b.top1 > a.top1 || (b.top1 === a.top1 && b.top5 > a.top5) ? b : a,
  );
  return { lambda: best.lambda, scores };
}

export function subsetPairs(pairs: LabelPairs, keep: (row: number) => boolean): LabelPairs {
  const rows = pairs.indices.map((_, r) => r).filter(keep);
  const x = new Float32Array(rows.length * pairs.p);
  const y = new Float32Array(rows.length * pairs.q);
  rows.forEach((r, i) => {
    x.set(pairs.x.subarray(r * pairs.p, (r + 1) * pairs.p), i * pairs.p);
    y.set(pairs.y.subarray(r * pairs.q, (r + 1) * pairs.q), i * pairs.q);
  });
  return { indices: rows.map((r) => pairs.indices[r]!), x, y, p: pairs.p, q: pairs.q };
}

/** ⟨a, b[offset .. offset + a.length)⟩ */
function dotAt(a: Float32Array, b: Float32Array, offset: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[offset + i]!;
  return s;
}
