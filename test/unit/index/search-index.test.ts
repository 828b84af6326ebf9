import { afterAll, describe, expect, it } from 'vitest';
import {
  instantiateKernel,
  jsKernel,
  kernelModule,
} from '../../../src-main/engine/index/int8-kernel.js';
import { scoreWithRow } from '../../../src-main/engine/index/scoring.js';
import { SearchIndex } from '../../../src-main/engine/index/search-index.js';

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

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
}

/** Random matrices; `weight` scales row k (SDL-style: a few heavy rows, the rest light). */
function fill(
  index: SearchIndex,
  n: number,
  next: () => number,
  weight = (_row: number) => 1,
): Float32Array[] {
  const matrices: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const m = Float32Array.from(
      { length: index.k * index.d },
      (_, at) => next() * 0.5 * weight(Math.floor(at / index.d)),
    );
    index.set(`p${i}`, m);
    matrices.push(m);
  }
  return matrices;
}

describe('int8 scoring kernel', () => {
  it.each([8, 16, 24, 104])(
    'gives the same scores and rows in WebAssembly SIMD as in JavaScript (dp %i)',
    (dp) => {
      const module = kernelModule();
      expect(module).not.toBeNull(); // Node 20 has WebAssembly SIMD
      const memory = new WebAssembly.Memory({ initial: 8, maximum: 65536, shared: true });
      const [k, n, terms] = [5, 40, 3];
      const bytes = new Int8Array(memory.buffer);
      const halves = new Int16Array(memory.buffer);
      const floats = new Float32Array(memory.buffer);
      const next = random(7);
      const [queries, qscales, data, scales] = [0, 1024, 2048, 2048 + n * k * dp];
      const [outA, rowsA] = [scales + n * k * 4, scales + n * k * 4 + terms * n * 4];
      const [outB, rowsB] = [rowsA + terms * n, rowsA + terms * n + terms * n * 4];
      for (let i = 0; i < n * k * dp; i++) bytes[data + i] = Math.round(next() * 127);
      for (let i = 0; i < n * k; i++) floats[scales / 4 + i] = 0.5 + next() / 4;
      for (let i = 0; i < terms * dp; i++) halves[queries / 2 + i] = Math.round(next() * 30000);
      for (let t = 0; t < terms; t++) floats[qscales / 4 + t] = 1e-4 * (t + 1);
      // Huge norms never stop the loop early, and perm is the identity: every row is scored.
      const [norms, perm] = [rowsB + terms * n + 64, rowsB + terms * n + 64 + n * k * 4];
      for (let i = 0; i < n * k; i++) {
        bytes[perm + i] = i % k;
        floats[norms / 4 + i] = 1e30;
      }
      const args = [data, scales, norms, perm, n, k, dp, queries, qscales, terms] as const;
      instantiateKernel(module!, memory)(...args, outA, rowsA, n);
      jsKernel(memory)(...args, outB, rowsB, n);
      for (let i = 0; i < terms * n; i++) {
        const [wasm, js] = [floats[outA / 4 + i]!, floats[outB / 4 + i]!];
        expect(Math.abs(wasm - js)).toBeLessThanOrEqual(1e-6 * Math.abs(js)); // f32 rounding
        expect(bytes[rowsA + i]).toBe(bytes[rowsB + i]);
      }
    },
  );
});

describe('search index', () => {
  const indexes: SearchIndex[] = [];
  const make = (k: number, d: number, workers = 0): SearchIndex => {
    const index = new SearchIndex(k, d, { workers });
    indexes.push(index);
    return index;
  };
  afterAll(() => Promise.all(indexes.map((i) => i.close())));

  it.each([
    ['similar rows', () => 1],
    [
      'a few heavy rows (the early stop prunes)',
      (row: number) => [0.1, 1, 0.02, 0.9, 0.3][row % 5]!,
    ],
  ])(
    'scores s(w) = max_k ⟨A_k, w⟩ within int8 error, with the matching row: %s',
    async (_, weight) => {
      const [k, d] = [7, 30]; // d not a multiple of 8: padded
      const index = make(k, d);
      const next = random(3);
      const matrices = fill(index, 300, next, weight);
      const w = unit(Array.from({ length: d }, next));
      const [{ scores, rows }] = (await index.score([w])) as [
        { scores: Float32Array; rows: Uint8Array },
      ];
      matrices.forEach((m, i) => {
        const exact = scoreWithRow(m, k, d, w);
        expect(Math.abs(scores[i]! - exact.score)).toBeLessThan(0.01);
        const rowScore = scoreWithRow(m.subarray(rows[i]! * d, (rows[i]! + 1) * d), 1, d, w).score;
        expect(exact.score - rowScore).toBeLessThan(0.01); // the row it names is (near) the best
      });
    },
  );

  it('replaces, deletes (moving the last photo into the hole) and dequantises', async () => {
    const index = make(2, 3);
    index.set('a', new Float32Array([1, 0, 0, 0, 0.5, 0]));
    index.set('b', new Float32Array([0, 1, 0, 0, 0, 0.5]));
    index.set('c', new Float32Array([0, 0, 1, 0.5, 0, 0]));
    index.delete('a');
    expect(index.ids).toEqual(['c', 'b']);
    expect(index.has('a')).toBe(false);
    index.set('b', new Float32Array([0, 0.2, 0, 0, 0, 0.1]));
    const [red] = await index.score([new Float32Array([1, 0, 0])]);
    expect(Array.from(red!.scores, (s) => Math.round(s * 1000) / 1000)).toEqual([0.5, 0]);
    expect(Array.from(index.matrix('c')!)).toEqual([0, 0, 1, 0.5, 0, 0]);
  });

  it('scores the same on worker threads as on the calling thread, past one chunk', async () => {
    const [k, d, n] = [3, 8, 20_000];
    const threaded = make(k, d, 2);
    const local = make(k, d, 0);
    fill(threaded, n, random(11));
    fill(local, n, random(11));
    const terms = [unit([1, 2, 3, 4, 5, 6, 7, 8]), unit([8, -7, 6, -5, 4, -3, 2, -1])];
    const a = await threaded.score(terms);
    const b = await local.score(terms);
    for (let t = 0; t < terms.length; t++) {
      expect(a[t]!.scores).toEqual(b[t]!.scores);
      expect(a[t]!.rows).toEqual(b[t]!.rows);
    }
  });

  it('scores its first photos (scorePrefix) exactly as when it held only them', async () => {
    const [k, d] = [5, 13];
    const index = make(k, d);
    const next = random(17);
    const terms = Array.from({ length: 3 }, () => unit(Array.from({ length: d }, next)));
    fill(index, 2100, next, (row) => [1, 0.2, 0.05, 0.6, 0.01][row]!); // past one chunk
    const then = await index.score(terms);
    for (let i = 0; i < 300; i++) {
      index.set(
        `more${i}`,
        Float32Array.from({ length: k * d }, () => next()),
      );
    }
    const prefix = index.scorePrefix(terms, 2100);
    expect(prefix.map((t) => [t.scores, t.rows])).toEqual(then.map((t) => [t.scores, t.rows]));
    expect(() => index.scorePrefix(terms, 2401)).toThrow();
  });

  it('calls beforeRewrite before a replace or a delete, not before an append', () => {
    const index = make(2, 3);
    const seen: number[] = [];
    index.beforeRewrite = () => seen.push(index.size);
    index.set('a', new Float32Array(6));
    index.set('b', new Float32Array(6));
    expect(seen).toEqual([]);
    index.set('a', new Float32Array(6).fill(1));
    index.delete('b');
    index.delete('gone');
    expect(seen).toEqual([2, 2]);
  });

  it('caches a keyed term until the library changes', async () => {
    const index = make(1, 3);
    index.set('a', new Float32Array([1, 0, 0]));
    const w = new Float32Array([1, 0, 0]);
    const [first] = await index.score([w], ['red']);
    const [again] = await index.score([w], ['red']);
    expect(again).toBe(first);
    index.set('b', new Float32Array([0.5, 0, 0]));
    const [fresh] = await index.score([w], ['red']);
    expect(fresh).not.toBe(first);
    expect(fresh!.scores).toHaveLength(2);
  });

  it('restores from a snapshot of its region (reserve, copy, adopt) exactly, workers warm', async () => {
    const [k, d, n] = [3, 8, 20_000]; // past the worker threshold: reserve starts the threads
    const source = make(k, d, 2);
    fill(source, n, random(5), (row) => [1, 0.6, 0.05][row]!);
    source.delete('p7'); // the last photo moves into its place
    const region = source.snapshotRegion();
    const copy = make(k, d, 2);
    const target = copy.reserve(source.size);
    expect(target.bytes).toBe(region.bytes);
    new Uint8Array(target.buffer, target.offset, target.bytes).set(
      new Uint8Array(region.buffer, region.offset, region.bytes),
    );
    expect(copy.size).toBe(0); // empty until the ids are adopted
    copy.adopt([...source.ids], [...source.slots]);
    expect(copy.ids).toEqual(source.ids);
    expect(copy.slots).toEqual(source.slots);
    expect(copy.has('p7')).toBe(false);
    expect(copy.matrix(`p${n - 1}`)).toEqual(source.matrix(`p${n - 1}`));
    const terms = [unit([1, 2, 3, 4, 5, 6, 7, 8]), unit([8, -7, 6, -5, 4, -3, 2, -1])];
    const [a, b] = [await copy.score(terms), await source.score(terms)];
    expect(a.map((t) => [t.scores, t.rows])).toEqual(b.map((t) => [t.scores, t.rows]));
    // Only once, with ids (and a slot each) filling the reserved chunks.
    expect(() => copy.reserve(1)).toThrow(/empty index/);
    const other = make(k, d, 0);
    other.reserve(3);
    const many = Array.from({ length: 5000 }, (_, i) => `x${i}`);
    expect(() =>
      other.adopt(
        many,
        many.map((_, i) => i),
      ),
    ).toThrow(/reserved/);
    expect(() => other.adopt(['a', 'b'], [0])).toThrow(/reserved/);
  });

  it("keeps each photo's slot through replacing, deleting and a compaction's renumbering", () => {
    const index = make(1, 2);
    index.set('a', new Float32Array([1, 0]), 0);
    index.set('b', new Float32Array([0, 1]), 1);
    index.set('c', new Float32Array([1, 1]), 2);
    index.delete('a'); // c moves into a's place
    expect(index.ids).toEqual(['c', 'b']);
    expect(index.slots).toEqual([2, 1]);
    index.set('b', new Float32Array([0, 1]), 7);
    index.moveSlot('c', 9);
    index.moveSlot('gone', 3); // not in the index: nothing to move
    expect(index.slots).toEqual([9, 7]);
  });
});
