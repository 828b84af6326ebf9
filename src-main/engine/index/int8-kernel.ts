/**
 * The scoring kernel: s(w) = max_k ⟨A_k, w⟩ for every photo of a chunk and every query term,
 * on int8 rows with a float32 scale per row and int16 query vectors. Written as a tiny
 * WebAssembly module with 128-bit SIMD (8 multiply-adds per `i32x4.dot_i16x8_s`), assembled
 * here byte by byte so the build needs no toolchain; `scoreChunkJs` is the same loop in plain
 * JavaScript, used where WebAssembly SIMD is missing.
 *
 *   score(data, scales, norms, perm, count, k, dp, queries, qscales, terms, outScores, outRows,
 *         stride)
 *   for photo i < count, term t < terms:
 *     dot_k = Σ_j data[k, i, j] · queries[t, j]            (int32, j < dp, dp a multiple of 8)
 *     outScores[t·stride + i] = max_k(dot_k · scales[k, i]) · qscales[t]
 *     outRows[t·stride + i]   = perm[i, argmax_k]          (the row's index before sorting)
 *
 * A photo's rows are stored by decreasing norm, and ⟨A_k, w⟩ ≤ ‖A_k‖ for a unit w, so once a
 * row's norm is at most the best score so far no later row can beat it: the loop stops there.
 * Exact, and it skips most rows of SDL-style matrices, whose few heavy rows carry the meaning
 * (the starter pack's photos have 4–10 rows near norm 1 and the rest near 0). Rows, scales and
 * norms are laid out in row planes ([k, stride, …]: row k of every photo of the chunk together),
 * so the rows the early stop skips are never read from memory, which is what bounds the speed.
 */

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const name = (text: string): number[] => [...uleb(text.length), ...Buffer.from(text, 'utf8')];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// Parameters (locals 0–12) and locals (13–26) of `score`.
const [DATA, SCALES, NORMS, PERM, COUNT, K, DP, QUERIES, QSCALES, TERMS] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
];
const [OUT_SCORES, OUT_ROWS, STRIDE] = [10, 11, 12];
const [I, T, ROW, P, PEND, Q, SP, BEST_ROW, NP] = [13, 14, 15, 16, 17, 18, 19, 20, 21];
const [BEST, DOT, QS] = [22, 23, 24];
const [ACC, ACC2] = [25, 26];
const PARAMS = 13;

const get = (local: number) => [0x20, ...uleb(local)];
const set = (local: number) => [0x21, ...uleb(local)];
const i32 = (value: number) => [0x41, ...sleb(value)];
const simd = (op: number, ...rest: number[]) => [0xfd, ...uleb(op), ...rest];
const add = [0x6a];
const mul = [0x6c];
const geU = [0x4f];
const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const end = [0x0b];
const brIf = (depth: number) => [0x0d, depth];
const br = (depth: number) => [0x0c, depth];
const lane = (n: number) => simd(27, n); // i32x4.extract_lane

/** acc += dot(int8 data[p + at … +8] widened to int16, int16 query[q + 2·at … +8]). */
const step = (acc: number, at: number) => [
  ...get(acc),
  ...get(P),
  ...simd(1, 0, ...uleb(at)), // i16x8.load8x8_s offset=at
  ...get(Q),
  ...simd(0, 0, ...uleb(2 * at)), // v128.load offset=2·at
  ...simd(186), // i32x4.dot_i16x8_s
  ...simd(174), // i32x4.add
  ...set(acc),
];

const advance = (bytes: number, queryBytes: number) => [
  ...get(P),
  ...i32(bytes),
  ...add,
  ...set(P),
  ...get(Q),
  ...i32(queryBytes),
  ...add,
  ...set(Q),
];

function scoreBody(): number[] {
  const locals = vec([
    [9, I32],
    [3, F32],
    [2, V128],
  ]);
  const code = [
    ...i32(0),
    ...set(I),
    ...block,
    ...loop, // for each photo i
    ...get(I),
    ...get(COUNT),
    ...geU,
    ...brIf(1),
    ...i32(0),
    ...set(T),
    ...block,
    ...loop, // for each term t
    ...get(T),
    ...get(TERMS),
    ...geU,
    ...brIf(1),
    // best = -Infinity, bestRow = 0, sp = scales + i·4, np = norms + i·4 (row planes)
    ...[0x43, 0x00, 0x00, 0x80, 0xff],
    ...set(BEST),
    ...i32(0),
    ...set(BEST_ROW),
    ...get(SCALES),
    ...get(I),
    ...i32(2),
    0x74, // i32.shl
    ...add,
    ...set(SP),
    ...get(NORMS),
    ...get(I),
    ...i32(2),
    0x74,
    ...add,
    ...set(NP),
    ...get(QSCALES),
    ...get(T),
    ...i32(2),
    0x74,
    ...add,
    0x2a,
    2,
    0, // f32.load
    ...set(QS),
    ...i32(0),
    ...set(ROW),
    ...block,
    ...loop, // for each row of the matrix
    ...get(ROW),
    ...get(K),
    ...geU,
    ...brIf(1),
    // Rows come by decreasing norm: stop once norm ≤ best score (in the same units).
    ...get(NP),
    ...get(ROW),
    ...get(STRIDE),
    ...mul,
    ...i32(2),
    0x74,
    ...add,
    0x2a,
    2,
    0,
    ...get(BEST),
    ...get(QS),
    0x94, // f32.mul
    0x5f, // f32.le
    ...brIf(1),
    ...simd(12, ...new Array<number>(16).fill(0)), // v128.const 0
    ...set(ACC),
    // p = data + (row·stride + i)·dp, q = queries + t·dp·2, pend = p + dp
    ...get(DATA),
    ...get(ROW),
    ...get(STRIDE),
    ...mul,
    ...get(I),
    ...add,
    ...get(DP),
    ...mul,
    ...add,
    ...set(P),
    ...get(QUERIES),
    ...get(T),
    ...get(DP),
    ...mul,
    ...i32(1),
    0x74,
    ...add,
    ...set(Q),
    ...get(P),
    ...get(DP),
    ...add,
    ...set(PEND),
    // An odd number of 8-value steps: take one first, so the loop can take two at a time.
    ...get(DP),
    ...i32(8),
    0x71, // i32.and
    0x04,
    0x40, // if
    ...step(ACC, 0),
    ...advance(8, 16),
    ...end,
    ...simd(12, ...new Array<number>(16).fill(0)),
    ...set(ACC2),
    ...block,
    ...loop, // two independent accumulators: 16 values a turn
    ...get(P),
    ...get(PEND),
    ...geU,
    ...brIf(1),
    ...step(ACC, 0),
    ...step(ACC2, 8),
    ...advance(16, 32),
    ...br(0),
    ...end,
    ...end,
    ...get(ACC),
    ...get(ACC2),
    ...simd(174),
    ...set(ACC),
    // dot = float(Σ lanes) · scales[sp + 4·row·stride]
    ...get(ACC),
    ...lane(0),
    ...get(ACC),
    ...lane(1),
    ...add,
    ...get(ACC),
    ...lane(2),
    ...add,
    ...get(ACC),
    ...lane(3),
    ...add,
    0xb2, // f32.convert_i32_s
    ...get(SP),
    ...get(ROW),
    ...get(STRIDE),
    ...mul,
    ...i32(2),
    0x74,
    ...add,
    0x2a,
    2,
    0, // f32.load
    0x94, // f32.mul
    0x22,
    ...uleb(DOT),
    ...get(BEST),
    0x5e, // f32.gt
    0x04,
    0x40, // if
    ...get(DOT),
    ...set(BEST),
    ...get(ROW),
    ...set(BEST_ROW),
    ...end,
    ...get(ROW),
    ...i32(1),
    ...add,
    ...set(ROW),
    ...br(0),
    ...end,
    ...end,
    // outScores[t·stride + i] = best · qscales[t]; outRows[t·stride + i] = bestRow
    ...get(OUT_SCORES),
    ...get(T),
    ...get(STRIDE),
    ...mul,
    ...get(I),
    ...add,
    ...i32(2),
    0x74,
    ...add,
    ...get(BEST),
    ...get(QSCALES),
    ...get(T),
    ...i32(2),
    0x74,
    ...add,
    0x2a,
    2,
    0,
    0x94,
    0x38,
    2,
    0, // f32.store
    ...get(OUT_ROWS),
    ...get(T),
    ...get(STRIDE),
    ...mul,
    ...get(I),
    ...add,
    ...add,
    ...get(PERM),
    ...get(I),
    ...get(K),
    ...mul,
    ...add,
    ...get(BEST_ROW),
    ...add,
    0x2d,
    0,
    0, // i32.load8_u: the row's index before sorting
    0x3a,
    0,
    0, // i32.store8
    ...get(T),
    ...i32(1),
    ...add,
    ...set(T),
    ...br(0),
    ...end,
    ...end,
    ...get(I),
    ...i32(1),
    ...add,
    ...set(I),
    ...br(0),
    ...end,
    ...end,
    ...end,
  ];
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: imports a shared memory "env"."memory", exports `score`. */
export function kernelModuleBytes(): Uint8Array {
  const type = section(1, vec([[0x60, ...vec(new Array(PARAMS).fill([I32])), 0]]));
  const imports = section(
    2,
    vec([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(1), ...uleb(MAX_PAGES)]]),
  );
  const functions = section(3, vec([[0]]));
  const exports = section(7, vec([[...name('score'), 0x00, 0]]));
  const code = section(10, vec([scoreBody()]));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    ...imports,
    ...functions,
    ...exports,
    ...code,
  ]);
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

/** The compiled module, or null where this runtime lacks WebAssembly SIMD. */
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
          const value = Math.fround(dot * floats[(scales >> 2) + row * stride + i]!);
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
