/** RGB bytes → the model's input tensor, as pack.json's input spec says. */
import type { InputSpec } from './pack-schema.js';

/** Writes one image, planar [3, h, w], into `out` at `offset`: x = (p·scale − mean[c]) / std[c]. */
export function writeChw(rgb: Uint8Array, spec: InputSpec, out: Float32Array, offset = 0): void {
  const plane = spec.width * spec.height;
  for (let c = 0; c < 3; c++) {
    const scale = spec.scale / spec.std[c]!;
    const shift = spec.mean[c]! / spec.std[c]!;
    const base = offset + c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = rgb[i * 3 + c]! * scale - shift;
  }
}

/**
 * Stacks images into one [n, 3, h, w] batch: into `reuse` when it has exactly that length (a
 * caller's buffer from an earlier batch, every value overwritten), else a new array.
 */
export function toBatch(
  images: readonly Uint8Array[],
  spec: InputSpec,
  reuse?: Float32Array,
): {
  pixels: Float32Array;
  dims: [number, number, number, number];
} {
  const perImage = 3 * spec.width * spec.height;
  const length = images.length * perImage;
  const pixels = reuse?.length === length ? reuse : new Float32Array(length);
  images.forEach((rgb, i) => writeChw(rgb, spec, pixels, i * perImage));
  return { pixels, dims: [images.length, 3, spec.height, spec.width] };
}
