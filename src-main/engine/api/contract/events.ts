/** The contract's events: what the engine announces to every transport's listeners. */
import type { IndexProgress } from '../../library/indexer.js';
import type { FolderInfo } from '../../library/folder-info.js';
import type { PackProgress } from '../../model/pack-results.js';
import type { PhotoSummary } from './photos.js';

export interface ApiEvents {
  /** After each indexing batch, and on pause/resume: done, total, rate, ETA. */
  indexProgress: IndexProgress;
  /** A photo was indexed, failed (state error), or moved (same id, new path). */
  photoIndexed: PhotoSummary;
  /** A photo left the library (its file was deleted, or its folder removed). */
  photoRemoved: { id: string; path: string };
  /** A folder was added, removed, rescanned, or went offline / came back online. */
  folderChanged: FolderInfo;
  /** A pack download or import moved on (bytes received, conversion phase). */
  packProgress: PackProgress;
}

export type ApiEventName = keyof ApiEvents;
