/**
 * The folder names the scan and the watcher skip (housekeeping folders such as `.thumbnails` or
 * `@eaDir`): the user's list, kept among the catalogue's settings, or the defaults; and which
 * photos lie in a folder the list skips.
 */
import path from 'node:path';
import type { Catalogue } from '../store/catalogue.js';
import type { FolderRecord, PhotoRecord } from '../store/catalogue-schema.js';
import { DEFAULT_SKIPPED_FOLDERS, FolderRules } from './scan.js';

/** Where the user's list of skipped folder names is kept among the catalogue's settings. */
export const SKIPPED_FOLDERS_SETTING = 'skippedFolders';

/** The folder names skipped by the scan and the watcher: the user's list, or the defaults. */
export function skippedFolderNames(catalogue: Catalogue): string[] {
  const saved = catalogue.setting(SKIPPED_FOLDERS_SETTING);
  const valid = Array.isArray(saved) && saved.every((name) => typeof name === 'string');
  return valid ? [...(saved as string[])] : [...DEFAULT_SKIPPED_FOLDERS];
}

/** The rules the scan and the watcher follow now. */
export function folderRules(catalogue: Catalogue): FolderRules {
  return new FolderRules(skippedFolderNames(catalogue));
}

/** The photos of a library folder that lie in a sub-folder `rules` skip. */
export function photosInSkippedFolders(
  catalogue: Catalogue,
  record: FolderRecord,
  rules: FolderRules,
): PhotoRecord[] {
  return catalogue.photosUnder(record.path).filter((photo) => {
    const parents = path.relative(record.path, photo.path).split(path.sep).slice(0, -1);
    return parents.some((name) => rules.skips(name));
  });
}
