/**
 * Which files a UI may load: only photos in the catalogue that lie inside a library folder,
 * checked on real paths so a symlink or `..` cannot reach anything else. Both transports (the
 * HTTP server's /media routes and Electron's media protocol) ask this module and nothing else.
 */
import { access, realpath } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError } from '../errors.js';
import type { Catalogue } from '../store/catalogue.js';
import { isInside } from '../paths.js';
import { thumbnailDir, thumbnailPath } from '../image/thumbnails.js';

export type MediaKind = 'photo' | 'thumb';

/**
 * Content types by file extension (lowercase, with the dot): the one table for photos and
 * thumbnails (/media, the media protocol) and the app's own files (static server, app protocol).
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file's content type from its extension; application/octet-stream when unknown. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Photo extensions served as media: the raster image types of the table (never svg, html, …). */
const MEDIA_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.avif',
  '.tif',
  '.tiff',
  '.bmp',
  '.heic',
  '.heif',
]);

/** What media access reads: the catalogue and the data folder (thumbnails). The Engine is one. */
export interface MediaSource {
  readonly catalogue: Catalogue;
  readonly options: { readonly dataDir: string };
}

export interface MediaFile {
  file: string;
  contentType: string;
}

/**
 * The file to send for a catalogue photo: its thumbnail from the cache when one was made (else
 * the photo itself), or the photo. Refused (NOT_FOUND, no hint of why beyond the id) unless the
 * photo's real path is inside one of the library folders.
 */
export async function resolveMediaFile(
  engine: MediaSource,
  kind: MediaKind,
  photoId: string,
): Promise<MediaFile> {
  const refuse = (): AnytagError =>
    new AnytagError('NOT_FOUND', `No photo "${photoId}" in the library`, { photo: photoId });
  if (!/^[A-Za-z0-9-]{1,64}$/.test(photoId)) throw refuse();
  const photo = engine.catalogue.photoById(photoId);
  if (!photo) throw refuse();
  const real = await realpath(photo.path).catch(() => null);
  if (!real) throw refuse();
  for (const folder of engine.catalogue.folders()) {
    const root = await realpath(folder.path).catch(() => null);
    if (root && isInside(root, real)) {
      if (!MEDIA_EXTENSIONS.has(path.extname(real).toLowerCase())) throw refuse();
      const contentType = contentTypeOf(real);
      if (kind === 'thumb' && photo.hash) {
        const thumb = thumbnailPath(thumbnailDir(engine.options.dataDir), photo.hash);
        if (
          await access(thumb).then(
            () => true,
            () => false,
          )
        )
          return { file: thumb, contentType: 'image/jpeg' };
      }
      return { file: real, contentType };
    }
  }
  throw refuse();
}
