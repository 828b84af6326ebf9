/**
 * The scoring kernel: s(w) = max_k ⟨A_k, w⟩ for every photo of a chunk and every query term,
 * on int8 rows with a float32 scale per row and int16 query vectors. Its source is the
 * WebAssembly text int8-kernel.wat beside this file (128-bit SIMD, 8 multiply-adds per
 * `i32x4.dot_i16x8_s`; the loop and its early stop are explained there), assembled at build time
 * by wabt (scripts/wasm-kernels.mjs) into int8-kernel.wasm. `jsKernel` is the same loop in plain
 * JavaScript over the same memory layout, used where WebAssembly SIMD is missing.
 *
 *   score(data, scales, norms, perm, count, k, dp, queries, qscales, terms, outScores, outRows,
 *         stride)
 *   for photo i < count, term t < terms:
 *     dot_k = Σ_j data[k, i, j] · queries[t, j]            (int32, j < dp, dp a multiple of 8)
 *     outScores[t·stride + i] = max_k(dot_k · scales[k, i]) · qscales[t]
 *     outRows[t·stride + i]   = perm[i, argmax_k]          (the row's index before sorting)
 *
 * A photo's rows are stored by decreasing norm, so the loop stops at the first row whose norm
 * cannot beat the best score so far: exact, and it skips most rows of SDL-style matrices.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AnytagError } from '../errors.js';

const KERNEL_FILE = 'int8-kernel.wasm';

/**
 * Where the assembled kernel lies, first found wins: beside this module (the tsc output
 * out/node/engine/index/ for the CLI and server; out/main/ in the desktop app's bundle, put
 * there by electron.vite.config.ts); when running from the TypeScript sources (vitest, whose
 * global setup assembles it), in the tsc output.
 */
export const KERNEL_FILES: readonly string[] = [
  fileURLToPath(new URL(`./${KERNEL_FILE}`, import.meta.url)),
  fileURLToPath(new URL(`../../../out/node/engine/index/${KERNEL_FILE}`, import.meta.url)),
];

/**
 * The module's bytes: imports a shared memory "env"."memory", exports `score`.
 * Throws AnytagError IO when no build has assembled int8-kernel.wasm.
 */
export function kernelModuleBytes(): Uint8Array {
  const file = KERNEL_FILES.find((candidate) => existsSync(candidate));
  if (file === undefined) {
    throw new AnytagError(
      'IO',
      `the search kernel ${KERNEL_FILE} is missing (looked in ${KERNEL_FILES.join(', ')}): ` +
        'build it with `npm run build:node` (scripts/wasm-kernels.mjs assembles int8-kernel.wat)',
      { files: KERNEL_FILES },
    );
  }
  return new Uint8Array(readFileSync(file));
}

/** 4 GiB: the whole 32-bit address space; shared memories must declare a maximum. */
export const MAX_PAGES = 65536;
export const PAGE_BYTES = 65536;

export type ScoreFunction = (
  data: number,
  scales: number,
  norms: number,
  perm: number,
  count: number,
  k: number,
  dp: number,
  queries: number,
  qscales: number,
  terms: number,
  outScores: number,
  outRows: number,
  stride: number,
) => void;

let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled module, or null where this runtime lacks WebAssembly SIMD (the caller then uses
 * `jsKernel`). Throws AnytagError IO when int8-kernel.wasm was never built (kernelModuleBytes).
 */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const bytes = kernelModuleBytes();
  compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return compiled;
}

export function instantiateKernel(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): ScoreFunction {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports.score as ScoreFunction;
}

/** The kernel in plain JavaScript over the same memory layout (no SIMD fallback). */
export function jsKernel(memory: WebAssembly.Memory): ScoreFunction {
  return (...args) => {
    const [data, scales, norms, perm, count, k, dp, queries, qscales, terms] = args;
    const [outScores, outRows, stride] = args.slice(10) as [number, number, number];
    const bytes = new Int8Array(memory.buffer);
    const halves = new Int16Array(memory.buffer);
    const floats = new Float32Array(memory.buffer);
    const rowsOut = new Uint8Array(memory.buffer);
    for (let i = 0; i < count; i++) {
      for (let t = 0; t < terms; t++) {
        let best = -Infinity;
        let bestRow = 0;
        const q = (queries >> 1) + t * dp;
        const qs = floats[(qscales >> 2) + t]!;
        for (let row = 0; row < k; row++) {
          if (floats[(norms >> 2) + row * stride + i]! <= Math.fround(best * qs)) break;
          const p = data + (row * stride + i) * dp;
          let dot = 0;
          for (let j = 0; j < dp; j++) dot += bytes[p + j]! * halves[q + j]!;
          // float32(dot) first, as f32.convert_i32_s: a dot past 2²⁴ rounds there too.
          const value = Math.fround(Math.fround(dot) * floats[(scales >> 2) + row * stride + i]!);
          if (value > best) {
            best = value;
            bestRow = row;
          }
        }
        floats[(outScores >> 2) + t * stride + i] = best * floats[(qscales >> 2) + t]!;
        rowsOut[outRows + t * stride + i] = rowsOut[perm + i * k + bestRow]!;
      }
    }
  };
}
