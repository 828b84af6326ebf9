/**
 * Every stored embedding matrix in memory, built for one fast pass of dot products per query.
 *
 * Storage: each row A_k of a photo's matrix is quantised to int8 with its own float32 scale
 * (A_k ≈ scale_k · q_k, scale_k = max|A_k| / 127), d padded to a multiple of 8: 16 × 104 bytes
 * a photo for the starter pack, a quarter of float32 (1M photos: 1.7 GB instead of 6.4 GB).
 * The error of a score is about 0.1 % of the row's norm, well under the gaps thresholds see.
 *
 * A photo's rows are kept by decreasing norm (with their original order beside them), so the
 * kernel stops at the first row whose norm cannot beat the best score so far: exact, and on
 * SDL-style matrices, whose few heavy rows carry the meaning, it skips most rows.
 *
 * Layout: one shared WebAssembly memory; a header holds up to MAX_TERMS query vectors (int16),
 * then fixed-size chunks of CHUNK photos, each [int8 rows | row scales | row norms | original
 * row order | output scores | output rows], appended as the library grows, so growing never
 * moves data. Rows, scales and norms are stored in row planes: the i-th row of every photo of
 * the chunk together ([k, CHUNK, dp]), so rows the early stop skips are never read at all.
 *
 * Scoring: the SIMD kernel (int8-kernel.ts) runs every term of a query in the same pass over a
 * chunk (the photo's rows stay in L1 while each term is scored), on worker threads sharing the
 * memory, one contiguous range of chunks each. Small libraries are scored on the calling thread.
 * A term's scores are kept in a small cache until the library changes, so refining a query or
 * re-tagging with the same label costs nothing.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  instantiateKernel,
  jsKernel,
  kernelModule,
  MAX_PAGES,
  PAGE_BYTES,
  type ScoreFunction,
} from './int8-kernel.js';

/** Numbers per kernel call (int8-kernel.ts). */
const ARGS = 13;
/** Photos per chunk. */
const CHUNK = 2048;
/** Terms scored in one pass; longer queries take several passes. */
export const MAX_TERMS = 16;
/** Below this many photos a worker round trip costs more than it saves. */
const WORKER_MIN_PHOTOS = 16_384;
/** Bytes of cached term scores kept. */
const CACHE_BYTES = 128 << 20;

export interface TermScores {
  /** s(w) per photo, in index order (`ids`). */
  scores: Float32Array;
  /** The row k that gave the maximum: the "why" of a match. */
  rows: Uint8Array;
}

export interface SearchIndexOptions {
  /** Worker threads for large libraries; default: the CPU count (0: always the caller's thread). */
  workers?: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const score = new WebAssembly.Instance(module, { env: { memory } }).exports.score;
parentPort.on('message', ({ id, calls }) => {
  for (let c = 0; c < calls.length; c += ${ARGS}) score(...calls.slice(c, c + ${ARGS}));
  parentPort.postMessage(id);
});`;

interface Pool {
  workers: Worker[];
  waiting: Map<number, () => void>;
  nextId: number;
}

export class SearchIndex {
  /** d rounded up to the kernel's 8 lanes. */
  readonly dp: number;
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: ScoreFunction;
  private readonly simd: boolean;
  private readonly headerBytes: number;
  private readonly chunkBytes: number;
  private chunks = 0;
  private readonly idList: string[] = [];
  private readonly position = new Map<string, number>();
  private pool: Pool | undefined;
  private readonly workerCount: number;
  private version = 0;
  private readonly cache = new Map<string, { version: number; value: TermScores }>();
  private cacheBytes = 0;

  constructor(
    readonly k: number,
    readonly d: number,
    options: SearchIndexOptions = {},
  ) {
    this.dp = Math.ceil(d / 8) * 8;
    this.headerBytes = align(MAX_TERMS * this.dp * 2 + MAX_TERMS * 4, PAGE_BYTES);
    this.chunkBytes = align(this.section('end'), 64);
    this.memory = new WebAssembly.Memory({
      initial: this.headerBytes / PAGE_BYTES,
      maximum: MAX_PAGES,
      shared: true,
    });
    const module = kernelModule();
    this.simd = module !== null;
    this.kernel = module ? instantiateKernel(module, this.memory) : jsKernel(this.memory);
    this.workerCount = this.simd ? (options.workers ?? os.availableParallelism()) : 0;
  }

  get size(): number {
    return this.idList.length;
  }

  /** Photo ids in index order: scores[i] belongs to ids[i]. */
  get ids(): readonly string[] {
    return this.idList;
  }

  /** Bytes of memory the index holds (matrices, scales and score buffers). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength + this.cacheBytes;
  }

  /** Which kernel scores: "wasm-simd" or the plain "js" fallback. */
  get kernelName(): string {
    return this.simd ? 'wasm-simd' : 'js';
  }

  has(id: string): boolean {
    return this.position.has(id);
  }

  /** Stores (or replaces) a photo's [k, d] matrix, quantised per row. */
  set(id: string, matrix: Float32Array): void {
    let at = this.position.get(id);
    if (at === undefined) {
      at = this.idList.length;
      this.ensureCapacity(at + 1);
      this.idList.push(id);
      this.position.set(id, at);
    }
    this.write(at, matrix);
    this.version++;
  }

  delete(id: string): void {
    const at = this.position.get(id);
    if (at === undefined) return;
    const last = this.idList.length - 1;
    if (at !== last) {
      const { k, dp } = this;
      const bytes = new Uint8Array(this.memory.buffer);
      const floats = new Float32Array(this.memory.buffer);
      const [from, to] = [this.addressOf(last), this.addressOf(at)];
      bytes.copyWithin(to.perm, from.perm, from.perm + k);
      for (let row = 0; row < k; row++) {
        const [src, dst] = [from.data + row * from.rowBytes, to.data + row * to.rowBytes];
        bytes.copyWithin(dst, src, src + dp);
        floats[(to.scales >> 2) + row * CHUNK] = floats[(from.scales >> 2) + row * CHUNK]!;
        floats[(to.norms >> 2) + row * CHUNK] = floats[(from.norms >> 2) + row * CHUNK]!;
      }
      this.idList[at] = this.idList[last]!;
      this.position.set(this.idList[at]!, at);
    }
    this.idList.pop();
    this.position.delete(id);
    this.version++;
  }

  /** The stored (dequantised) matrix of a photo, [k, d]. */
  matrix(id: string): Float32Array | undefined {
    const at = this.position.get(id);
    if (at === undefined) return undefined;
    const { k, d } = this;
    const { data, scales, perm, rowBytes } = this.addressOf(at);
    const bytes = new Int8Array(this.memory.buffer);
    const order = new Uint8Array(this.memory.buffer, perm, k);
    const floats = new Float32Array(this.memory.buffer);
    const out = new Float32Array(k * d); // [k, d], in the model's row order
    for (let stored = 0; stored < k; stored++) {
      const scale = floats[(scales >> 2) + stored * CHUNK]!;
      const row = order[stored]!;
      const from = data + stored * rowBytes;
      for (let j = 0; j < d; j++) out[row * d + j] = bytes[from + j]! * scale;
    }
    return out;
  }

  /**
   * s(w) and its row for every photo and every unit vector in `vectors`, in one pass per
   * MAX_TERMS vectors. `keys` (one per vector) let results be cached until the index changes.
   */
  async score(vectors: readonly Float32Array[], keys?: readonly string[]): Promise<TermScores[]> {
    const results: (TermScores | undefined)[] = vectors.map((_, t) => this.cached(keys?.[t]));
    const todo = vectors.flatMap((_, t) => (results[t] ? [] : [t]));
    const version = this.version;
    for (let first = 0; first < todo.length; first += MAX_TERMS) {
      const batch = todo.slice(first, first + MAX_TERMS);
      this.writeQueries(batch.map((t) => vectors[t]!));
      const calls = this.calls(batch.length);
      if (this.size >= WORKER_MIN_PHOTOS && this.workerCount > 0) await this.runOnWorkers(calls);
      else for (let c = 0; c < calls.length; c += ARGS) this.kernel(...callArgs(calls, c));
      if (this.version !== version) {
        // The library changed while workers ran: score again on this thread, synchronously.
        return this.score(vectors, keys);
      }
      batch.forEach((t, b) => {
        results[t] = this.readScores(b);
        this.remember(keys?.[t], results[t]);
      });
    }
    return results as TermScores[];
  }

  /** Stops the worker threads; the index stays usable on the calling thread. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await Promise.all(pool.workers.map((w) => w.terminate()));
  }

  private cached(key: string | undefined): TermScores | undefined {
    if (key === undefined) return undefined;
    const entry = this.cache.get(key);
    if (!entry || entry.version !== this.version) return undefined;
    this.cache.delete(key); // re-insert: Map order is the LRU order
    this.cache.set(key, entry);
    return entry.value;
  }

  private remember(key: string | undefined, value: TermScores): void {
    if (key === undefined) return;
    const bytes = value.scores.byteLength + value.rows.byteLength;
    if (bytes > CACHE_BYTES / 4) return;
    for (const [old, entry] of this.cache) {
      if (this.cacheBytes + bytes <= CACHE_BYTES && entry.version === this.version) break;
      this.cache.delete(old);
      this.cacheBytes -= entry.value.scores.byteLength + entry.value.rows.byteLength;
    }
    this.cache.set(key, { version: this.version, value });
    this.cacheBytes += bytes;
  }

  /** Where each part of a chunk starts, from the chunk's start. */
  private section(part: 'scales' | 'norms' | 'perm' | 'outScores' | 'outRows' | 'end'): number {
    const { k, dp } = this;
    const scales = align(CHUNK * k * dp, 16);
    const norms = scales + CHUNK * k * 4;
    const perm = norms + CHUNK * k * 4;
    const outScores = align(perm + CHUNK * k, 16);
    const outRows = outScores + MAX_TERMS * CHUNK * 4;
    const end = outRows + MAX_TERMS * CHUNK;
    return { scales, norms, perm, outScores, outRows, end }[part];
  }

  /** A photo's places: stored row r's data at data + r·rowBytes, its scale and norm at
   *  scales / norms + r·rowFloats·4, its original index at perm + r. */
  private addressOf(at: number): {
    data: number;
    scales: number;
    norms: number;
    perm: number;
    rowBytes: number;
  } {
    const chunk = Math.floor(at / CHUNK);
    const slot = at % CHUNK;
    const base = this.headerBytes + chunk * this.chunkBytes;
    const { k, dp } = this;
    return {
      data: base + slot * dp,
      scales: base + this.section('scales') + slot * 4,
      norms: base + this.section('norms') + slot * 4,
      perm: base + this.section('perm') + slot * k,
      rowBytes: CHUNK * dp,
    };
  }

  private ensureCapacity(photos: number): void {
    const needed = Math.ceil(photos / CHUNK);
    if (needed <= this.chunks) return;
    const bytes = this.headerBytes + needed * this.chunkBytes;
    const pages = Math.ceil(bytes / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) this.memory.grow(pages);
    this.chunks = needed;
  }

  /** Rows by decreasing norm; A_k → int8 q_k with scale_k = max|A_k| / 127; padding stays 0. */
  private write(at: number, matrix: Float32Array): void {
    const { k, d, dp } = this;
    const { data, scales, norms, perm, rowBytes } = this.addressOf(at);
    const bytes = new Int8Array(this.memory.buffer);
    const order = new Uint8Array(this.memory.buffer, perm, k);
    const floats = new Float32Array(this.memory.buffer);
    const norm = (row: number): number => {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += matrix[row * d + j]! ** 2;
      return Math.sqrt(sum);
    };
    const rows = Array.from({ length: k }, (_, row) => ({ row, norm: norm(row) }));
    rows.sort((a, b) => b.norm - a.norm);
    rows.forEach(({ row, norm }, stored) => {
      let max = 0;
      for (let j = 0; j < d; j++) max = Math.max(max, Math.abs(matrix[row * d + j]!));
      const scale = max > 0 ? max / 127 : 1;
      floats[(scales >> 2) + stored * CHUNK] = scale;
      // Padded for the int8 error, so the bound never cuts a row it should not.
      floats[(norms >> 2) + stored * CHUNK] = norm * (1 + 1e-3) + scale;
      order[stored] = row;
      const to = data + stored * rowBytes;
      for (let j = 0; j < d; j++) bytes[to + j] = Math.round(matrix[row * d + j]! / scale);
      for (let j = d; j < dp; j++) bytes[to + j] = 0;
    });
  }

  /** Query t → int16 with the largest step that cannot overflow the int32 accumulator. */
  private writeQueries(vectors: readonly Float32Array[]): void {
    const { d, dp } = this;
    const limit = Math.min(32767, Math.floor(2 ** 31 / (128 * dp * 2)));
    const halves = new Int16Array(this.memory.buffer, 0, MAX_TERMS * dp);
    const qscales = new Float32Array(this.memory.buffer, MAX_TERMS * dp * 2, MAX_TERMS);
    vectors.forEach((w, t) => {
      let max = 0;
      for (let j = 0; j < d; j++) max = Math.max(max, Math.abs(w[j]!));
      const scale = max > 0 ? max / limit : 1;
      qscales[t] = scale;
      for (let j = 0; j < dp; j++) halves[t * dp + j] = j < d ? Math.round(w[j]! / scale) : 0;
    });
  }

  /** Kernel arguments per chunk, ARGS numbers each. */
  private calls(terms: number): number[] {
    const { k, dp } = this;
    const calls: number[] = [];
    const at = (base: number, part: Parameters<SearchIndex['section']>[0]) =>
      base + this.section(part);
    for (let chunk = 0; chunk * CHUNK < this.size; chunk++) {
      const base = this.headerBytes + chunk * this.chunkBytes;
      const count = Math.min(CHUNK, this.size - chunk * CHUNK);
      calls.push(base, at(base, 'scales'), at(base, 'norms'), at(base, 'perm'), count, k, dp);
      calls.push(0, MAX_TERMS * dp * 2, terms, at(base, 'outScores'), at(base, 'outRows'), CHUNK);
    }
    return calls;
  }

  private readScores(t: number): TermScores {
    const scores = new Float32Array(this.size);
    const rows = new Uint8Array(this.size);
    for (let chunk = 0; chunk * CHUNK < this.size; chunk++) {
      const base = this.headerBytes + chunk * this.chunkBytes;
      const outScores = base + this.section('outScores');
      const outRows = base + this.section('outRows');
      const count = Math.min(CHUNK, this.size - chunk * CHUNK);
      const at = chunk * CHUNK;
      scores.set(new Float32Array(this.memory.buffer, outScores + t * CHUNK * 4, count), at);
      rows.set(new Uint8Array(this.memory.buffer, outRows + t * CHUNK, count), at);
    }
    return { scores, rows };
  }

  private async runOnWorkers(calls: number[]): Promise<void> {
    const pool = this.startPool();
    const chunks = calls.length / ARGS;
    const share = Math.ceil(chunks / pool.workers.length);
    await Promise.all(
      pool.workers.map((worker, w) => {
        const mine = calls.slice(w * share * ARGS, (w + 1) * share * ARGS);
        if (mine.length === 0) return Promise.resolve();
        const id = pool.nextId++;
        return new Promise<void>((resolve) => {
          pool.waiting.set(id, resolve);
          worker.postMessage({ id, calls: mine });
        });
      }),
    );
  }

  private startPool(): Pool {
    if (this.pool) return this.pool;
    const module = kernelModule()!;
    const pool: Pool = { workers: [], waiting: new Map(), nextId: 0 };
    for (let w = 0; w < this.workerCount; w++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory: this.memory },
      });
      worker.unref();
      worker.on('message', (id: number) => {
        pool.waiting.get(id)?.();
        pool.waiting.delete(id);
      });
      pool.workers.push(worker);
    }
    this.pool = pool;
    return pool;
  }
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

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

type CallArgs = Parameters<ScoreFunction>;

function callArgs(calls: number[], at: number): CallArgs {
  return calls.slice(at, at + ARGS) as CallArgs;
}
