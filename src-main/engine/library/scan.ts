/** Recursive folder scan: the image files under a folder, hidden and system folders skipped. */
import { opendir } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError, isNodeError } from '../errors.js';

export const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.png',
  '.webp',
  '.avif',
  '.tif',
  '.tiff',
  '.gif',
  '.heic',
  '.heif',
]);

/** Folders no photo library wants scanned: OS metadata, trash, thumbnail caches. */
const SKIPPED_FOLDERS = new Set([
  '$recycle.bin',
  'system volume information',
  'lost+found',
  '@eadir',
  'node_modules',
  '.trash',
]);

export function isImageFile(file: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** Hidden folders and OS/system folders are never scanned or watched. */
export function skipFolderName(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name.toLowerCase());
}

/** Photo formats users keep beside their JPEGs that this build does not read, with why. */
const UNSUPPORTED_REASONS: Record<string, string> = {
  raw: 'camera RAW files are not decoded (no RAW decoder); index the JPEG beside it',
  psd: 'Photoshop documents are not decoded',
  bmp: 'BMP is not decoded by this build',
  video: 'videos are not indexed',
  svg: 'vector drawings are not indexed',
};

const UNSUPPORTED_KINDS: Record<string, keyof typeof UNSUPPORTED_REASONS> = {
  '.cr2': 'raw',
  '.cr3': 'raw',
  '.nef': 'raw',
  '.arw': 'raw',
  '.dng': 'raw',
  '.raf': 'raw',
  '.orf': 'raw',
  '.rw2': 'raw',
  '.psd': 'psd',
  '.bmp': 'bmp',
  '.mp4': 'video',
  '.mov': 'video',
  '.avi': 'video',
  '.svg': 'svg',
};

/** Why a file under a library folder is not indexed. */
export function unsupportedReason(name: string): string {
  const kind = UNSUPPORTED_KINDS[path.extname(name).toLowerCase()];
  return kind ? UNSUPPORTED_REASONS[kind]! : 'not a supported image type';
}

/** How a scan reports a sub-folder it could not open (its photos are unseen, not gone). */
export const CANNOT_OPEN_FOLDER = 'cannot open folder';

export interface ScanResult {
  images: string[];
  /** Files that are not images we decode, with why; folders we could not open. */
  skipped: { path: string; reason: string }[];
}

export async function scanFolder(root: string): Promise<ScanResult> {
  const result: ScanResult = { images: [], skipped: [] };
  try {
    await walk(path.resolve(root), result, true);
  } catch (error) {
    if (isNodeError(error, 'ENOENT') || isNodeError(error, 'ENOTDIR')) {
      throw new AnytagError('NOT_FOUND', `Folder ${root} does not exist or is not a folder`, {
        folder: root,
      });
    }
    throw error;
  }
  result.images.sort();
  return result;
}

async function walk(dir: string, result: ScanResult, isRoot: boolean): Promise<void> {
  let handle;
  try {
    handle = await opendir(dir);
  } catch (error) {
    if (isRoot) throw error;
    result.skipped.push({
      path: dir,
      reason: `${CANNOT_OPEN_FOLDER}: ${(error as NodeJS.ErrnoException).code}`,
    });
    return;
  }
  for await (const entry of handle) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipFolderName(entry.name)) await walk(full, result, false);
    } else if (entry.isFile()) {
      if (entry.name.startsWith('.')) continue;
      if (isImageFile(entry.name)) result.images.push(full);
      else if (!isSidecar(entry.name))
        result.skipped.push({ path: full, reason: unsupportedReason(entry.name) });
    }
  }
}

/** Files that travel beside photos and are never photos themselves. */
function isSidecar(name: string): boolean {
  return (
    /\.(xmp|aae|thm|json|txt|db|ini|ds_store|md5)$/i.test(name) ||
    name.toLowerCase() === 'thumbs.db'
  );
}
