/**
 * The API contract: every operation a UI, the CLI or a script can ask of the engine, as input
 * schemas (parsed once at the transport boundary) and result types, plus the event map.
 * Transports are generic over this file; the renderer imports its types only.
 */
import { z } from 'zod';
import type { IndexProgress } from './index/indexer.js';
import type { FolderInfo } from './library/library.js';
import type { Tag } from './store/catalogue-schema.js';
import type { TermWhy } from './index/search.js';
import { vocabularyInputSchemas, type VocabularyResults } from './vocab/vocabulary-contract.js';
import { listPhotosInput, type PhotoPage } from './app-support/photo-list.js';
import {
  runtimeSettingsInputs,
  type RuntimeSettingsResults,
} from './app-support/runtime-settings.js';
import { packInputSchemas, type PackProgress, type PackResults } from './model/pack-contract.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const apiInputSchemas = {
  status: z.strictObject({}),
  /** Installed packs: bundled ones first, then those added to the data folder. */
  listPacks: z.strictObject({}),
  ...packInputSchemas,
  /** Folders (scanned recursively) or single image files. */
  indexPaths: z.strictObject({ paths: z.array(text(4096)).min(1).max(1000) }),
  /** Words and "phrases", AND by default, OR, -word / NOT, ( ); folder:, after:, before:. */
  search: z.strictObject({
    query: text(500),
    limit: z.number().int().min(1).max(10_000).default(50),
    /** Only photos under these folders (absolute paths). */
    folders: z.array(text(4096)).max(100).default([]),
    /** Only photos taken (or, lacking that, modified) on or after / before these dates. */
    after: z.iso.date().or(z.iso.datetime()).optional(),
    before: z.iso.date().or(z.iso.datetime()).optional(),
    /** Drop weaker results (photos that miss some word's threshold). */
    matchedOnly: z.boolean().default(false),
  }),
  photoTags: z.strictObject({
    /** A photo id or an absolute path in the catalogue. */
    photo: text(4096),
    /** Extra (unseen) labels to score against this photo. */
    labels: z.array(text(100)).max(50).default([]),
  }),
  /** Adds a library folder: scanned now, then watched. `polling` for network drives. */
  addFolder: z.strictObject({ path: text(4096), polling: z.boolean().default(false) }),
  /** Removes a library folder: its photos leave the catalogue (the files are not touched). */
  removeFolder: z.strictObject({ path: text(4096) }),
  /** Library folders with their state (online, polling, watching) and photo counts. */
  listFolders: z.strictObject({}),
  /** Switches a folder between OS change events and polling. */
  setFolderPolling: z.strictObject({ path: text(4096), polling: z.boolean() }),
  /** Stops starting new indexing batches (those running finish); the queue is kept. */
  pauseIndexing: z.strictObject({}),
  resumeIndexing: z.strictObject({}),
  /** The indexing queue: progress of the current run, queue length per priority, paused. */
  indexingStatus: z.strictObject({}),
  ...vocabularyInputSchemas,
  /** The catalogue page by page, newest file first (the gallery when nothing is searched). */
  listPhotos: listPhotosInput,
  ...runtimeSettingsInputs,
} as const;

export type ApiMethod = keyof typeof apiInputSchemas;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputSchemas)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputSchemas)[M]>;

export interface PackSummary {
  id: string;
  name: string;
  dir: string;
  k: number;
  d: number;
  labels?: number;
  problem?: string;
  /** Shipped with the app (cannot be removed), and whether it is the active pack. */
  bundled?: boolean;
  active?: boolean;
}

export interface PhotoSummary {
  id: string;
  path: string;
  /** offline: its folder is unreachable (e.g. an unplugged drive); tags are kept. */
  state: 'pending' | 'indexed' | 'error' | 'offline';
  width?: number;
  height?: number;
  error?: { code: string; message: string };
}

export interface StatusResult {
  dataDir: string;
  pack: PackSummary | null;
  provider: string | null;
  photos: { total: number; indexed: number; failed: number };
  folders: string[];
  /** What had to be repaired or set aside on opening (a recovered catalogue, re-embedding…). */
  notices?: string[];
}

export interface SearchResult {
  query: string;
  hits: (PhotoSummary & {
    score: number;
    /** Passes every word's threshold (false: a weaker result, ranked after the matches). */
    matched: boolean;
    /** Per term: its score, threshold, the label (and alias) and matrix row that matched. */
    why: TermWhy[];
  })[];
}

export interface PhotoTagsResult {
  photo: PhotoSummary;
  pack: string;
  /** Seen labels as materialised in the catalogue. */
  tags: Tag[];
  /** The extra labels asked for, scored now (seen: false unless they are pack labels). */
  extra: Tag[];
}

export type { FolderInfo };

export interface IndexingStatus {
  progress: IndexProgress;
  paused: boolean;
  /** Files waiting, per priority lane (new photos first, then changed, then re-embedding). */
  queued: { new: number; changed: number; reembed: number };
}

export interface ApiResults extends VocabularyResults, PackResults {
  status: StatusResult;
  listPacks: { packs: PackSummary[] };
  indexPaths: IndexProgress;
  search: SearchResult;
  photoTags: PhotoTagsResult;
  addFolder: FolderInfo;
  removeFolder: { removed: string };
  listFolders: { folders: FolderInfo[] };
  setFolderPolling: FolderInfo;
  pauseIndexing: IndexingStatus;
  resumeIndexing: IndexingStatus;
  indexingStatus: IndexingStatus;
  listPhotos: PhotoPage;
  runtimeSettings: RuntimeSettingsResults['runtimeSettings'];
  setRuntimeSettings: RuntimeSettingsResults['setRuntimeSettings'];
}

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
