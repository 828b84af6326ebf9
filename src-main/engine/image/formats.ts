/**
 * The one table of photo formats: which file extensions the library indexes, their media type,
 * which decoder reads them, and whether a browser can show the original or needs a JPEG
 * rendition. The scan, the watcher, the media routes (HTTP server and Electron protocol) and
 * docs/formats.md all read this table; a test checks the doc against it.
 */
import path from 'node:path';

/** Who turns the file into pixels: sharp/libvips, libheif (WebAssembly), or the RAW's preview. */
export type Decoder = 'sharp' | 'heif' | 'raw-preview';

export interface PhotoFormat {
  /** Human name, as the docs list it. */
  name: string;
  /** Lowercase extensions with the dot; files match case-insensitively (.JPG, .Jpg). */
  extensions: readonly string[];
  /** The media type of the original file. */
  mediaType: string;
  decoder: Decoder;
  /** true: browsers (Chromium) display the original; false: the app sends a JPEG rendition. */
  browserShows: boolean;
}

/** Every format Anytag indexes. Order is the docs' order. */
export const PHOTO_FORMATS: readonly PhotoFormat[] = [
  {
    name: 'JPEG (incl. JFIF, MPO 3D/multi-picture, motion photos: the still)',
    extensions: ['.jpg', '.jpeg', '.jpe', '.jfif', '.mpo'],
    mediaType: 'image/jpeg',
    decoder: 'sharp',
    browserShows: true,
  },
  {
    name: 'PNG',
    extensions: ['.png'],
    mediaType: 'image/png',
    decoder: 'sharp',
    browserShows: true,
  },
  {
    name: 'WebP',
    extensions: ['.webp'],
    mediaType: 'image/webp',
    decoder: 'sharp',
    browserShows: true,
  },
  {
    name: 'AVIF',
    extensions: ['.avif'],
    mediaType: 'image/avif',
    decoder: 'sharp',
    browserShows: true,
  },
  {
    name: 'GIF (first frame)',
    extensions: ['.gif'],
    mediaType: 'image/gif',
    decoder: 'sharp',
    browserShows: true,
  },
  {
    name: 'TIFF',
    extensions: ['.tif', '.tiff'],
    mediaType: 'image/tiff',
    decoder: 'sharp',
    browserShows: false,
  },
  {
    name: 'HEIC/HEIF (HEVC or AV1; Apple and Samsung, motion photos: the still)',
    extensions: ['.heic', '.heif', '.hif'],
    mediaType: 'image/heic',
    decoder: 'heif',
    browserShows: false,
  },
  {
    name: 'Camera RAW (its embedded full-size preview JPEG)',
    extensions: [
      '.dng',
      '.cr2',
      '.cr3',
      '.nef',
      '.nrw',
      '.arw',
      '.srf',
      '.sr2',
      '.raf',
      '.orf',
      '.rw2',
      '.pef',
      '.srw',
      '.3fr',
      '.iiq',
      '.rwl',
    ],
    mediaType: 'image/x-raw',
    decoder: 'raw-preview',
    browserShows: false,
  },
];

const BY_EXTENSION = new Map<string, PhotoFormat>(
  PHOTO_FORMATS.flatMap((format) => format.extensions.map((ext) => [ext, format] as const)),
);

/** The format of a file by its extension (any case), or undefined when Anytag does not index it. */
export function photoFormatOf(file: string): PhotoFormat | undefined {
  return BY_EXTENSION.get(path.extname(file).toLowerCase());
}

/** Whether the library indexes this file (by extension, any case). */
export function isPhotoFile(file: string): boolean {
  return photoFormatOf(file) !== undefined;
}

/** Files users keep beside their photos that are not indexed, with why. */
const NOT_INDEXED: Readonly<Record<string, string>> = {
  '.psd': 'Photoshop documents are not decoded',
  '.bmp': 'BMP is not decoded by this build',
  '.svg': 'vector drawings are not indexed',
  '.mp4': 'videos are not indexed',
  '.mov': "videos are not indexed (a Live Photo's still is its .HEIC or .JPG)",
  '.avi': 'videos are not indexed',
  '.mkv': 'videos are not indexed',
};

/** Why a file that is not a photo format is not indexed. */
export function notIndexedReason(file: string): string {
  return NOT_INDEXED[path.extname(file).toLowerCase()] ?? 'not a supported image type';
}
