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
 * Layout (chunk-layout.ts): one shared WebAssembly memory; a header for the query vectors, then
 * fixed-size chunks of photos appended as the library grows, so growing never moves data.
 * Quantising in and out of it: quantised-rows.ts.
 *
 * Scoring: the SIMD kernel (int8-kernel.ts) runs every term of a query in the same pass over a
 * chunk (the photo's rows stay in L1 while each term is scored), on worker threads sharing the
 * memory (kernel-workers.ts), each taking the next chunk left, the calling thread too until
 * they are awake. Small libraries are scored on the calling thread alone. A term's scores are kept in a small cache (term-score-cache.ts) until the
 * library changes, so refining a query or re-tagging with the same label costs nothing.
 */
import os from 'node:os';
import { ARGS, CHUNK, ChunkLayout, MAX_TERMS } from './chunk-layout.js';
import {
  instantiateKernel,
  jsKernel,
  kernelModule,
  MAX_PAGES,
  PAGE_BYTES,
  type ScoreFunction,
} from './int8-kernel.js';
import { KernelWorkers } from './kernel-workers.js';
import { moveRows, readRows, writeQueries, writeRows } from './quantised-rows.js';
import { TermScoreCache } from './term-score-cache.js';
import type { TermScores } from './term-scores.js';

export { MAX_TERMS } from './chunk-layout.js';
export { bestOf, type TermScores } from './term-scores.js';

/** Below this many photos a worker round trip costs more than it saves. */
const WORKER_MIN_PHOTOS = 16_384;

/** A region of the index's shared memory (see SearchIndex.snapshotRegion). */
export interface SnapshotRegion {
  buffer: SharedArrayBuffer;
  offset: number;
  bytes: number;
}

export interface SearchIndexOptions {
  /**
   * Worker threads for large libraries (the calling thread scores chunks too while they wake
   * up); default: the CPU count (0: only the caller's thread).
   */
  workers?: number;
  /** The kernel: "wasm-simd" where the runtime has it (default), or the plain "js" loop. */
  kernel?: 'wasm-simd' | 'js';
}

export class SearchIndex {
  /** d rounded up to the kernel's 8 lanes. */
  readonly dp: number;
  private readonly layout: ChunkLayout;
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: ScoreFunction;
  private readonly simd: boolean;
  private chunks = 0;
  private idList: string[] = [];
  /** Each photo's slot (the caller's number for its record, saved with the index); -1: none. */
  private slotList: number[] = [];
  /** id → index; built on first use after adopt() (a restored 1M-photo index: ~0.3 s). */
  private positions: Map<string, number> | undefined = new Map();
  private readonly workers: KernelWorkers;
  private readonly workerCount: number;
  private version = 0;
  private readonly cache = new TermScoreCache();
  /**
   * Called before a stored photo's rows are replaced or removed (not before an append): a
   * caller holding work owed on the index as it was (tagging's deferred calibration) does it
   * first. Synchronous; it may score (scorePrefix) but must not change the index.
   */
  beforeRewrite: (() => void) | undefined;

  constructor(
    readonly k: number,
    readonly d: number,
    options: SearchIndexOptions = {},
  ) {
    this.dp = Math.ceil(d / 8) * 8;
    this.layout = new ChunkLayout(k, this.dp);
    this.memory = new WebAssembly.Memory({
      initial: this.layout.headerBytes / PAGE_BYTES,
      maximum: MAX_PAGES,
      shared: true,
    });
    const module = options.kernel === 'js' ? null : kernelModule();
    this.simd = module !== null;
    this.kernel = module ? instantiateKernel(module, this.memory) : jsKernel(this.memory);
    this.workerCount = this.simd ? (options.workers ?? os.availableParallelism()) : 0;
    this.workers = new KernelWorkers(this.memory, this.workerCount);
  }

  get size(): number {
    return this.idList.length;
  }

  /** Photo ids in index order: scores[i] belongs to ids[i]. */
  get ids(): readonly string[] {
    return this.idList;
  }

  /** Photo slots in index order (see set), -1 where none was given. */
  get slots(): readonly number[] {
    return this.slotList;
  }

  /** Bytes of memory the index holds (matrices, scales and score buffers). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength + this.cache.bytes;
  }

  /** Which kernel scores: "wasm-simd" or the plain "js" fallback. */
  get kernelName(): string {
    return this.simd ? 'wasm-simd' : 'js';
  }

  has(id: string): boolean {
    return this.position.has(id);
  }

  /**
   * Stores (or replaces) a photo's [k, d] matrix, quantised per row. `slot`: where the caller
   * keeps the photo's record (the embedding file's slot), saved with the index so a restored
   * index can be checked against the caller's records by number (persisted-index.ts).
   */
  set(id: string, matrix: Float32Array, slot = -1): void {
    let at = this.position.get(id);
    if (at !== undefined) this.beforeRewrite?.();
    if (at === undefined) {
      at = this.idList.length;
      this.ensureCapacity(at + 1);
      this.idList.push(id);
      this.slotList.push(slot);
      this.position.set(id, at);
    } else this.slotList[at] = slot;
    writeRows(this.memory, this.layout, this.d, at, matrix);
    this.version++;
  }

  delete(id: string): void {
    const at = this.position.get(id);
    if (at === undefined) return;
    this.beforeRewrite?.();
    const last = this.idList.length - 1;
    if (at !== last) {
      moveRows(this.memory, this.layout, last, at);
      this.idList[at] = this.idList[last]!;
      this.slotList[at] = this.slotList[last]!;
      this.position.set(this.idList[at]!, at);
    }
    this.idList.pop();
    this.slotList.pop();
    this.position.delete(id);
    this.version++;
  }

  /** The stored (dequantised) matrix of a photo, [k, d]. */
  matrix(id: string): Float32Array | undefined {
    const at = this.position.get(id);
    if (at === undefined) return undefined;
    return readRows(this.memory, this.layout, this.d, at);
  }

  /**
   * s(w) and its row for every photo and every unit vector in `vectors`, in one pass per
   * MAX_TERMS vectors. `keys` (one per vector) let results be cached until the index changes.
   */
  async score(vectors: readonly Float32Array[], keys?: readonly string[]): Promise<TermScores[]> {
    const results: (TermScores | undefined)[] = vectors.map((_, t) =>
      this.cache.get(keys?.[t], this.version),
    );
    const todo = vectors.flatMap((_, t) => (results[t] ? [] : [t]));
    const version = this.version;
    for (let first = 0; first < todo.length; first += MAX_TERMS) {
      const batch = todo.slice(first, first + MAX_TERMS);
      writeQueries(
        this.memory,
        this.layout,
        this.d,
        batch.map((t) => vectors[t]!),
      );
      const calls = this.layout.calls(this.size, batch.length);
      if (this.size >= WORKER_MIN_PHOTOS && this.workerCount > 0) {
        await this.workers.run(calls, this.kernel);
      } else for (let c = 0; c < calls.length; c += ARGS) this.kernel(...callArgs(calls, c));
      if (this.version !== version) {
        // The library changed while workers ran: score again on this thread, synchronously.
        return this.score(vectors, keys);
      }
      batch.forEach((t, b) => {
        results[t] = this.readScores(b);
        this.cache.put(keys?.[t], this.version, results[t]);
      });
    }
    return results as TermScores[];
  }

  /**
   * Like score() without its cache and worker threads, on the calling thread, over the first
   * `photos` photos in index order only: exactly the scores score() gave when the index held
   * just those photos (each photo is scored on its own rows), as long as they are unchanged.
   */
  scorePrefix(vectors: readonly Float32Array[], photos: number): TermScores[] {
    if (photos > this.size) throw new Error(`SearchIndex.scorePrefix: ${photos} > ${this.size}`);
    // One buffer for all terms' scores and one for their rows, each term a view of its part:
    // a calibration scores ~2,000 vectors at once, not 4,000 small buffers.
    const allScores = new Float32Array(vectors.length * photos);
    const allRows = new Uint8Array(vectors.length * photos);
    const results: TermScores[] = [];
    for (let first = 0; first < vectors.length; first += MAX_TERMS) {
      const batch = vectors.slice(first, first + MAX_TERMS);
      writeQueries(this.memory, this.layout, this.d, batch);
      const calls = this.layout.calls(photos, batch.length);
      for (let c = 0; c < calls.length; c += ARGS) this.kernel(...callArgs(calls, c));
      batch.forEach((_, b) => {
        const at = (first + b) * photos;
        const term = {
          scores: allScores.subarray(at, at + photos),
          rows: allRows.subarray(at, at + photos),
        };
        this.readScores(b, photos, term);
        results.push(term);
      });
    }
    return results;
  }

  /** Bumped by every set and delete: a snapshot taken at one value is stale at another. */
  get changes(): number {
    return this.version;
  }

  /** Bytes of one chunk of CHUNK photos, for callers sizing a snapshot. */
  get bytesPerChunk(): number {
    return this.layout.chunkBytes;
  }

  /**
   * Where the layout's chunk bytes (every photo's rows, scales, norms and order) lie in the
   * index's shared memory: `bytes` bytes from `offset` in `buffer`. A snapshot of them, written
   * back through reserve(), restores the index exactly.
   */
  snapshotRegion(): SnapshotRegion {
    const offset = this.layout.headerBytes;
    const bytes = this.layout.chunkBase(this.chunks) - offset;
    return { buffer: this.memory.buffer as unknown as SharedArrayBuffer, offset, bytes };
  }

  /**
   * Restoring a snapshot, step 1 (only on an empty index): makes room for `count` photos and
   * returns the region their chunk bytes go into (snapshotRegion's, for a saved one). Until
   * adopt() the index stays empty.
   */
  reserve(count: number): SnapshotRegion {
    if (this.idList.length > 0) throw new Error('SearchIndex.reserve needs an empty index');
    this.ensureCapacity(count);
    // A library this large scores on the worker threads: start them while the snapshot loads.
    if (count >= WORKER_MIN_PHOTOS && this.workerCount > 0) this.workers.warm();
    return this.snapshotRegion();
  }

  /**
   * Restoring a snapshot, step 2: takes over `ids` and their `slots` (in index order, the arrays
   * themselves) for the rows written into the reserved region. The caller has checked them: ids
   * distinct (persisted-index.ts matches each to one of its records). Throws when their count
   * does not fill the reserved chunks.
   */
  adopt(ids: string[], slots: number[]): void {
    if (this.idList.length > 0) throw new Error('SearchIndex.adopt needs an empty index');
    if (Math.ceil(ids.length / CHUNK) !== this.chunks || slots.length !== ids.length) {
      throw new Error(`SearchIndex.adopt: ${ids.length} ids do not fill the reserved chunks`);
    }
    this.idList = ids;
    this.slotList = slots;
    this.positions = undefined; // built on first use
    this.version++;
  }

  /** Records that a photo's record moved to `slot` (a compaction renumbered them). */
  moveSlot(id: string, slot: number): void {
    const at = this.position.get(id);
    if (at !== undefined) this.slotList[at] = slot;
  }

  /** Stops the worker threads; the index stays usable on the calling thread. */
  async close(): Promise<void> {
    await this.workers.close();
  }

  private get position(): Map<string, number> {
    if (this.positions) return this.positions;
    const positions = new Map<string, number>();
    for (let at = 0; at < this.idList.length; at++) positions.set(this.idList[at]!, at);
    return (this.positions = positions);
  }

  private ensureCapacity(photos: number): void {
    const needed = Math.ceil(photos / CHUNK);
    if (needed <= this.chunks) return;
    const bytes = this.layout.chunkBase(needed);
    const pages = Math.ceil(bytes / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) this.memory.grow(pages);
    this.chunks = needed;
  }

  /**
   * Term t's scores and rows for the first `size` photos, gathered from every chunk's output
   * (into `into` when given).
   */
  private readScores(
    t: number,
    size = this.size,
    into: TermScores = { scores: new Float32Array(size), rows: new Uint8Array(size) },
  ): TermScores {
    const { scores, rows } = into;
    for (let chunk = 0; chunk * CHUNK < size; chunk++) {
      const base = this.layout.chunkBase(chunk);
      const outScores = base + this.layout.section('outScores');
      const outRows = base + this.layout.section('outRows');
      const count = Math.min(CHUNK, size - chunk * CHUNK);
      const at = chunk * CHUNK;
      scores.set(new Float32Array(this.memory.buffer, outScores + t * CHUNK * 4, count), at);
      rows.set(new Uint8Array(this.memory.buffer, outRows + t * CHUNK, count), at);
    }
    return into;
  }
}

type CallArgs = Parameters<ScoreFunction>;

function callArgs(calls: number[], at: number): CallArgs {
  return calls.slice(at, at + ARGS) as CallArgs;
}
