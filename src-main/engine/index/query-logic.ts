/**
 * A query's boolean tree over per-photo term results (index/search.ts scores the terms):
 *   term:   matched per its `passes`; ranked by score ÷ threshold
 *   AND:    rank = min over its positive children, matched when all match
 *   OR:     rank = max over its positive children, matched when any matches
 *   NOT x:  matched when x does not match; a photo that x matches is excluded outright
 * Dividing by the threshold puts terms of different scales (a label, a free word) on one
 * footing, so AND's weakest term is the one furthest below its own bar.
 */
import type { QueryNode } from './query.js';

/** What the tree needs of one scored term: per photo, its score and whether it matches. */
export interface TermResult {
  scores: Float32Array;
  passes: Uint8Array;
  threshold: number;
  /** True for a word only the user's keywords know: no scores, so only keyworded photos match. */
  keywordOnly?: boolean;
}

export interface Evaluated {
  score: Float32Array;
  /**
   * The rank key: like score, but each term's score divided by its threshold, so that terms of
   * different scales (a label and a free word) weigh alike when AND takes the weakest.
   */
  rank: Float32Array;
  matched: Uint8Array;
  /** Could match were positive thresholds lower: false only when a NOT excludes the photo. */
  possible: Uint8Array;
  /** Has a positive term below it (else its score is the negated score of its NOTs). */
  positive: boolean;
}

export function evaluate(node: QueryNode, scored: Map<string, TermResult>, n: number): Evaluated {
  if (node.type === 'term') {
    const { scores, passes, threshold, keywordOnly } = scored.get(node.text)!;
    const scale = threshold > 0 ? 1 / threshold : 1;
    const rank = new Float32Array(scores.length); // a plain loop: map's callback costs 1M calls
    for (let i = 0; i < scores.length; i++) rank[i] = scores[i]! * scale;
    return {
      score: scores,
      rank,
      matched: passes,
      possible: keywordOnly ? Uint8Array.from(passes) : new Uint8Array(n).fill(1),
      positive: true,
    };
  }
  if (node.type === 'not') {
    const inner = evaluate(node.child, scored, n);
    const matched = new Uint8Array(n);
    const score = inner.score.map((s) => -s);
    const rank = inner.rank.map((s) => -s);
    for (let i = 0; i < n; i++) matched[i] = inner.matched[i] ? 0 : 1;
    return { score, rank, matched, possible: Uint8Array.from(matched), positive: false };
  }
  const isAnd = node.type === 'and';
  const children = node.children.map((child) => evaluate(child, scored, n));
  const ranked = children.some((c) => c.positive) ? children.filter((c) => c.positive) : children;
  const score = new Float32Array(n).fill(isAnd ? Infinity : -Infinity);
  const rank = new Float32Array(n).fill(isAnd ? Infinity : -Infinity);
  const matched = new Uint8Array(n).fill(isAnd ? 1 : 0);
  const possible = new Uint8Array(n).fill(isAnd ? 1 : 0);
  for (const child of ranked) {
    for (let i = 0; i < n; i++) {
      score[i] = isAnd
        ? Math.min(score[i]!, child.score[i]!)
        : Math.max(score[i]!, child.score[i]!);
      rank[i] = isAnd ? Math.min(rank[i]!, child.rank[i]!) : Math.max(rank[i]!, child.rank[i]!);
    }
  }
  for (const child of children) {
    for (let i = 0; i < n; i++) {
      if (isAnd) {
        matched[i]! &= child.matched[i]!;
        possible[i]! &= child.possible[i]!;
      } else {
        matched[i]! |= child.matched[i]!;
        possible[i]! |= child.possible[i]!;
      }
    }
  }
  return { score, rank, matched, possible, positive: ranked.some((c) => c.positive) };
}

/** The terms under an odd number of NOTs (their match excludes a photo). */
export function negatedTerms(
  node: QueryNode | null,
  under = false,
  out = new Set<string>(),
): Set<string> {
  if (!node) return out;
  if (node.type === 'term') {
    if (under) out.add(node.text);
  } else if (node.type === 'not') negatedTerms(node.child, !under, out);
  else for (const child of node.children) negatedTerms(child, under, out);
  return out;
}
