/**
 * SDL relevance: a label with unit word vector w scores s(w) = max_k ⟨A_k, w⟩ against an image's
 * embedding matrix A ([k, d], "kd" layout).
 */

export interface RowScore {
  score: number;
  /** Which principal vector gave the maximum: the "why" of a match. */
  row: number;
}

export function scoreWithRow(
  matrix: ArrayLike<number>,
  k: number,
  d: number,
  w: ArrayLike<number>,
): RowScore {
  let best = -Infinity;
  let bestRow = 0;
  for (let row = 0; row < k; row++) {
    let dot = 0;
    const base = row * d;
    for (let j = 0; j < d; j++) dot += matrix[base + j]! * w[j]!;
    if (dot > best) {
      best = dot;
      bestRow = row;
    }
  }
  return { score: best, row: bestRow };
}

/** Decimal places of every score and threshold the API and the catalogue give. */
const SCORE_DECIMALS = 4;
const SCORE_SCALE = 10 ** SCORE_DECIMALS;

/** A score or threshold as stored and answered: four decimals. The one rounding rule. */
export function roundScore(value: number): number {
  return Math.round(value * SCORE_SCALE) / SCORE_SCALE;
}

/** Scores every label: vectors is [n, d] row-major; returns n scores. */
export function scoreLabels(
  matrix: ArrayLike<number>,
  k: number,
  d: number,
  vectors: Float32Array,
): Float32Array {
  const n = vectors.length / d;
  const scores = new Float32Array(n).fill(-Infinity);
  for (let row = 0; row < k; row++) {
    const base = row * d;
    for (let label = 0; label < n; label++) {
      const offset = label * d;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += matrix[base + j]! * vectors[offset + j]!;
      if (dot > scores[label]!) scores[label] = dot;
    }
  }
  return scores;
}

/**
 * Scores many vectors against one matrix at once: `vectors` is [n, d] row-major; writes the best
 * row score of each into `scores[n]` and its row into `rows[n]`. The sums run in the same order
 * as scoreWithRow's, so the values are identical; no object is made per vector.
 */
export function scoreVectorsWithRows(
  matrix: Float32Array,
  k: number,
  d: number,
  vectors: Float32Array,
  scores: Float64Array,
  rows: Uint16Array,
): void {
  const n = vectors.length / d;
  for (let v = 0; v < n; v++) {
    const offset = v * d;
    let best = -Infinity;
    let bestRow = 0;
    for (let row = 0; row < k; row++) {
      const base = row * d;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += matrix[base + j]! * vectors[offset + j]!;
      if (dot > best) {
        best = dot;
        bestRow = row;
      }
    }
    scores[v] = best;
    rows[v] = bestRow;
  }
}

/**
 * Indices of the `count` highest scores, best first; equal scores keep index order, and -Infinity
 * (no score) is left out. A min-heap of size `count`: O(n log count). The one top-k.
 */
export function topIndices(key: ArrayLike<number>, count: number): number[] {
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => key[a]! < key[b]! || (key[a] === key[b] && a > b);
  const down = (at: number): void => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let smallest = at;
      if (l < heap.length && less(heap[l]!, heap[smallest]!)) smallest = l;
      if (r < heap.length && less(heap[r]!, heap[smallest]!)) smallest = r;
      if (smallest === at) return;
      [heap[at], heap[smallest]] = [heap[smallest]!, heap[at]!];
      at = smallest;
    }
  };
  for (let i = 0; i < key.length; i++) {
    const value = key[i]!;
    if (value === -Infinity) continue;
    // Below the heap's least (a later index loses ties): cannot enter, the common case.
    if (heap.length === count && (count === 0 || value <= key[heap[0]!]!)) continue;
    if (heap.length < count) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0;) {
        const parent = (at - 1) >> 1;
        if (!less(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (count > 0 && less(heap[0]!, i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => (less(a, b) ? 1 : less(b, a) ? -1 : 0));
}
