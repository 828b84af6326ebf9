/**
 * A damaged photo's pixel rows. A file decoded leniently (truncated JPEG, broken TIFF strip) is
 * partly the decoder's fill — grey or black — and rows a pack computes from pixel statistics
 * (`output.pixelRows`: black and white, night, fog…) would describe the fill, not the photo.
 * Those rows are zeroed (weight 0: they score nothing), the model's other rows kept.
 */
import type { OutputSpec } from './pack-schema.js';

/**
 * Zeroes, in place, the pack's pixel rows of one [k, d] "kd" matrix (readMatrices' layout) and
 * returns it; a pack without `pixelRows` leaves it as it is. RangeError if the matrix is not k·d.
 */
export function clearPixelRows(matrix: Float32Array, spec: OutputSpec): Float32Array {
  const { k, d, pixelRows } = spec;
  if (matrix.length !== k * d) {
    throw new RangeError(`clearPixelRows: ${matrix.length} values, expected k·d = ${k}·${d}`);
  }
  for (const row of pixelRows ?? []) matrix.fill(0, row * d, (row + 1) * d);
  return matrix;
}
