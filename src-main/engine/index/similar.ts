/**
 * "More like this": the photos nearest one photo by their embedding matrices, from the search
 * index alone (no model run). Each of the photo's K rows p_j is a direction in word space with a
 * weight, its length; every photo Q scores each direction as a label is scored — the best of its
 * own rows — and the weighted mean over the K directions is the likeness:
 *
 *   like(P, Q) = Σ_j |p_j| · max_k ⟨q_k, p_j / |p_j|⟩  /  Σ_j |p_j|
 *
 * so what weighs most in P (e.g. "bird" for a bird photo) counts most. Scores lie in [-1, 1]
 * for unit-length rows and are comparable across photos.
 */
import { topIndices } from './scoring.js';
import type { SearchIndex } from './search-index.js';

export interface Likeness {
  id: string;
  score: number;
}

/**
 * The `limit` photos most like the one whose matrix is `matrix` ([k, d], kd layout), best
 * first, leaving out `self` (its id). Rows of length 0 carry no direction and are skipped.
 */
export async function photosLike(
  index: SearchIndex,
  matrix: Float32Array,
  self: string,
  limit: number,
): Promise<Likeness[]> {
  const { k, d } = index;
  const directions: Float32Array[] = [];
  const weights: number[] = [];
  for (let row = 0; row < k; row++) {
    const vector = matrix.slice(row * d, (row + 1) * d); // [d]
    const length = Math.hypot(...vector);
    if (length === 0) continue;
    directions.push(vector.map((v) => v / length));
    weights.push(length);
  }
  if (directions.length === 0) return [];
  const parts = await index.score(directions);
  const ids = index.ids;
  const total = weights.reduce((a, b) => a + b, 0);
  const likeness = new Float32Array(ids.length); // [photos]
  parts.forEach((part, j) => {
    const w = weights[j]! / total;
    for (let i = 0; i < likeness.length; i++) likeness[i] = likeness[i]! + w * part.scores[i]!;
  });
  const at = ids.indexOf(self);
  if (at >= 0) likeness[at] = -Infinity;
  return topIndices(likeness, Math.min(limit, ids.length - (at >= 0 ? 1 : 0))).map((i) => ({
    id: ids[i]!,
    score: likeness[i]!,
  }));
}
