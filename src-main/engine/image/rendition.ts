/**
 * Renditions: a JPEG the browser can show for a photo whose original it cannot (HEIC, TIFF,
 * camera RAW — `browserShows: false` in formats.ts). Made on first request from the same sources
 * as indexing (libheif for HEVC, a RAW's preview), upright, at most RENDITION_SIDE pixels on the
 * longer side, and kept in the thumbnail cache beside the photo's thumbnail (`<hash>.view.jpg`),
 * so it is pruned with it.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { orient } from './decode.js';
import { MAX_INPUT_PIXELS, toImageError } from './decode-errors.js';
import { openImage } from './image-source.js';

/** Longer side of a rendition (pixels): sharp on a 4K screen, small enough to make quickly. */
export const RENDITION_SIDE = 3840;

/** <dir>/<first two hex digits>/<hash>.view.jpg, beside the thumbnail. */
export function renditionPath(dir: string, hash: string): string {
  return path.join(dir, hash.slice(0, 2), `${hash}.view.jpg`);
}

/**
 * Writes a JPEG rendition of `file` (its bytes in `input` when the caller has read them from a
 * checked descriptor; else read by name) to `dest` (atomically). Errors: IMAGE_* as
 * decodeImage's, IO.
 */
export async function writeRendition(
  file: string,
  dest: string,
  input: Buffer | string = file,
): Promise<void> {
  let jpeg: Buffer;
  try {
    const source = await openImage(input, file);
    const image = sharp(source.input, {
      ...(source.raw ? { raw: source.raw } : {}),
      limitInputPixels: MAX_INPUT_PIXELS,
      failOn: 'none',
      pages: 1,
      sequentialRead: true,
    });
    jpeg = await orient(image, source.orientation)
      .resize(RENDITION_SIDE, RENDITION_SIDE, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .jpeg({ quality: 85 })
      .toBuffer();
  } catch (error) {
    throw toImageError(error, file);
  }
  await mkdir(path.dirname(dest), { recursive: true });
  const temp = `${dest}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await writeFile(temp, jpeg);
    await rename(temp, dest);
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}
