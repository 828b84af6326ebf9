/**
 * Which files a UI may load: only photos in the catalogue that lie inside a library folder,
 * checked on real paths so a symlink or `..` cannot reach anything else. Both transports (the
 * HTTP server's /media routes and Electron's media protocol) ask this module and nothing else.
 * Formats a browser cannot show (HEIC, TIFF, RAW: image/formats.ts) are sent as a JPEG
 * rendition, made on first request and kept in the thumbnail cache.
 */
import { access, realpath } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError } from '../errors.js';
import type { Catalogue } from '../store/catalogue.js';
import { isInside } from '../paths.js';
import { thumbnailDir, thumbnailPath } from '../image/thumbnails.js';
import { PHOTO_FORMATS, photoFormatOf } from '../image/formats.js';
import { renditionPath, writeRendition } from '../image/rendition.js';

export type MediaKind = 'photo' | 'thumb';

/**
 * Content types by file extension (lowercase, with the dot): the one table for photos and
 * thumbnails (/media, the media protocol) and the app's own files (static server, app protocol).
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    PHOTO_FORMATS.flatMap((format) => format.extensions.map((ext) => [ext, format.mediaType])),
  ),
  '.bmp': 'image/bmp',
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
 * The file to send for a catalogue photo: its thumbnail from the cache when one was made, or the
 * photo — as a JPEG rendition when browsers cannot show its format. Refused (NOT_FOUND, no hint
 * of why beyond the id) unless the photo's real path is inside one of the library folders and
 * its format is one the library indexes. A rendition that cannot be made is refused with why.
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
      const format = photoFormatOf(real);
      if (!format) throw refuse();
      const cache = thumbnailDir(engine.options.dataDir);
      if (kind === 'thumb' && photo.hash) {
        const thumb = thumbnailPath(cache, photo.hash);
        if (await exists(thumb)) return { file: thumb, contentType: 'image/jpeg' };
      }
      if (format.browserShows) return { file: real, contentType: format.mediaType };
      const key = photo.hash ?? `${photo.id}-${photo.size}-${Math.round(photo.mtimeMs)}`;
      const view = renditionPath(cache, key);
      if (!(await exists(view))) await writeRendition(real, view);
      return { file: view, contentType: 'image/jpeg' };
    }
  }
  throw refuse();
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
