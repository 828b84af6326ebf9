/**
 * The browsers beside the gallery: `folderTree` (the library folders and their sub-folders with
 * photo counts, offline and unreadable photos, and each library folder's reachability) and
 * `photoDates` (photo counts per capture year, month and day, and the undated). Both read the
 * catalogue in one pass (library/folder-tree.ts, index/photo-dates.ts); neither changes anything.
 */
import { isInside } from '../paths.js';
import { buildFolderTree } from '../library/folder-tree.js';
import { countPhotoDates } from '../index/photo-dates.js';
import type { Catalogue } from '../store/catalogue.js';
import type { Handlers } from './api.js';

export function browseHandlers(catalogue: Catalogue): Handlers<'folderTree' | 'photoDates'> {
  return {
    // allPhotos: the records read in slices that give the thread back (a million photos).
    folderTree: async () => buildFolderTree(catalogue.folders(), await catalogue.allPhotos()),
    photoDates: async ({ folder }) => {
      const all = await catalogue.allPhotos();
      return countPhotoDates(folder ? all.filter((p) => isInside(folder, p.path)) : all);
    },
  };
}
