/**
 * The sharp owner: turns an image file into the RGB pixels a model pack asks for. EXIF
 * orientation is applied, colour converted to sRGB, alpha flattened, and only the first frame of
 * an animation is read. Failures become IMAGE_* errors with the reason.
 */
import sharp from 'sharp';
import { AnytagError, isNodeError } from '../errors.js';
import type { InputSpec } from '../model/pack-schema.js';

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
