/**
 * Which files a UI may load: only photos in the catalogue that lie inside a library folder,
 * checked on the real path of the opened descriptor, so neither a symlink, `..`, nor a swap
 * between check and read reaches anything else. Both transports (the HTTP server's /media
 * routes and Electron's media protocol) open media through `openMediaFile` and nothing else.
 * Formats a browser cannot show (HEIC, TIFF, RAW: image/formats.ts) are sent as a JPEG
 * rendition, made on first request from the checked descriptor and kept in the thumbnail cache.
 */
import { constants } from 'node:fs';
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
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

/** A media file opened for sending: stream from `handle` (and close it), never reopen `file`. */
export interface OpenedMedia extends MediaFile {
  handle: FileHandle;
  size: number;
  mtimeMs: number;
}

// O_NONBLOCK: a FIFO planted in a library folder must not hang the open; only regular files go.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
// Thumbnails are our own files: never a link.
const NO_FOLLOW = READ_FLAGS | (constants.O_NOFOLLOW ?? 0);

/**
 * Opens the file to send for a catalogue photo — its cached thumbnail (kind 'thumb', when one
 * was made) or the photo — and checks what was opened, not a name that can change meanwhile:
 * the real path of the open descriptor (Linux: /proc/self/fd; elsewhere the path's real path,
 * trusted only when it is the very file open, same device and inode) must lie inside a library
 * folder, and it must be a regular file. A symlink swapped between the check and the read
 * therefore cannot send another file. Refused with NOT_FOUND (no hint of why beyond the id).
 * Formats browsers cannot show are sent as a JPEG rendition (IMAGE_* when none can be made).
 */
export async function openMediaFile(
  engine: MediaSource,
  kind: MediaKind,
  photoId: string,
): Promise<OpenedMedia> {
  const refuse = (): AnytagError =>
    new AnytagError('NOT_FOUND', `No photo "${photoId}" in the library`, { photo: photoId });
  if (!/^[A-Za-z0-9-]{1,64}$/.test(photoId)) throw refuse();
  const photo = engine.catalogue.photoById(photoId);
  if (!photo) throw refuse();
  const roots = engine.catalogue.folders().map((folder) => folder.path);
  const opened = await openChecked(photo.path, READ_FLAGS, roots);
  if (!opened) throw refuse();
  // The format of what was opened (a link may name a .jpg and lead to a .png).
  const format = photoFormatOf(opened.file);
  if (!format) {
    await opened.handle.close();
    throw refuse();
  }
  const cache = thumbnailDir(engine.options.dataDir);
  if (kind === 'thumb' && photo.hash) {
    const thumb = await openChecked(thumbnailPath(cache, photo.hash), NO_FOLLOW, [cache]);
    if (thumb) {
      await opened.handle.close();
      return { ...thumb, contentType: 'image/jpeg' };
    }
  }
  if (format.browserShows) return { ...opened, contentType: format.mediaType };
  const key = photo.hash ?? `${photo.id}-${photo.size}-${Math.round(photo.mtimeMs)}`;
  const view = renditionPath(cache, key);
  let rendition = await openChecked(view, NO_FOLLOW, [cache]);
  if (!rendition) {
    try {
      // RAW previews are read by exiftool by name (the checked real path); others from the
      // descriptor that was checked.
      const input = format.decoder === 'raw-preview' ? opened.file : await opened.handle.readFile();
      await writeRendition(opened.file, view, input);
    } finally {
      await opened.handle.close();
    }
    rendition = await openChecked(view, NO_FOLLOW, [cache]);
    if (!rendition) throw refuse();
  } else {
    await opened.handle.close();
  }
  return { ...rendition, contentType: 'image/jpeg' };
}

/** Opens `file`; keeps it open only if it is a regular file whose real path lies in a root. */
async function openChecked(
  file: string,
  flags: number,
  roots: readonly string[],
): Promise<Omit<OpenedMedia, 'contentType'> | null> {
  const handle = await open(file, flags).catch(() => null);
  if (!handle) return null;
  try {
    const info = await handle.stat();
    const real = info.isFile() ? await realPathOfOpened(handle, file, info) : null;
    if (real) {
      for (const root of roots) {
        const realRoot = await realpath(root).catch(() => null);
        if (realRoot && isInside(realRoot, real)) {
          return { handle, file: real, size: info.size, mtimeMs: info.mtimeMs };
        }
      }
    }
  } catch {
    // refused below
  }
  await handle.close();
  return null;
}

/** The real path of what `handle` has open (not of whatever `file` names by now). */
async function realPathOfOpened(
  handle: FileHandle,
  file: string,
  info: { dev: number; ino: number },
): Promise<string | null> {
  if (process.platform === 'linux') {
    const link = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => null);
    if (link?.startsWith('/')) return link;
  }
  const real = await realpath(file).catch(() => null);
  if (!real) return null;
  const named = await stat(real).catch(() => null);
  return named && named.dev === info.dev && named.ino === info.ino ? real : null;
}
