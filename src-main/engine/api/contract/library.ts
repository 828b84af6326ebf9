/**
 * The contract's library area: status, indexing paths, the library folders (adding, removing,
 * skipping, polling), the indexing queue, and writing or exporting tags.
 */
import { z } from 'zod';
import type { IndexProgress, IndexReport } from '../../library/indexer.js';
import type { FolderInfo } from '../../library/folder-info.js';
import type { TagWriteReport } from '../../library/tag-writer.js';
import { filePath } from './fields.js';
import type { PackSummary } from './packs.js';

export const libraryInputSchemas = {
  status: z.strictObject({}),
  /** Folders (scanned recursively) or single image files. */
  indexPaths: z.strictObject({ paths: z.array(filePath).min(1).max(1000) }),
  /**
   * Adds a library folder: scanned now, then watched. `polling` for network drives. `~` and
   * relative paths start at the home folder.
   */
  addFolder: z.strictObject({ path: filePath, polling: z.boolean().default(false) }),
  /**
   * Removes a library folder: its photos leave the library (the files are not touched). Their
   * tags and matrices are kept 30 days, so adding the folder back (Undo) re-indexes nothing.
   */
  removeFolder: z.strictObject({ path: filePath }),
  /**
   * The sub-folders of a folder on the engine's machine (to choose a library folder in web
   * mode): `~` and relative paths start at the home folder; default: the home folder.
   */
  listDirectories: z.strictObject({ path: filePath.optional() }),
  /** Library folders with their state (online, polling, watching) and photo counts. */
  listFolders: z.strictObject({}),
  /**
   * Folder names the scan and the watcher skip in every library folder (NAS housekeeping, recycle
   * bins, snapshots), listed in each folder's left-out list; `defaults` is the built-in list.
   */
  skippedFolders: z.strictObject({}),
  /** Replaces the skipped folder names (exact names, any case); every folder is rescanned. */
  setSkippedFolders: z.strictObject({
    names: z.array(z.string().min(1).max(255)).max(200),
  }),
  /** Switches a folder between OS change events and polling. */
  setFolderPolling: z.strictObject({ path: filePath, polling: z.boolean() }),
  /** Stops starting new indexing batches (those running finish); the queue is kept. */
  pauseIndexing: z.strictObject({}),
  resumeIndexing: z.strictObject({}),
  /** The indexing queue: progress of the current run, queue length per priority, paused. */
  indexingStatus: z.strictObject({}),
  /**
   * Opts a library folder in (or, with mode "off", out) of having tags written back: "sidecar"
   * (XMP beside each photo; naming "full" photo.jpg.xmp as darktable/digiKam, "base" photo.xmp
   * as Lightroom) or "embedded" (into the file; pixels untouched). Clears a write error.
   */
  setTagWriting: z.strictObject({
    path: filePath,
    mode: z.enum(['off', 'sidecar', 'embedded']),
    naming: z.enum(['full', 'base']).default('full'),
  }),
  /** Writes tags now for the opted-in folders (or one): batched, resumable. */
  writeTags: z.strictObject({ folder: filePath.optional() }),
  /** Every photo's tags, own keywords and capture data, as JSON or CSV text. */
  exportTags: z.strictObject({
    format: z.enum(['json', 'csv']).default('json'),
    /** Only photos under this folder (absolute path). */
    folder: filePath.optional(),
  }),
} as const;

/** Why the active pack cannot be used (status degrades instead of failing). */
export interface PackProblem {
  /** The pack chosen in the data folder (null: none chosen, so the first found was wanted). */
  id: string | null;
  /** PACK_NOT_FOUND: none installed, or the chosen one missing; PACK_INVALID: damaged. */
  code: 'PACK_NOT_FOUND' | 'PACK_INVALID';
  /** Names the pack's folder and the file or field at fault. */
  message: string;
}

export interface StatusResult {
  dataDir: string;
  /** The active pack; null when it cannot be used (then `packProblem` says why). */
  pack: PackSummary | null;
  packProblem?: PackProblem;
  provider: string | null;
  photos: { total: number; indexed: number; failed: number };
  folders: string[];
  /** What had to be repaired or set aside on opening (a recovered catalogue, re-embedding…). */
  notices?: string[];
}

export interface IndexingStatus {
  progress: IndexProgress;
  paused: boolean;
  /** Files waiting, per priority lane (new photos first, then changed, then re-embedding). */
  queued: { new: number; changed: number; reembed: number };
}

export interface DirectoryListing {
  /** The folder listed (absolute, `~` expanded). */
  path: string;
  /** Its parent folder (null at the root). */
  parent: string | null;
  home: string;
  /** Its sub-folders, hidden ones aside, by name. */
  folders: { name: string; path: string }[];
  /** More sub-folders than listed. */
  more: boolean;
}

/** The library area's results, by method. */
export interface LibraryMethodResults {
  status: StatusResult;
  indexPaths: IndexReport;
  addFolder: FolderInfo;
  /** `photos`: how many photos left the library with the folder. */
  removeFolder: { removed: string; photos: number };
  listFolders: { folders: FolderInfo[] };
  skippedFolders: { names: string[]; defaults: string[] };
  setSkippedFolders: { names: string[]; defaults: string[]; folders: FolderInfo[] };
  listDirectories: DirectoryListing;
  setFolderPolling: FolderInfo;
  pauseIndexing: IndexingStatus;
  resumeIndexing: IndexingStatus;
  indexingStatus: IndexingStatus;
  setTagWriting: FolderInfo;
  writeTags: TagWriteReport;
  exportTags: { format: 'json' | 'csv'; photos: number; content: string };
}
