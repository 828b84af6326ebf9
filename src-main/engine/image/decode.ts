/**
 * The sharp owner: turns an image file into the RGB pixels a model pack asks for, resampled the
 * way the pack was trained to be fed (`input.resample`). EXIF orientation is applied, colour
 * converted to sRGB, alpha flattened, and only the first frame of an animation is read.
 * Failures become IMAGE_* errors with the reason.
 */
import sharp from 'sharp';
import { AnytagError, isNodeError } from '../errors.js';
import type { InputSpec } from '../model/pack-schema.js';
import { resizeRgbLikePillow, type PillowFilter } from './pillow-resample.js';

// libvips' operation cache only helps when the same image is processed again; every photo here
// is new, so it would only hold memory (up to 50 MB by default).
sharp.cache(false);

/** Refuse decompression bombs: 100 megapixels is far above any camera in use. */
export const MAX_INPUT_PIXELS = 100_000_000;

export interface DecodedImage {
  /** width × height × 3 RGB bytes, row-major: the model's input size. */
  rgb: Buffer;
  width: number;
  height: number;
  /** Size of the source after EXIF rotation. */
  sourceWidth: number;
  sourceHeight: number;
  format: string;
}

export interface DecodeResult {
  /** The model's input pixels, resampled as the pack says (`input.resample`). */
  model: DecodedImage;
  /** A JPEG thumbnail whose longer side is at most `thumbSize`, or null when not asked for. */
  thumbnail: Buffer | null;
}

export interface DecodeOptions {
  /**
   * Longer side of the thumbnail to make in the same pass; 0 (default): none. For "libvips"
   * packs it is made from the stage image, so it is never larger than that.
   */
  thumbSize?: number;
  /** Names the input in errors (a Buffer has no name of its own). */
  label?: string;
}

/**
 * The side of the libvips stage image: libvips-fed packs ("libvips", the default) are resized
 * from a lanczos3 intermediate whose shorter side is this (or the model's side, if larger),
 * made with JPEG/WebP shrink-on-load. It is the path the app has always indexed with (320 was
 * its thumbnail size), so those packs keep the embeddings they have.
 */
export const LIBVIPS_STAGE_SIDE = 320;

const FIT: Record<InputSpec['resize'], 'fill' | 'cover' | 'contain'> = {
  squash: 'fill',
  cover: 'cover',
  contain: 'contain',
};

const PILLOW_FILTER: Partial<Record<InputSpec['kernel'], PillowFilter>> = {
  linear: 'bilinear',
  cubic: 'bicubic',
  lanczos3: 'lanczos',
};

/**
 * The one decode path (indexing, `tags`, tests): file or bytes → the model input a pack asks for,
 * plus an optional thumbnail from the same decode.
 *
 * sharp decodes: EXIF orientation applied, sRGB, alpha flattened onto `input.background`, first
 * frame only. Then, per `input.resample`:
 * - "pillow": the pixel values as stored, as Pillow's `convert('RGB')` reads them (an embedded
 *   ICC profile is not applied: the model was trained without it), decoded at full size (no
 *   shrink-on-load, which would change the pixels), then resized by pillow-resample.ts exactly as
 *   Pillow's Image.resize does. EXIF orientation and alpha flattening still apply (Pillow's
 *   reference scripts leave a photo sideways; the app shows it upright and feeds it so);
 * - "libvips" (default): a shrink-on-load lanczos3 stage (LIBVIPS_STAGE_SIDE), then sharp's resize
 *   with `input.kernel` and `input.resize`.
 * Errors: IMAGE_UNREADABLE, IMAGE_UNSUPPORTED, IMAGE_TOO_LARGE, IO (toImageError).
 */
export async function decodeImage(
  input: string | Buffer,
  spec: InputSpec,
  options: DecodeOptions = {},
): Promise<DecodeResult> {
  const label = options.label ?? (typeof input === 'string' ? input : '(buffer)');
  const thumbSize = options.thumbSize ?? 0;
  const [r, g, b] = spec.background;
  const background = { r, g, b };
  const pillow = spec.resample === 'pillow';
  try {
    const source = sharp(input, {
      limitInputPixels: MAX_INPUT_PIXELS,
      failOn: 'error',
      pages: 1,
      ignoreIcc: pillow,
    });
    const meta = await source.metadata();
    const rotated = (meta.orientation ?? 1) >= 5;
    let decoded = source.rotate().toColourspace('srgb').flatten({ background });
    if (!pillow) {
      const side = Math.max(spec.width, spec.height, LIBVIPS_STAGE_SIDE);
      decoded = decoded.resize(side, side, {
        fit: 'outside',
        withoutEnlargement: true,
        kernel: 'lanczos3',
      });
    }
    const { data, info } = await decoded.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new AnytagError('IMAGE_UNREADABLE', `Decoder produced ${info.channels} channels`);
    }
    const raw = { raw: { width: info.width, height: info.height, channels: 3 as const } };
    const [rgb, thumbnail] = await Promise.all([
      pillow
        ? pillowResize(data, info.width, info.height, spec)
        : libvipsResize(data, raw, spec, background),
      thumbSize > 0
        ? sharp(data, raw)
            .resize(thumbSize, thumbSize, { fit: 'inside', withoutEnlargement: true })
            .jpeg({ quality: 80, mozjpeg: false })
            .toBuffer()
        : Promise.resolve(null),
    ]);
    return {
      model: {
        rgb,
        width: spec.width,
        height: spec.height,
        sourceWidth: (rotated ? meta.height : meta.width) ?? 0,
        sourceHeight: (rotated ? meta.width : meta.height) ?? 0,
        format: meta.format ?? 'unknown',
      },
      thumbnail,
    };
  } catch (error) {
    throw toImageError(error, label);
  }
}

function pillowResize(data: Buffer, width: number, height: number, spec: InputSpec): Buffer {
  const filter = PILLOW_FILTER[spec.kernel]!; // the schema allows only these kernels with pillow
  const out = resizeRgbLikePillow(data, width, height, spec.width, spec.height, filter);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

async function libvipsResize(
  data: Buffer,
  raw: { raw: { width: number; height: number; channels: 3 } },
  spec: InputSpec,
  background: { r: number; g: number; b: number },
): Promise<Buffer> {
  const { data: pixels, info } = await sharp(data, raw)
    .resize(spec.width, spec.height, {
      fit: FIT[spec.resize],
      kernel: spec.kernel,
      background,
      position: 'centre',
    })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== spec.width || info.height !== spec.height || info.channels !== 3) {
    throw new AnytagError(
      'IMAGE_UNREADABLE',
      `Decoder produced ${info.width}×${info.height}×${info.channels}`,
    );
  }
  return pixels;
}

export function toImageError(error: unknown, file: string): AnytagError {
  if (error instanceof AnytagError) return error;
  if (isNodeError(error)) {
    return new AnytagError('IO', `Cannot read ${file}: ${error.code ?? error.message}`, {
      file,
      errno: error.code,
    });
  }
  const message = (error as Error).message ?? String(error);
  if (/pixel limit/i.test(message)) {
    return new AnytagError('IMAGE_TOO_LARGE', `${file} has more than ${MAX_INPUT_PIXELS} pixels`, {
      file,
    });
  }
  if (/unsupported (codec|feature)|no decoding plugin/i.test(message)) {
    return new AnytagError(
      'IMAGE_UNSUPPORTED',
      `${file} uses a compression this build cannot decode (e.g. HEVC in HEIC): ${message.split('\n')[0]}`,
      { file },
    );
  }
  if (/unsupported image format/i.test(message)) {
    return new AnytagError(
      'IMAGE_UNSUPPORTED',
      `${file} is not an image format this build can decode`,
      { file },
    );
  }
  return new AnytagError(
    'IMAGE_UNREADABLE',
    `${file} cannot be decoded: ${message.split('\n')[0]}`,
    { file },
  );
}
