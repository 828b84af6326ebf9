/** What a Library is opened with (LibraryOptions) and what it tells (LibraryEvents). */
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { FolderInfo } from './folder-info.js';
import type { WatchOptions } from './folder-watcher.js';
import type { IndexProgress } from './indexer.js';

export interface LibraryOptions {
  batchSize?: number;
  watch?: Omit<WatchOptions, 'polling'>;
  /** How often folder roots are checked for coming and going (unplugged drives), in ms. */
  presenceIntervalMs?: number;
  /** How long a missing file's photo waits for its moved file before it leaves, in ms. */
  limboMs?: number;
  /** The thumbnail cache; thumbnails no photo uses any more are pruned when indexing is idle. */
  thumbDir?: string;
  /** How long a removed folder's photos are kept for a quick re-add, in ms (30 days). */
  retiredMs?: number;
}

export interface LibraryEvents {
  /** A photo indexed (with the model's float32 matrix), failed, or moved. */
  photoIndexed: [PhotoRecord, Float32Array?];
  photoRemoved: [PhotoRecord];
  indexProgress: [IndexProgress];
  folderChanged: [FolderInfo];
}
