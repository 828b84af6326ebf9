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

/** Stacks images into one [n, 3, h, w] batch. */
export function toBatch(
  images: readonly Uint8Array[],
  spec: InputSpec,
): {
  pixels: Float32Array;
  dims: [number, number, number, number];
} {
  const perImage = 3 * spec.width * spec.height;
  const pixels = new Float32Array(images.length * perImage);
  images.forEach((rgb, i) => writeChw(rgb, spec, pixels, i * perImage));
  return { pixels, dims: [images.length, 3, spec.height, spec.width] };
}
