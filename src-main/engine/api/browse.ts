/**
 * The browsers beside the gallery: `folderTree` (the library folders and their sub-folders with
 * photo counts, offline and unreadable photos, and each library folder's reachability) and
 * `photoDates` (photo counts per capture year, month and day, and the undated). Both count with
 * the photo table's columns (store/photo-order.ts folderCounts, dayCounts; no record read), or,
 * where the table cannot answer, in one pass over the records (library/folder-tree.ts,
 * index/photo-dates.ts). Neither changes anything.
 */
import { isInside } from '../paths.js';
import { buildFolderTree, folderTreeOf } from '../library/folder-tree.js';
import { countPhotoDates, photoDatesOf } from '../index/photo-dates.js';
import type { Catalogue } from '../store/catalogue.js';
import type { Handlers } from './api.js';

export function browseHandlers(catalogue: Catalogue): Handlers<'folderTree' | 'photoDates'> {
  return {
    // allPhotos: the records read in slices that give the thread back (a million photos).
    folderTree: async () => {
      // Counted per folder by the photo table (store/photo-order.ts) where it can.
      const order = await catalogue.savedOrder();
      if (order) return folderTreeOf(catalogue.folders(), order.folderCounts());
      return buildFolderTree(catalogue.folders(), await catalogue.allPhotos());
    },
    photoDates: async ({ folder }) => {
      // From the photo table (store/photo-order.ts), but a folder on Windows (paths compared
      // without case there).
      const order =
        folder && process.platform === 'win32' ? undefined : await catalogue.savedOrder();
      if (order) {
        const { byDay, ...apart } = order.dayCounts(folder);
        return photoDatesOf(byDay, apart);
      }
      const all = await catalogue.allPhotos();
      return countPhotoDates(folder ? all.filter((p) => isInside(folder, p.path)) : all);
    },
  };
}
