/**
 * Camera RAW files through their embedded full-size preview JPEG (JpgFromRaw, PreviewImage or
 * OtherImage, whichever is largest), as Immich and digiKam do for speed: Anytag never develops
 * sensor data. The preview's pixels are shown with the RAW's own orientation (the preview JPEG
 * rarely carries one). A RAW whose only picture is a small thumbnail is refused with the reason.
 */
import sharp from 'sharp';
import { AnytagError } from '../errors.js';
import { exiftool } from './exiftool.js';

/** Embedded pictures, largest first in most cameras; the biggest one present wins. */
const PREVIEW_TAGS = ['JpgFromRaw', 'PreviewImage', 'OtherImage'] as const;

/** A preview whose longer side is shorter than this is a thumbnail, not the photo (pixels). */
export const MIN_PREVIEW_SIDE = 1000;

export interface RawPreview {
  /** The preview JPEG's bytes. */
  jpeg: Buffer;
  /** EXIF orientation (1–8) from the RAW's metadata, to apply to the preview's pixels. */
  orientation: number;
  width: number;
  height: number;
}

/**
 * The largest embedded preview of a RAW file, checked to be a usable JPEG.
 * Errors: IMAGE_UNSUPPORTED (no preview, or only a thumbnail smaller than MIN_PREVIEW_SIDE),
 * IMAGE_UNREADABLE (exiftool cannot read the file, the preview is not a readable JPEG).
 */
export async function extractRawPreview(file: string): Promise<RawPreview> {
  const tool = await exiftool();
  let tags: Record<string, unknown>;
  try {
    tags = (await tool.read(file, { readArgs: ['-n'] })) as unknown as Record<string, unknown>;
  } catch (error) {
    throw new AnytagError(
      'IMAGE_UNREADABLE',
      `exiftool cannot read the RAW file: ${firstLine(error)}`,
    );
  }
  const present = PREVIEW_TAGS.map((tag) => ({ tag, bytes: binaryLength(tags[tag]) }))
    .filter((p) => p.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  if (present.length === 0) {
    throw new AnytagError(
      'IMAGE_UNSUPPORTED',
      'RAW file has no embedded preview image (Anytag reads RAW files through their preview; it does not develop sensor data)',
    );
  }
  const orientation = Number(tags.Orientation);
  const jpeg = await tool
    .extractBinaryTagToBuffer(present[0]!.tag, file)
    .catch((error: unknown) => {
      throw new AnytagError(
        'IMAGE_UNREADABLE',
        `cannot extract the RAW's ${present[0]!.tag}: ${firstLine(error)}`,
      );
    });
  const meta = await sharp(jpeg)
    .metadata()
    .catch(() => null);
  if (!meta?.width || !meta.height) {
    throw new AnytagError(
      'IMAGE_UNREADABLE',
      `the RAW's ${present[0]!.tag} is not a readable image`,
    );
  }
  if (Math.max(meta.width, meta.height) < MIN_PREVIEW_SIDE) {
    throw new AnytagError(
      'IMAGE_UNSUPPORTED',
      `RAW file has no usable preview: the largest embedded image (${present[0]!.tag}) is ${meta.width}×${meta.height}, below ${MIN_PREVIEW_SIDE} pixels`,
    );
  }
  return {
    jpeg,
    orientation:
      Number.isInteger(orientation) && orientation >= 1 && orientation <= 8 ? orientation : 1,
    width: meta.width,
    height: meta.height,
  };
}

/** Bytes of a binary tag as exiftool-vendored reads it (a BinaryField, or exiftool's text). */
function binaryLength(value: unknown): number {
  if (value && typeof value === 'object' && 'bytes' in value) return Number(value.bytes) || 0;
  const match = typeof value === 'string' ? /Binary data (\d+) bytes/.exec(value) : null;
  return match ? Number(match[1]) : 0;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!;
}
