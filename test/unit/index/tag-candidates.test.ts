/**
 * tagCandidates scores each label only as far as its threshold needs (cutoff-scoring.ts); the
 * labels it returns, with their scores and rows, must be exactly those of the full rule:
 * scoreMatrix over every label, kept where the score passes the threshold or a vote holds. Checked
 * on random matrices with zero rows, equal rows (ties), rows of mixed sign, labels with aliases,
 * thresholds below zero, above every score and infinite, and votes either way.
 */
import { describe, expect, it } from 'vitest';
import { packLabels, scoreMatrix, tagCandidates } from '../../../src-main/engine/index/tagger.js';
import type { ScoringLabel } from '../../../src-main/engine/vocab/vocabulary.js';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

function unit(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

function labelsOf(random: () => number, count: number, d: number): ScoringLabel[] {
  return Array.from({ length: count }, (_, i) => {
    const vectors = Array.from({ length: 1 + (i % 3 === 0 ? 2 : 0) }, () =>
      unit(new Float32Array(d).map(() => random())),
    );
    const key = `label${i}`;
    return {
      entry: { key, name: key, kind: 'seen', aliases: [] },
      vectors,
      members: vectors.map((_, m) => `${key}${m}`),
    } as unknown as ScoringLabel;
  });
}

/** The full rule: every label scored, the passing or voted ones kept (tagCandidates' contract). */
function expected(
  matrix: Float32Array,
  k: number,
  d: number,
  labels: ScoringLabel[],
  thresholds: number[],
  votes: Map<string, 'up' | 'down'>,
): [string, number, number, string | undefined][] {
  const scores = scoreMatrix(matrix, k, d, labels);
  return labels.flatMap((label, i) => {
    const vote = votes.get(label.entry.key);
    const { score, row } = scores[i]!;
    const passes = Number.isFinite(thresholds[i]!) && score >= thresholds[i]!;
    return vote || passes ? [[label.entry.key, score, row, vote]] : [];
  });
}

describe('tagCandidates', () => {
  const d = 12;
  const random = seeded(11);
  const labels = labelsOf(random, 60, d);
  const packed = packLabels(labels, d);

  it('returns exactly the full rule’s passing and voted labels, scores and rows', () => {
    let compared = 0;
    for (const k of [1, 3, 5, 8, 13]) {
      for (let trial = 0; trial < 12; trial++) {
        // SDL-like: rows of very different weights, some all zero, some repeated (ties).
        const matrix = new Float32Array(k * d);
        for (let row = 0; row < k; row++) {
          const weight = Math.abs(random()) * 2 ** Math.floor(random() * 8);
          if (random() > 0.3)
            matrix.set(
              unit(new Float32Array(d).map(() => random())).map((x) => x * weight),
              row * d,
            );
        }
        if (k > 2 && trial % 3 === 0) matrix.copyWithin(2 * d, 0, d);
        const level = trial % 4 === 0 ? -0.2 : trial % 4 === 1 ? 0 : 0.3;
        const thresholds = labels.map((_, i) =>
          i % 17 === 0 ? Infinity : i % 23 === 0 ? 1e9 : level + random() * 0.5,
        );
        const votes = new Map<string, 'up' | 'down'>();
        for (let i = 0; i < labels.length; i += 7) votes.set(`label${i}`, i % 2 ? 'up' : 'down');
        for (const v of [votes, new Map<string, 'up' | 'down'>()]) {
          const got = tagCandidates(matrix, k, d, packed, thresholds, v).map(
            (s) => [s.label.entry.key, s.score, s.row, s.vote] as const,
          );
          const want = expected(matrix, k, d, labels, thresholds, v);
          expect(got).toEqual(want);
          compared += want.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(500); // the checks saw many tags, not only empty lists
  });

  it('gives a zero row’s score 0 where every live row scores below a threshold ≤ 0', () => {
    const k = 4;
    const matrix = new Float32Array(k * d);
    const w = labels[1]!.vectors[0]!;
    matrix.set(
      w.map((x) => -x),
      0,
    ); // row 0 scores −1 for label 1; rows 1–3 are zero
    const thresholds = labels.map(() => -0.5);
    const got = tagCandidates(matrix, k, d, packed, thresholds, undefined);
    const one = got.find((s) => s.label.entry.key === 'label1');
    expect(one && [one.score, one.row]).toEqual([0, 1]);
    expect(got.map((s) => [s.label.entry.key, s.score, s.row, s.vote])).toEqual(
      expected(matrix, k, d, labels, thresholds, new Map()),
    );
  });
});
