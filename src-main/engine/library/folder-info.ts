/** A library folder as the API shows it, found by its path, and whether a folder is empty. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError } from '../errors.js';
import type { Catalogue } from '../store/catalogue.js';
import type { FolderRecord, PhotoRecord } from '../store/catalogue-schema.js';
import type { TagWriting } from '../store/photo-metadata-schema.js';

export interface FolderInfo {
  path: string;
  polling: boolean;
  online: boolean;
  watching: boolean;
  lastScanAt?: string;
  /** Set on the folderChanged event of a folder that was removed from the library. */
  removed?: boolean;
  photos: { total: number; indexed: number; pending: number; failed: number; offline: number };
  /** Files the last scan did not index, with why (first 100); sidecars and hidden files aside. */
  unsupported: { path: string; reason: string }[];
  unsupportedCount: number;
  /** Tags are written back here (absent: never). */
  tagWriting?: TagWriting;
  /** Writing tags failed for the whole folder (e.g. read-only): stopped until set again. */
  writeError?: { code: string; message: string; at: string };
}

export function describeFolder(
  record: FolderRecord,
  photosUnder: readonly PhotoRecord[],
  watching: boolean,
  skipped: readonly { path: string; reason: string }[],
): FolderInfo {
  const photos = { total: 0, indexed: 0, pending: 0, failed: 0, offline: 0 };
  for (const photo of photosUnder) {
    photos.total++;
    if (photo.state === 'indexed') photos.indexed++;
    else if (photo.state === 'pending') photos.pending++;
    else if (photo.state === 'error') photos.failed++;
    else photos.offline++;
  }
  const info: FolderInfo = {
    path: record.path,
    polling: record.polling,
    online: record.online,
    watching,
    photos,
    unsupported: skipped.slice(0, 100),
    unsupportedCount: skipped.length,
  };
  if (record.lastScanAt) info.lastScanAt = record.lastScanAt;
  if (record.tagWriting) info.tagWriting = record.tagWriting;
  if (record.writeError) info.writeError = record.writeError;
  return info;
}

/** True for a folder with nothing in it (e.g. the mount point of an unplugged drive). */
export async function isEmptyDir(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch(() => null);
  return entries !== null && entries.length === 0;
}

/**
 * True for an empty folder that is the mount point of a drive that is gone: it is on another
 * file system than the one it was on when it last held files (`record.device`). A folder emptied
 * by moving its photos stays where it was: not unmounted. With no device known (a catalogue from
 * before it was recorded), an empty folder counts as unmounted, as it always did.
 */
export async function folderUnmounted(record: FolderRecord): Promise<boolean> {
  if (!(await isEmptyDir(record.path))) return false;
  const info = await stat(record.path).catch(() => null);
  if (!info) return true;
  return record.device === undefined || info.dev !== record.device;
}

/** The library folder at `folder` (resolved); NOT_FOUND naming the library's folders if none. */
export function libraryFolder(catalogue: Catalogue, folder: string): FolderRecord {
  const record = catalogue.folder(path.resolve(folder));
  if (!record) {
    throw new AnytagError('NOT_FOUND', `${folder} is not a library folder`, {
      folder,
      folders: catalogue.folders().map((f) => f.path),
    });
  }
  return record;
}
