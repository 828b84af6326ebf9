/**
 * Tagging's scorer: like scoreVectorsWithRows (scoring.ts), s(w) = max_k ⟨A_k, w⟩ and its row for
 * many vectors against one [k, d] matrix, but exact only where the result can matter — at or
 * above a per-vector cutoff (the label's threshold; −Infinity for a voted label, whose score is
 * kept whatever it is).
 *
 * Why it is exact there: by Cauchy–Schwarz ⟨A_k, w⟩ ≤ ‖A_k‖·‖w‖. The rows are visited by
 * decreasing norm; once ‖A_k‖·‖w‖ falls below max(best so far, cutoff), no later row can reach
 * the cutoff or beat (or tie) the best, so the scan stops. SDL-style matrices carry their meaning
 * in a few heavy rows (the starter pack's rows are probability-weighted word vectors), so most
 * label vectors stop after a row or two. Each dot product is summed in the same order as
 * scoreWithRow's, and equal scores go to the lower row, so a score at or above its cutoff, and its
 * row, are identical to scoreVectorsWithRows'; below the cutoff the written score is only
 * guaranteed to be below it too.
 */

/** Slack on the Cauchy–Schwarz bound for the rounding of the sums and norms (relative). */
const BOUND_SLACK = 1 + 1e-9;

/** Euclidean norm of each of the n vectors of `vectors` ([n, d] row-major), in float64. */
export function vectorNorms(vectors: Float32Array, d: number): Float64Array {
  const n = d === 0 ? 0 : vectors.length / d;
  const norms = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let sum = 0;
    for (let j = v * d; j < (v + 1) * d; j++) sum += vectors[j]! * vectors[j]!;
    norms[v] = Math.sqrt(sum) * BOUND_SLACK;
  }
  return norms;
}

/**
 * Scores `vectors` ([n, d] row-major; `norms` from vectorNorms) against `matrix` ([k, d]),
 * writing scores[v] and rows[v]: exactly scoreVectorsWithRows' values where that score is
 * ≥ cutoffs[v], and some score < cutoffs[v] otherwise. Cutoff +Infinity: the vector is not
 * scored (its score is below the cutoff); −Infinity: always exact.
 */
export function scoreVectorsAbove(
  matrix: Float32Array,
  k: number,
  d: number,
  vectors: Float32Array,
  norms: Float64Array,
  cutoffs: ArrayLike<number>,
  scores: Float64Array,
  rows: Uint16Array,
): void {
  const { order, rowNorms, firstZero } = rowsByNorm(matrix, k, d);
  const m = order.length;
  const n = norms.length;
  for (let v = 0; v < n; v++) {
    const offset = v * d;
    const cutoff = cutoffs[v]!;
    const norm = norms[v]!;
    let best = -Infinity;
    let bestRow = 0;
    for (let i = 0; i < m; i++) {
      // Rows by decreasing norm: none from here on can reach the floor.
      if (rowNorms[i]! * norm < (best > cutoff ? best : cutoff)) break;
      const row = order[i]!;
      const base = row * d;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += matrix[base + j]! * vectors[offset + j]!;
      if (dot > best || (dot === best && row < bestRow)) {
        best = dot;
        bestRow = row;
      }
    }
    // A zero row scores exactly 0; it wins where it comes first among the best. When the scan
    // stopped below the cutoff, every live row scores below it: if 0 reaches the cutoff, the
    // live rows are all below 0 and the zero row is the exact best.
    if (firstZero >= 0 && (best < 0 || (best === 0 && firstZero < bestRow))) {
      best = 0;
      bestRow = firstZero;
    }
    scores[v] = best;
    rows[v] = bestRow;
  }
}

/**
 * The matrix's rows with a non-zero value, by decreasing norm (equal norms by row), their norms
 * (with the bound's slack), and the first all-zero row (−1: none).
 */
function rowsByNorm(
  matrix: Float32Array,
  k: number,
  d: number,
): { order: Uint16Array; rowNorms: Float64Array; firstZero: number } {
  const norms: number[] = [];
  const live: number[] = [];
  let firstZero = -1;
  for (let row = 0; row < k; row++) {
    let sum = 0;
    let zero = true;
    for (let j = row * d; j < (row + 1) * d; j++) {
      sum += matrix[j]! * matrix[j]!;
      if (matrix[j] !== 0) zero = false;
    }
    if (!zero) live.push(row);
    else if (firstZero < 0) firstZero = row;
    // A row holding NaN is never skipped (its scores are NaN and never win, as in scoreWithRow).
    norms.push(Number.isNaN(sum) ? Infinity : Math.sqrt(sum) * BOUND_SLACK);
  }
  live.sort((a, b) => norms[b]! - norms[a]! || a - b);
  return {
    order: Uint16Array.from(live),
    rowNorms: Float64Array.from(live, (row) => norms[row]!),
    firstZero,
  };
}
