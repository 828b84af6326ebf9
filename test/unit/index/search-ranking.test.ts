import { afterAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../../src-main/engine/index/query.js';
import { runQuery, type ResolvedTerm } from '../../../src-main/engine/index/search.js';
import { SearchIndex } from '../../../src-main/engine/index/search-index.js';
import { roundScore } from '../../../src-main/engine/index/scoring.js';
import { calibrate, otsu } from '../../../src-main/engine/vocab/thresholds.js';

/**
 * A new word's answer, end to end, against the straightforward way to rank the same kernel
 * scores: its threshold calibrated from a sample sorted with the built-in sort, each photo's
 * pass and rank computed one by one, every photo sorted (best first, ties by index order), the
 * first `limit` taken. Past the worker threshold, so the pass runs on the worker threads and
 * the calling thread together.
 */

/** Deterministic values in [-1, 1). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 31 - 1;
  };
}

const [K, D, N] = [4, 16, 20_000];

/** Starter-like matrices (a few heavy rows, the rest light or all zero); every 7th photo a copy
 *  of an earlier one, so equal scores (ties) are common. */
function fill(index: SearchIndex, next: () => number): void {
  const earlier: Float32Array[] = [];
  for (let i = 0; i < N; i++) {
    let m: Float32Array;
    if (i % 7 === 6) m = earlier[Math.floor(((next() + 1) / 2) * earlier.length)]!;
    else {
      const heavy = 1 + Math.floor(((next() + 1) / 2) * 3);
      m = Float32Array.from({ length: K * D }, (_, at) => {
        const row = Math.floor(at / D);
        return row < heavy ? next() : row === K - 1 ? 0 : next() * 0.05;
      });
      earlier.push(m);
    }
    index.set(`p${i}`, m);
  }
}

function unit(next: () => number): Float32Array {
  const v = Float32Array.from({ length: D }, next);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** labelStats' threshold for a word, the straightforward way (the built-in sort). */
function wordThresholdBySorting(scores: Float32Array, prior: number): number {
  const step = Math.max(1, Math.floor(scores.length / 8192));
  const sample = new Float32Array(Math.ceil(scores.length / step));
  for (let i = 0, s = 0; i < scores.length; i += step) sample[s++] = scores[i]!;
  sample.sort();
  const middle = (sorted: Float32Array): number => {
    const at = 0.5 * (sorted.length - 1);
    const low = Math.floor(at);
    const high = Math.min(sorted.length - 1, low + 1);
    return sorted[low]! + (at - low) * (sorted[high]! - sorted[low]!);
  };
  const median = middle(sample);
  const deviations = sample.map((v) => Math.abs(v - median)).sort();
  const stats = {
    split: otsu(sample),
    median,
    spread: 1.4826 * middle(deviations),
    photos: scores.length,
  };
  return calibrate(stats, prior).threshold;
}

describe('a new word, ranked', () => {
  const index = new SearchIndex(K, D, { workers: 2 });
  fill(index, random(21));
  afterAll(() => index.close());

  it.each([
    ['calibrated threshold, weaker results too', undefined, false, false],
    ['calibrated threshold, matches only', undefined, true, false],
    ['a fixed threshold, through a filter', 0.2, false, true],
  ])('equals a full sort of the same scores: %s', async (_, fixed, matchedOnly, filtered) => {
    const next = random(fixed === undefined ? 5 : 9);
    for (let word = 0; word < 3; word++) {
      const vector = unit(next);
      const term: ResolvedTerm = {
        key: `w${word}:${String(fixed)}`,
        text: `w${word}`,
        source: 'word',
        vectors: [vector],
        ...(fixed === undefined ? { prior: 0.1 } : { threshold: fixed }),
      };
      const filter = filtered ? (id: string) => Number(id.slice(1)) % 3 !== 0 : undefined;
      const limit = 60;
      const answer = await runQuery(index, parseQuery(term.text), () => term, {
        limit,
        matchedOnly,
        ...(filter && { filter }),
      });

      const [{ scores, rows }] = (await index.score([vector])) as [
        { scores: Float32Array; rows: Uint8Array },
      ];
      const threshold = fixed ?? wordThresholdBySorting(scores, 0.1);
      const photos = index.ids.map((id, i) => ({ id, i, score: scores[i]! }));
      const kept = photos.filter(({ id }) => !filter || filter(id));
      const matched = (score: number) => score >= threshold;
      const ranked = kept
        .filter(({ score }) => matched(score) || !matchedOnly)
        .map((p) => ({ ...p, key: p.score / threshold + (matched(p.score) ? 1e6 : 0) }))
        .sort((a, b) => b.key - a.key || a.i - b.i)
        .slice(0, limit);
      expect(answer.matches).toBe(kept.filter(({ score }) => matched(score)).length);
      expect(answer.excluded).toBe(0);
      expect(answer.hits.map((h) => [h.photoId, h.score, h.matched, h.why[0]!.row])).toEqual(
        ranked.map(({ id, i, score }) => [id, roundScore(score), matched(score), rows[i]]),
      );
      // Ties did occur among the hits compared.
      if (word === 0 && !filtered) {
        expect(new Set(ranked.map((p) => p.score)).size).toBeLessThan(ranked.length);
      }
    }
  });
});
