/**
 * Reads a model's raw output into embedding matrices in one layout, "kd": element (row k, dim j)
 * at k·d + j. Packs say which layout their model writes (docs/model-pack.md).
 */
import { AnytagError } from '../errors.js';
import type { OutputSpec } from './pack-schema.js';

/** raw: n images × k·d values in the pack's order → n matrices [k, d]. */
export function readMatrices(raw: Float32Array, n: number, spec: OutputSpec): Float32Array[] {
  const { k, d, order } = spec;
  const size = k * d;
  if (raw.length !== n * size) {
    throw new AnytagError(
      'MODEL_RUNTIME',
      `Model output has ${raw.length} values for ${n} images; pack.json says k·d = ${k}·${d} = ${size} each`,
    );
  }
  const matrices: Float32Array[] = [];
  for (let image = 0; image < n; image++) {
    const source = raw.subarray(image * size, (image + 1) * size);
    if (order === 'kd') {
      matrices.push(Float32Array.from(source));
      continue;
    }
    // "dk": the vector is a d×k matrix in row-major order, element (dim j, row k) at j·K + k.
    const matrix = new Float32Array(size); // [k, d]
    for (let j = 0; j < d; j++) {
      for (let row = 0; row < k; row++) matrix[row * d + j] = source[j * k + row]!;
    }
    matrices.push(matrix);
  }
  return matrices;
}
