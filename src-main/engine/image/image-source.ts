/**
 * What sharp is handed for a file: its bytes or path as they are (JPEG, PNG, WebP, AVIF, TIFF,
 * GIF, HEIF with AV1), the RGBA pixels libheif decoded (HEIF with HEVC: sharp's prebuilt libvips
 * has no HEVC decoder), or a RAW file's embedded preview JPEG with the RAW's orientation.
 */
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AnytagError } from '../errors.js';
import { MAX_INPUT_PIXELS } from './decode-errors.js';
import { photoFormatOf } from './formats.js';
import { decodeHeif, looksLikeHeif } from './heif.js';
import { extractRawPreview } from './raw-preview.js';

export interface ImageSource {
  input: Buffer | string;
  /** Set when `input` is raw pixels. */
  raw?: { width: number; height: number; channels: 4 };
  /** Orientation to apply instead of the input's own EXIF orientation (undefined: its own). */
  orientation?: number;
  /** The format to report when it is not what sharp sees (heif, a RAW's extension). */
  format?: string;
}

/**
 * Opens a photo for decoding. `file` (the path, when `input` is its bytes) picks RAW handling by
 * extension. Errors: IMAGE_UNSUPPORTED, IMAGE_UNREADABLE, IMAGE_TOO_LARGE (from heif.ts and
 * raw-preview.ts), IO.
 */
export async function openImage(input: Buffer | string, file?: string): Promise<ImageSource> {
  if (file && photoFormatOf(file)?.decoder === 'raw-preview') {
    const preview = await extractRawPreview(file);
    const format = path.extname(file).slice(1).toLowerCase();
    return { input: preview.jpeg, orientation: preview.orientation, format };
  }
  const bytes = typeof input === 'string' ? await headOf(input) : input;
  if (looksLikeHeif(bytes) && (await needsLibheif(input))) {
    const full = typeof input === 'string' ? await readFile(input) : input;
    const pixels = await decodeHeif(full, { maxPixels: MAX_INPUT_PIXELS });
    return {
      input: pixels.data,
      raw: { width: pixels.width, height: pixels.height, channels: 4 },
      orientation: 1,
      format: 'heif',
    };
  }
  return { input };
}

/** HEIF that sharp cannot decode: HEVC-compressed (sharp's libvips decodes AV1 only). */
async function needsLibheif(input: Buffer | string): Promise<boolean> {
  const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
    .metadata()
    .catch(() => null);
  if (meta?.format === 'heif' && meta.compression === 'av1') return false;
  if (meta && (meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) {
    throw new AnytagError('IMAGE_TOO_LARGE', `HEIF image has more than ${MAX_INPUT_PIXELS} pixels`);
  }
  return true;
}

async function headOf(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(16);
    await handle.read(head, 0, 16, 0);
    return head;
  } finally {
    await handle.close();
  }
}
