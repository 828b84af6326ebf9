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
 * as scoreWithRow's, so the values (and the rows on ties: the first) are identical; no object
 * is made per vector. Faster than scoring row by row: four rows share each vector load, and rows
 * that are all zero (a signal the photo lacks: its dot product is 0 with every vector) are
 * scored once for all.
 */
export function scoreVectorsWithRows(
  matrix: Float32Array,
  k: number,
  d: number,
  vectors: Float32Array,
  scores: Float64Array,
  rows: Uint16Array,
): void {
  const { live, firstZero } = liveRows(matrix, k, d);
  const m = live.length;
  const n = vectors.length / d;
  for (let v = 0; v < n; v++) {
    const offset = v * d;
    let best = -Infinity;
    let bestRow = 0;
    let i = 0;
    for (; i + 3 < m; i += 4) {
      const row0 = live[i]!;
      const row1 = live[i + 1]!;
      const row2 = live[i + 2]!;
      const row3 = live[i + 3]!;
      const base0 = row0 * d;
      const base1 = row1 * d;
      const base2 = row2 * d;
      const base3 = row3 * d;
      let dot0 = 0;
      let dot1 = 0;
      let dot2 = 0;
      let dot3 = 0;
      for (let j = 0; j < d; j++) {
        const x = vectors[offset + j]!;
        dot0 += matrix[base0 + j]! * x;
        dot1 += matrix[base1 + j]! * x;
        dot2 += matrix[base2 + j]! * x;
        dot3 += matrix[base3 + j]! * x;
      }
      if (dot0 > best) {
        best = dot0;
        bestRow = row0;
      }
      if (dot1 > best) {
        best = dot1;
        bestRow = row1;
      }
      if (dot2 > best) {
        best = dot2;
        bestRow = row2;
      }
      if (dot3 > best) {
        best = dot3;
        bestRow = row3;
      }
    }
    for (; i < m; i++) {
      const row = live[i]!;
      const base = row * d;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += matrix[base + j]! * vectors[offset + j]!;
      if (dot > best) {
        best = dot;
        bestRow = row;
      }
    }
    // A zero row scores exactly 0; it wins where it comes first among the best.
    if (firstZero >= 0 && (best < 0 || (best === 0 && firstZero < bestRow))) {
      best = 0;
      bestRow = firstZero;
    }
    scores[v] = best;
    rows[v] = bestRow;
  }
}

/** The rows of a [k, d] matrix with a non-zero value, and the first all-zero row (−1: none). */
function liveRows(
  matrix: Float32Array,
  k: number,
  d: number,
): { live: number[]; firstZero: number } {
  const live: number[] = [];
  let firstZero = -1;
  for (let row = 0; row < k; row++) {
    let zero = true;
    for (let j = row * d; j < (row + 1) * d; j++) {
      if (matrix[j] !== 0) {
        zero = false;
        break;
      }
    }
    if (!zero) live.push(row);
    else if (firstZero < 0) firstZero = row;
  }
  return { live, firstZero };
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
  if (count <= 0) return [];
  // The heap's least key once it is full (−Infinity before): a plain number to compare with.
  let floor = -Infinity;
  const n = key.length;
  for (let i = 0; i < n; i++) {
    const value = key[i]!;
    if (value === -Infinity) continue;
    // Below the heap's least (a later index loses ties): cannot enter, the common case.
    if (value <= floor) continue;
    if (heap.length < count) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0;) {
        const parent = (at - 1) >> 1;
        if (!less(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
      if (heap.length === count) floor = key[heap[0]!]!;
    } else if (less(heap[0]!, i)) {
      heap[0] = i;
      down(0);
      floor = key[heap[0]!]!;
    }
  }
  return heap.sort((a, b) => (less(a, b) ? 1 : less(b, a) ? -1 : 0));
}
