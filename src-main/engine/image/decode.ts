/**
 * The sharp owner: turns an image file into the RGB pixels a model pack asks for, resampled the
 * way the pack was trained to be fed (`input.resample`). EXIF orientation is applied, colour
 * converted to sRGB, alpha flattened, and only the first frame of an animation is read. HEIC
 * (HEVC) comes in through libheif (heif.ts), camera RAW through its embedded preview
 * (raw-preview.ts); both then take the same sharp pipeline. Failures become IMAGE_* errors with
 * the file's own reason (decode-errors.ts); a damaged file that a lenient decode can show is
 * decoded with a `damaged` note.
 */
import sharp, { type Sharp } from 'sharp';
import { AnytagError } from '../errors.js';
import type { InputSpec } from '../model/pack-schema.js';
import { DecodeGate } from './decode-gate.js';
import {
  classifyDecodeFailure,
  MAX_INPUT_PIXELS,
  ownMessage,
  toImageError,
} from './decode-errors.js';
import { openImage, type ImageSource } from './image-source.js';
import { resizeRgbLikePillow, type PillowFilter } from './pillow-resample.js';

export { MAX_INPUT_PIXELS, toImageError };

// libvips' operation cache only helps when the same image is processed again; every photo here
// is new, so it would only hold memory (up to 50 MB by default).
sharp.cache(false);

/**
 * Above this many pixels a "pillow" pack's input is first shrunk on load by libvips (to at
 * least 8× the model's side) instead of being decoded whole: the old cap, so photos that were
 * accepted before keep their exact pixels, and a 1-gigapixel file never needs 3 GB.
 */
export const PILLOW_EXACT_MAX_PIXELS = 100_000_000;
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
  /**
   * Set when the strict decode failed and a lenient one succeeded: the decoder's reason (the
   * file is damaged — truncated, a bad strip — but shows). Absent for a sound file.
   */
  damaged?: string;
}

export interface DecodeOptions {
  /**
   * Longer side of the thumbnail to make in the same pass; 0 (default): none. For "libvips"
   * packs it is made from the stage image, so it is never larger than that.
   */
  thumbSize?: number;
  /** Names the input in errors (a Buffer has no name of its own). */
  label?: string;
  /**
   * The file on disk when `input` is its bytes: RAW previews are extracted from the file
   * (exiftool reads paths), and its extension picks the decoder.
   */
  file?: string;
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
 * The one decode path (indexing, `tags`, media renditions, tests): file or bytes → the model
 * input a pack asks for, plus an optional thumbnail from the same decode.
 *
 * sharp decodes: EXIF orientation applied, sRGB, alpha flattened onto `input.background`, first
 * frame only, sequential access. Then, per `input.resample`:
 * - "pillow": the pixel values as stored, as Pillow's `convert('RGB')` reads them (an embedded
 *   ICC profile is not applied: the model was trained without it), decoded at full size (no
 *   shrink-on-load, which would change the pixels) up to PILLOW_EXACT_MAX_PIXELS, then resized by
 *   pillow-resample.ts exactly as Pillow's Image.resize does. EXIF orientation and alpha
 *   flattening still apply (Pillow's reference scripts leave a photo sideways; the app shows it
 *   upright and feeds it so);
 * - "libvips" (default): a shrink-on-load lanczos3 stage (LIBVIPS_STAGE_SIDE), then sharp's resize
 *   with `input.kernel` and `input.resize`.
 * A decode that fails is asked again alone (DecodeGate) for the file's own message; a decoder
 * limit is IMAGE_UNSUPPORTED with the reason; a damaged file is decoded leniently when it can be
 * (the result carries `damaged`), else IMAGE_UNREADABLE.
 * Errors: IMAGE_UNREADABLE, IMAGE_UNSUPPORTED, IMAGE_TOO_LARGE, IO.
 */
export async function decodeImage(
  input: string | Buffer,
  spec: InputSpec,
  options: DecodeOptions = {},
): Promise<DecodeResult> {
  const label = options.label ?? (typeof input === 'string' ? input : '(buffer)');
  const file = options.file ?? (typeof input === 'string' ? input : undefined);
  try {
    const source = await openImage(input, file);
    try {
      return await gate.share(() => decodeSource(source, spec, options, 'error'));
    } catch (error) {
      if (error instanceof AnytagError) throw error;
      // The message libvips gave may be another file's: ask this file again, alone.
      return await gate.alone(() => decodeAgainAlone(source, spec, options, label));
    }
  } catch (error) {
    throw toImageError(error, label);
  }
}

const gate = new DecodeGate();

async function decodeAgainAlone(
  source: ImageSource,
  spec: InputSpec,
  options: DecodeOptions,
  label: string,
): Promise<DecodeResult> {
  let reason: string;
  try {
    return await decodeSource(source, spec, options, 'error');
  } catch (error) {
    if (error instanceof AnytagError) throw error;
    reason = ownMessage(error, label);
  }
  const verdict = classifyDecodeFailure(reason, label);
  if (verdict) throw verdict;
  try {
    const lenient = await decodeSource(source, spec, options, 'none');
    return { ...lenient, damaged: reason };
  } catch {
    throw new AnytagError('IMAGE_UNREADABLE', `${label} cannot be decoded: ${reason}`, {
      file: label,
    });
  }
}

async function decodeSource(
  source: ImageSource,
  spec: InputSpec,
  options: DecodeOptions,
  failOn: 'error' | 'none',
): Promise<DecodeResult> {
  const thumbSize = options.thumbSize ?? 0;
  const [r, g, b] = spec.background;
  const background = { r, g, b };
  const open = (): Sharp =>
    sharp(source.input, {
      ...(source.raw ? { raw: source.raw } : {}),
      limitInputPixels: MAX_INPUT_PIXELS,
      failOn,
      pages: 1,
      sequentialRead: true,
      ignoreIcc: pillow,
    });
  const pillow = spec.resample === 'pillow';
  const meta = await open().metadata();
  const orientation = source.orientation ?? meta.orientation ?? 1;
  const rotated = orientation >= 5;
  let decoded = orient(open(), source.orientation).toColourspace('srgb').flatten({ background });
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (!pillow || pixels > PILLOW_EXACT_MAX_PIXELS) {
    const side = pillow
      ? Math.max(spec.width, spec.height) * 8
      : Math.max(spec.width, spec.height, LIBVIPS_STAGE_SIDE);
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
      format: source.format ?? meta.format ?? 'unknown',
    },
    thumbnail,
  };
}

/**
 * EXIF orientation: the file's own (sharp's auto-orient), or one given by the source (a RAW's
 * orientation for its preview). sharp mirrors before it rotates.
 */
export function orient(image: Sharp, orientation: number | undefined): Sharp {
  if (orientation === undefined) return image.rotate();
  const mirror = { 2: 'flop', 4: 'flip', 5: 'flip', 7: 'flop' } as const;
  const angle = { 3: 180, 5: 90, 6: 90, 7: 90, 8: 270 } as const;
  const m = mirror[orientation as keyof typeof mirror];
  if (m === 'flop') image = image.flop();
  if (m === 'flip') image = image.flip();
  const a = angle[orientation as keyof typeof angle];
  return a ? image.rotate(a) : image;
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

/**
 * A file's metadata blocks — EXIF, XMP and IPTC, as JPEG, PNG, WebP, TIFF and HEIF hold them —
 * and its format, from its header alone (no pixels decoded; ~0.25 ms for a camera JPEG). For
 * photo-metadata.ts, which parses them. Errors as decodeImage.
 */
export async function readEmbeddedBlocks(
  input: string | Buffer,
): Promise<{ format: string; embedded: { exif?: Buffer; xmp?: Buffer; iptc?: Buffer } }> {
  try {
    const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1 }).metadata();
    return {
      format: meta.format ?? 'unknown',
      embedded: {
        ...(meta.exif && { exif: meta.exif }),
        ...(meta.xmp && { xmp: meta.xmp }),
        ...(meta.iptc && { iptc: meta.iptc }),
      },
    };
  } catch (error) {
    throw toImageError(error, typeof input === 'string' ? input : '(buffer)');
  }
}
