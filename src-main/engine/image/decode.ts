/**
 * The sharp owner: turns an image file into the RGB pixels a model pack asks for. EXIF
 * orientation is applied, colour converted to sRGB, alpha flattened, and only the first frame of
 * an animation is read. Failures become IMAGE_* errors with the reason.
 */
import sharp from 'sharp';
import { AnytagError, isNodeError } from '../errors.js';
import type { InputSpec } from '../model/pack-schema.js';

// libvips' operation cache only helps when the same image is processed again; every photo here
// is new, so it would only hold memory (up to 50 MB by default).
sharp.cache(false);

/** Refuse decompression bombs: 100 megapixels is far above any camera in use. */
export const MAX_INPUT_PIXELS = 100_000_000;

export interface DecodedImage {
  /** width × height × 3 RGB bytes, row-major. */
  rgb: Buffer;
  width: number;
  height: number;
  /** Size of the source after EXIF rotation. */
  sourceWidth: number;
  sourceHeight: number;
  format: string;
}

const FIT: Record<InputSpec['resize'], 'fill' | 'cover' | 'contain'> = {
  squash: 'fill',
  cover: 'cover',
  contain: 'contain',
};

export async function decodeForModel(
  input: string | Buffer,
  spec: InputSpec,
): Promise<DecodedImage> {
  const [r, g, b] = spec.background;
  const background = { r, g, b };
  try {
    const image = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1 });
    const meta = await image.metadata();
    const rotated = (meta.orientation ?? 1) >= 5;
    const { data, info } = await image
      .rotate()
      .toColourspace('srgb')
      .flatten({ background })
      .resize(spec.width, spec.height, {
        fit: FIT[spec.resize],
        kernel: spec.kernel,
        background,
        position: 'centre',
      })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== spec.width || info.height !== spec.height) {
      throw new AnytagError(
        'IMAGE_UNREADABLE',
        `Decoder produced ${info.width}×${info.height}×${info.channels}`,
      );
    }
    return {
      rgb: data,
      width: info.width,
      height: info.height,
      sourceWidth: (rotated ? meta.height : meta.width) ?? 0,
      sourceHeight: (rotated ? meta.width : meta.height) ?? 0,
      format: meta.format ?? 'unknown',
    };
  } catch (error) {
    throw toImageError(error, typeof input === 'string' ? input : '(buffer)');
  }
}

export interface IndexDecode {
  /** The model's input pixels, as decodeForModel gives them. */
  model: DecodedImage;
  /** A JPEG thumbnail whose longer side is at most `thumbSize`, or null when not asked for. */
  thumbnail: Buffer | null;
}

/**
 * One decode pass for indexing: the source is decoded once (with shrink-on-load for JPEG and
 * WebP) to an intermediate just large enough for both outputs; the model input and the
 * thumbnail are both made from it.
 */
export async function decodeForIndex(
  input: Buffer,
  spec: InputSpec,
  thumbSize: number,
  label = '(buffer)',
): Promise<IndexDecode> {
  const [r, g, b] = spec.background;
  const background = { r, g, b };
  try {
    const source = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1 });
    const meta = await source.metadata();
    const rotated = (meta.orientation ?? 1) >= 5;
    const side = Math.max(spec.width, spec.height, thumbSize);
    const { data, info } = await source
      .rotate()
      .toColourspace('srgb')
      .flatten({ background })
      .resize(side, side, { fit: 'outside', withoutEnlargement: true, kernel: 'lanczos3' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: 3 as const } };
    const [pixels, thumbnail] = await Promise.all([
      sharp(data, raw)
        .resize(spec.width, spec.height, {
          fit: FIT[spec.resize],
          kernel: spec.kernel,
          background,
          position: 'centre',
        })
        .raw()
        .toBuffer({ resolveWithObject: true }),
      thumbSize > 0
        ? sharp(data, raw)
            .resize(thumbSize, thumbSize, { fit: 'inside', withoutEnlargement: true })
            .jpeg({ quality: 80, mozjpeg: false })
            .toBuffer()
        : Promise.resolve(null),
    ]);
    if (pixels.info.width !== spec.width || pixels.info.height !== spec.height) {
      throw new AnytagError(
        'IMAGE_UNREADABLE',
        `Decoder produced ${pixels.info.width}×${pixels.info.height}×${pixels.info.channels}`,
      );
    }
    return {
      model: {
        rgb: pixels.data,
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

/** Image formats the installed sharp (libvips) can read, e.g. heif only where it was built in. */
export function decodableFormats(): string[] {
  return Object.values(sharp.format)
    .filter((f) => f.input.file || f.input.buffer)
    .map((f) => f.id);
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
