/**
 * Recursive folder scan: the photo files under a library folder (formats from image/formats.ts),
 * and what it left out with why. The scan and the watcher share these rules:
 * - housekeeping folders (NAS thumbnails, recycle bins and snapshots, OS trash) are skipped and
 *   listed with the reason; the list of names is a setting (`FolderRules.skipNames`);
 * - hidden entries (a name starting with ".") are skipped silently;
 * - symbolic links are never followed, neither to files nor to folders, and are listed: nothing
 *   outside the library folders is reachable through one, loops and dangling links cannot occur,
 *   and no photo is indexed twice through a link (docs/library.md).
 */
import { opendir } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError, isNodeError } from '../errors.js';
import { isPhotoFile, notIndexedReason } from '../image/formats.js';

/**
 * Folders skipped by default, by name (any case): NAS housekeeping (Synology @eaDir, #recycle,
 * #snapshot; QNAP @Recycle, @Recently-Snapshot), Windows ($RECYCLE.BIN, System Volume
 * Information), Linux (lost+found, .thumbnails, .Trash) and developer folders.
 */
export const DEFAULT_SKIPPED_FOLDERS: readonly string[] = [
  '@eaDir',
  '#recycle',
  '#snapshot',
  '@Recycle',
  '@Recently-Snapshot',
  '$RECYCLE.BIN',
  'System Volume Information',
  'lost+found',
  '.thumbnails',
  '.Trash',
  'node_modules',
];

/** Which folder names a scan and a watcher skip (the user's list, or the defaults). */
export class FolderRules {
  private readonly names: Set<string>;

  constructor(readonly skipNames: readonly string[] = DEFAULT_SKIPPED_FOLDERS) {
    this.names = new Set(skipNames.map((name) => name.toLowerCase()));
  }

  /** Why a folder of this name is skipped and listed; undefined: scanned (or hidden). */
  skipReason(name: string): string | undefined {
    if (this.names.has(name.toLowerCase())) {
      return `housekeeping folder (NAS, recycle bin, snapshot or system), skipped by rule "${name}"`;
    }
    return undefined;
  }

  /** A folder never scanned or watched: a housekeeping name, or hidden. */
  skips(name: string): boolean {
    return name.startsWith('.') || this.names.has(name.toLowerCase());
  }
}

/** Whether the library indexes this file (by extension, from the one format table). */
export const isImageFile = isPhotoFile;

/** Why a file under a library folder is not indexed. */
export const unsupportedReason = notIndexedReason;

/** How a scan reports a sub-folder it could not open (its photos are unseen, not gone). */
export const CANNOT_OPEN_FOLDER = 'cannot open folder';

/** How a scan lists a symbolic link it did not follow. */
export const SYMLINK_NOT_FOLLOWED =
  'symbolic link, not followed (add its target as a library folder)';

export interface ScanResult {
  images: string[];
  /** Files that are not images we decode, skipped folders and links, with why. */
  skipped: { path: string; reason: string }[];
}

export async function scanFolder(root: string, rules = new FolderRules()): Promise<ScanResult> {
  const result: ScanResult = { images: [], skipped: [] };
  try {
    await walk(path.resolve(root), result, rules, true);
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

async function walk(
  dir: string,
  result: ScanResult,
  rules: FolderRules,
  isRoot: boolean,
): Promise<void> {
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
    if (entry.isSymbolicLink()) {
      if (!entry.name.startsWith('.'))
        result.skipped.push({ path: full, reason: SYMLINK_NOT_FOLLOWED });
    } else if (entry.isDirectory()) {
      const reason = rules.skipReason(entry.name);
      if (reason) result.skipped.push({ path: full, reason });
      else if (!rules.skips(entry.name)) await walk(full, result, rules, false);
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
