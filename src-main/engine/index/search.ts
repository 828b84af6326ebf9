/**
 * Search: each query term becomes a vector (seen label or word table), is scored against every
 * stored matrix, and photos are ranked by the combined score. Terms are ANDed: a photo ranks by
 * its weakest term, so it must match every word.
 */
import { AnytagError } from '../errors.js';
import type { TermVector, TermVectors } from '../vocab/term-vectors.js';
import type { SearchIndex } from './search-index.js';
import { round } from './tagger.js';

export interface SearchHit {
  photoId: string;
  score: number;
  /** Per term: the term's own score and the matrix row that matched it. */
  why: { term: string; source: TermVector['source']; score: number; row: number }[];
}

/** Words and "quoted phrases" of a query, in order. */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const match of query.matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (match[1] ?? match[2] ?? '').trim();
    if (term) terms.push(term);
  }
  return terms;
}

export function search(
  index: SearchIndex,
  terms: TermVectors,
  query: string,
  limit: number,
): SearchHit[] {
  const words = queryTerms(query);
  if (words.length === 0)
    throw new AnytagError('INVALID_INPUT', 'The query has no words', { query });
  const resolved = words.map((word) => terms.resolve(word));
  const scored = resolved.map((term) => ({ term, ...index.scoreAll(term.vector) }));
  const ids = scored[0]!.ids;
  const combined = new Float32Array(ids.length).fill(Infinity);
  for (const { scores } of scored) {
    for (let i = 0; i < ids.length; i++) combined[i] = Math.min(combined[i]!, scores[i]!);
  }
  const order = Array.from({ length: ids.length }, (_, i) => i).sort(
    (a, b) => combined[b]! - combined[a]!,
  );
  return order.slice(0, limit).map((i) => ({
    photoId: ids[i]!,
    score: round(combined[i]!),
    why: scored.map(({ term, scores, rows }) => ({
      term: term.text,
      source: term.source,
      score: round(scores[i]!),
      row: rows[i]!,
    })),
  }));
}
