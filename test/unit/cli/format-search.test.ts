/** A search as terminal text: the count in words, the query quoted once, filter-only hits. */
import { describe, expect, it } from 'vitest';
import type { ApiResults } from '../../../src-main/engine/api/contract.js';
import { formatSearch } from '../../../src-main/cli/format.js';

type Result = ApiResults['search'];
type Hit = Result['hits'][number];

const why = (term: string, score: number): Hit['why'][number] => ({
  term,
  source: 'seen',
  label: term,
  score,
  row: 0,
  threshold: 0.5,
  matched: score >= 0.5,
  negated: false,
});

function result(query: string, hits: Hit[]): Result {
  const matches = hits.filter((h) => h.matched).length;
  return { query, matches, excluded: 0, dropped: [], fewMatches: false, hits };
}

const hit = (path: string, terms: Hit['why']): Hit => ({
  id: path,
  path,
  state: 'indexed',
  score: terms[0]?.score ?? 0,
  matched: terms.every((t) => t.matched),
  why: terms,
});

describe('search as text', () => {
  it('says "1 photo matches" in the singular and "2 photos match" in the plural', () => {
    expect(formatSearch(result('food', [hit('/a.jpg', [why('food', 0.9)])]))).toMatch(
      /^1 photo matches "food"\./,
    );
    const two = [hit('/a.jpg', [why('bird', 0.9)]), hit('/b.jpg', [why('bird', 0.8)])];
    expect(formatSearch(result('bird', two))).toMatch(/^2 photos match "bird"\./);
  });

  it('quotes a query that is one quoted phrase once', () => {
    const text = formatSearch(result('"red kite"', [hit('/a.jpg', [why('red kite', 0.9)])]));
    expect(text).toMatch(/^1 photo matches "red kite"\./);
    expect(formatSearch(result('"red kite" sky', []))).toBe('No photo matches ""red kite" sky".');
  });

  it('shows no score for photos of a filter-only query (nothing was scored)', () => {
    const text = formatSearch(result('taken:2023-07', [hit('/tmp/a.jpg', [])]));
    expect(text.split('\n')).toEqual(['1 photo matches "taken:2023-07".', '  1.  /tmp/a.jpg']);
  });
});
