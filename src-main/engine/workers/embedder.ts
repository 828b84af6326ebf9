/**
 * The model pipeline as a chain of small steps: decode → preprocess → run → read matrices.
 * One image failing to decode fails only that image.
 */
import { AnytagError, toErrorShape, type ErrorShape } from '../errors.js';
import { decodeImage, type DecodedImage } from '../image/decode.js';
import { readMatrices } from '../model/matrices.js';
import type { ModelPack } from '../model/pack.js';
import { clearPixelRows } from '../model/pixel-rows.js';
import { toBatch } from '../model/preprocess.js';
import type { ModelSession } from '../model/session.js';

export type EmbedResult =
  | { ok: true; matrix: Float32Array; image: Omit<DecodedImage, 'rgb'> }
  | { ok: false; error: ErrorShape };

export class Embedder {
  /**
   * The last batch's input pixels, reused by the next batch of the same size while no run holds
   * them: a batch of 8 at 224² is 4.8 MB, a new one per batch would be garbage for the GC.
   */
  private spare: Float32Array | undefined;

  constructor(
    readonly pack: ModelPack,
    readonly session: ModelSession,
  ) {}

  /** Embeds images (paths or encoded bytes) in one model run; results keep the input order. */
  async embed(inputs: readonly (string | Buffer)[]): Promise<EmbedResult[]> {
    const spec = this.pack.manifest.input;
    const decoded = await Promise.all(
      inputs.map(async (input) => {
        try {
          const { model, damaged } = await decodeImage(input, spec);
          return { ...model, damaged: damaged !== undefined };
        } catch (error) {
          return toErrorShape(error);
        }
      }),
    );
    const good = decoded.filter((d): d is DecodedImage & { damaged: boolean } => 'rgb' in d);
    const matrices = good.length ? await this.run(good.map((d) => d.rgb)) : [];
    let next = 0;
    return decoded.map((d): EmbedResult => {
      if (!('rgb' in d)) return { ok: false, error: d };
      const { rgb: _rgb, damaged, ...image } = d;
      // A damaged decode is partly fill: the pack's pixel-statistics rows would describe it.
      const raw = matrices[next++]!;
      const matrix = damaged ? clearPixelRows(raw, this.pack.manifest.output) : raw;
      return { ok: true, matrix, image };
    });
  }

  /** RGB images already at the model's input size → [k, d] matrices. */
  async run(images: readonly Uint8Array[]): Promise<Float32Array[]> {
    const spec = this.pack.manifest.input;
    for (const rgb of images) {
      if (rgb.length !== spec.width * spec.height * 3) {
        throw new AnytagError(
          'INVALID_INPUT',
          `Expected ${spec.width}×${spec.height} RGB pixels, got ${rgb.length} bytes`,
        );
      }
    }
    const spare = this.spare;
    this.spare = undefined; // a run that starts meanwhile makes its own
    const { pixels, dims } = toBatch(images, spec, spare);
    try {
      const raw = await this.session.run(pixels, dims);
      return readMatrices(raw, images.length, this.pack.manifest.output);
    } finally {
      this.spare = pixels;
    }
  }
}
