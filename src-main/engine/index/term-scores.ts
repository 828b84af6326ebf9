/**
 * What scoring one term against the library gives, and how a label with aliases (or any
 * several vectors standing for one term) combines them: the best score per photo. Shared by
 * search and tagging, apart from the index that computes the scores.
 */

export interface TermScores {
  /** s(w) per photo, in index order (`ids`). */
  scores: Float32Array;
  /** The row k that gave the maximum: the "why" of a match. */
  rows: Uint8Array;
}

/** A label with aliases scores the best of its vectors; `member` says which. */
export function bestOf(parts: readonly TermScores[]): TermScores & { member: Uint8Array } {
  const first = parts[0]!;
  const member = new Uint8Array(first.scores.length);
  if (parts.length === 1) return { ...first, member };
  const scores = Float32Array.from(first.scores);
  const rows = Uint8Array.from(first.rows);
  parts.forEach((part, m) => {
    for (let i = 0; i < scores.length; i++) {
      if (part.scores[i]! > scores[i]!) {
        scores[i] = part.scores[i]!;
        rows[i] = part.rows[i]!;
        member[i] = m;
      }
    }
  });
  return { scores, rows, member };
}
