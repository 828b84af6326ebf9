/**
 * IEEE 754 half-precision conversion. Node 20 has no Float16Array, and embeddings and word
 * vectors are stored as float16 to halve disk and memory, so we convert with lookup tables.
 */

const toFloat32Table = buildToFloat32Table();

function buildToFloat32Table(): Float32Array {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) table[h] = sign * mantissa * 2 ** -24;
    else if (exponent === 31) table[h] = mantissa ? NaN : sign * Infinity;
    else table[h] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
}

export function halfToFloat(h: number): number {
  return toFloat32Table[h & 0xffff]!;
}

/** Decodes `count` halves starting at `offset` into `out` (allocated when omitted). */
export function decodeHalves(
  halves: Uint16Array,
  offset = 0,
  count = halves.length - offset,
  out = new Float32Array(count),
): Float32Array {
  for (let i = 0; i < count; i++) out[i] = toFloat32Table[halves[offset + i]!]!;
  return out;
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** Rounds to nearest even, as hardware does; overflow saturates to ±Infinity. */
export function floatToHalf(value: number): number {
  scratch[0] = value;
  const x = scratchBits[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

export function encodeHalves(
  values: ArrayLike<number>,
  out = new Uint16Array(values.length),
): Uint16Array {
  for (let i = 0; i < values.length; i++) out[i] = floatToHalf(values[i]!);
  return out;
}
