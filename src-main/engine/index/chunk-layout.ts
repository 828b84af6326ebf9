/**
 * Where everything lives in the index's shared WebAssembly memory. A header holds up to
 * MAX_TERMS query vectors (int16) and their scales; then come fixed-size chunks of CHUNK photos,
 * each [int8 rows | row scales | row norms | original row order | output scores | output rows],
 * appended as the library grows, so growing never moves data. Rows, scales and norms are stored
 * in row planes: the i-th row of every photo of the chunk together ([k, CHUNK, dp]), so rows the
 * kernel's early stop skips are never read at all. Also builds the kernel's arguments, which are
 * addresses in this layout.
 */
import { PAGE_BYTES } from './int8-kernel.js';

/** Numbers per kernel call (int8-kernel.ts). */
export const ARGS = 13;
/** Photos per chunk. */
export const CHUNK = 2048;
/** Terms scored in one pass; longer queries take several passes. */
export const MAX_TERMS = 16;

export type ChunkPart = 'scales' | 'norms' | 'perm' | 'outScores' | 'outRows' | 'end';

/** A photo's places in memory (see ChunkLayout.addressOf). */
export interface PhotoAddress {
  data: number;
  scales: number;
  norms: number;
  perm: number;
  rowBytes: number;
}

export class ChunkLayout {
  /** Bytes before the first chunk: the query vectors and their scales, page-aligned. */
  readonly headerBytes: number;
  readonly chunkBytes: number;

  constructor(
    readonly k: number,
    /** d rounded up to the kernel's 8 lanes. */
    readonly dp: number,
  ) {
    this.headerBytes = align(MAX_TERMS * dp * 2 + MAX_TERMS * 4, PAGE_BYTES);
    this.chunkBytes = align(this.section('end'), 64);
  }

  /** Where each part of a chunk starts, from the chunk's start. */
  section(part: ChunkPart): number {
    const { k, dp } = this;
    const scales = align(CHUNK * k * dp, 16);
    const norms = scales + CHUNK * k * 4;
    const perm = norms + CHUNK * k * 4;
    const outScores = align(perm + CHUNK * k, 16);
    const outRows = outScores + MAX_TERMS * CHUNK * 4;
    const end = outRows + MAX_TERMS * CHUNK;
    return { scales, norms, perm, outScores, outRows, end }[part];
  }

  /** Where chunk `chunk` starts. */
  chunkBase(chunk: number): number {
    return this.headerBytes + chunk * this.chunkBytes;
  }

  /** A photo's places: stored row r's data at data + r·rowBytes, its scale and norm at
   *  scales / norms + r·rowFloats·4, its original index at perm + r. */
  addressOf(at: number): PhotoAddress {
    const chunk = Math.floor(at / CHUNK);
    const slot = at % CHUNK;
    const base = this.chunkBase(chunk);
    const { k, dp } = this;
    return {
      data: base + slot * dp,
      scales: base + this.section('scales') + slot * 4,
      norms: base + this.section('norms') + slot * 4,
      perm: base + this.section('perm') + slot * k,
      rowBytes: CHUNK * dp,
    };
  }

  /** Kernel arguments per chunk of a `size`-photo library, ARGS numbers each. */
  calls(size: number, terms: number): number[] {
    const { k, dp } = this;
    const calls: number[] = [];
    const at = (base: number, part: ChunkPart) => base + this.section(part);
    for (let chunk = 0; chunk * CHUNK < size; chunk++) {
      const base = this.chunkBase(chunk);
      const count = Math.min(CHUNK, size - chunk * CHUNK);
      calls.push(base, at(base, 'scales'), at(base, 'norms'), at(base, 'perm'), count, k, dp);
      calls.push(0, MAX_TERMS * dp * 2, terms, at(base, 'outScores'), at(base, 'outRows'), CHUNK);
    }
    return calls;
  }
}

export function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
