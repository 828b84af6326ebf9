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

function skipFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name.toLowerCase());
}

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
      reason: `cannot open folder: ${(error as NodeJS.ErrnoException).code}`,
    });
    return;
  }
  for await (const entry of handle) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipFolder(entry.name)) await walk(full, result, false);
    } else if (entry.isFile()) {
      if (entry.name.startsWith('.')) continue;
      if (isImageFile(entry.name)) result.images.push(full);
      else if (!isSidecar(entry.name))
        result.skipped.push({ path: full, reason: 'not a supported image type' });
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
