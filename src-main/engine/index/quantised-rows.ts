/**
 * The index's numbers in and out of int8 (queries in int16), in the shared memory's layout
 * (chunk-layout.ts). Each row A_k of a photo's matrix is quantised with its own float32 scale,
 * A_k ≈ scale_k · q_k with scale_k = max|A_k| / 127, and rows are stored by decreasing norm
 * with their original order beside them, so the kernel can stop at the first row whose norm
 * cannot beat the best score so far (an all-zero row's bound is 0: it can only give 0).
 */
import { CHUNK, MAX_TERMS, type ChunkLayout } from './chunk-layout.js';

/** Rows by decreasing norm; A_k → int8 q_k with scale_k = max|A_k| / 127; padding stays 0. */
export function writeRows(
  memory: WebAssembly.Memory,
  layout: ChunkLayout,
  d: number,
  at: number,
  matrix: Float32Array,
): void {
  const { k, dp } = layout;
  const { data, scales, norms, perm, rowBytes } = layout.addressOf(at);
  const bytes = new Int8Array(memory.buffer);
  const order = new Uint8Array(memory.buffer, perm, k);
  const floats = new Float32Array(memory.buffer);
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
    // Padded for the int8 error, so the bound never cuts a row it should not. An all-zero row
    // (a signal the photo lacks) scores exactly 0: its bound is 0, so the kernel reads at most
    // one of them (where every other row scored below 0) instead of all of them. Exact either
    // way: an index saved with the older bound (1) stays valid, only slower on such rows.
    floats[(norms >> 2) + stored * CHUNK] = max > 0 ? norm * (1 + 1e-3) + scale : 0;
    order[stored] = row;
    const to = data + stored * rowBytes;
    for (let j = 0; j < d; j++) bytes[to + j] = Math.round(matrix[row * d + j]! / scale);
    for (let j = d; j < dp; j++) bytes[to + j] = 0;
  });
}

/** The stored (dequantised) matrix of the photo at `at`, [k, d], in the model's row order. */
export function readRows(
  memory: WebAssembly.Memory,
  layout: ChunkLayout,
  d: number,
  at: number,
): Float32Array {
  const { k } = layout;
  const { data, scales, perm, rowBytes } = layout.addressOf(at);
  const bytes = new Int8Array(memory.buffer);
  const order = new Uint8Array(memory.buffer, perm, k);
  const floats = new Float32Array(memory.buffer);
  const out = new Float32Array(k * d); // [k, d], in the model's row order
  for (let stored = 0; stored < k; stored++) {
    const scale = floats[(scales >> 2) + stored * CHUNK]!;
    const row = order[stored]!;
    const from = data + stored * rowBytes;
    for (let j = 0; j < d; j++) out[row * d + j] = bytes[from + j]! * scale;
  }
  return out;
}

/** Copies the photo at `source` over the one at `target`: rows, scales, norms and order. */
export function moveRows(
  memory: WebAssembly.Memory,
  layout: ChunkLayout,
  source: number,
  target: number,
): void {
  const { k, dp } = layout;
  const bytes = new Uint8Array(memory.buffer);
  const floats = new Float32Array(memory.buffer);
  const [from, to] = [layout.addressOf(source), layout.addressOf(target)];
  bytes.copyWithin(to.perm, from.perm, from.perm + k);
  for (let row = 0; row < k; row++) {
    const [src, dst] = [from.data + row * from.rowBytes, to.data + row * to.rowBytes];
    bytes.copyWithin(dst, src, src + dp);
    floats[(to.scales >> 2) + row * CHUNK] = floats[(from.scales >> 2) + row * CHUNK]!;
    floats[(to.norms >> 2) + row * CHUNK] = floats[(from.norms >> 2) + row * CHUNK]!;
  }
}

/** Query t → int16 with the largest step that cannot overflow the int32 accumulator. */
export function writeQueries(
  memory: WebAssembly.Memory,
  layout: ChunkLayout,
  d: number,
  vectors: readonly Float32Array[],
): void {
  const { dp } = layout;
  const limit = Math.min(32767, Math.floor(2 ** 31 / (128 * dp * 2)));
  const halves = new Int16Array(memory.buffer, 0, MAX_TERMS * dp);
  const qscales = new Float32Array(memory.buffer, MAX_TERMS * dp * 2, MAX_TERMS);
  vectors.forEach((w, t) => {
    let max = 0;
    for (let j = 0; j < d; j++) max = Math.max(max, Math.abs(w[j]!));
    const scale = max > 0 ? max / limit : 1;
    qscales[t] = scale;
    for (let j = 0; j < dp; j++) halves[t * dp + j] = j < d ? Math.round(w[j]! / scale) : 0;
  });
}
