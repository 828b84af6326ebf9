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

export function score(
  matrix: ArrayLike<number>,
  k: number,
  d: number,
  w: ArrayLike<number>,
): number {
  return scoreWithRow(matrix, k, d, w).score;
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

/** Indices of the `count` highest scores, best first. */
export function topIndices(scores: ArrayLike<number>, count: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]!);
  return order.slice(0, count);
}
