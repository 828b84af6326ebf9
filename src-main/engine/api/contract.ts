/**
 * The API contract, in one file: every operation a UI, the CLI or a script can ask of the engine,
 * as input schemas (parsed once, by Api.call) and result types, plus the event map. Transports are
 * generic over this file; the renderer, CLI, server and Electron glue take their types from here.
 * Result shapes made deeper in the engine (folders, progress, tags, packs) are re-exported.
 */
import { z } from 'zod';
import { isReservedId } from '../store/keyed-record.js';
import { AnytagError } from '../errors.js';
import { isTakenPeriod } from '../index/query.js';
import type { IndexProgress, IndexReport } from '../library/indexer.js';
import type { FolderInfo } from '../library/folder-info.js';
import type { TermWhy } from '../index/search.js';
import type { LabelRanking } from '../index/label-ranking.js';
import { EXECUTION_PROVIDERS, type ExecutionProviderName } from '../model/execution-providers.js';
import type {
  ImportPackResult,
  InstalledPackResult,
  PackProgress,
  UsePackResult,
} from '../model/pack-results.js';
import type { ProviderAvailability } from '../model/session.js';
import type { OfficialDownloadSize } from '../model/official-download.js';
import type { LabelEntry } from '../vocab/label-entry.js';
import type { Tag } from '../store/catalogue-schema.js';
import type { PhotoMetadataRecord, TagWriting } from '../store/photo-metadata-schema.js';
import type { TagWriteReport } from '../library/tag-writer.js';
import type { FolderNode, FolderTree, FolderTreeRoot } from '../library/folder-tree.js';
import type { DayCount, MonthCount, PhotoDates, YearCount } from '../index/photo-dates.js';

export { EXECUTION_PROVIDERS };
export type {
  DayCount,
  ExecutionProviderName,
  FolderInfo,
  FolderNode,
  FolderTree,
  FolderTreeRoot,
  MonthCount,
  PhotoDates,
  YearCount,
  ImportPackResult,
  IndexProgress,
  IndexReport,
  InstalledPackResult,
  OfficialDownloadSize,
  PackProgress,
  PhotoMetadataRecord as PhotoMetadata,
  ProviderAvailability,
  Tag,
  TagWriteReport,
  TagWriting,
  TermWhy,
  UsePackResult,
};

/**
 * The gallery's orders (listPhotos `sort`): capture time newest / oldest first, file time newest
 * first, file name, or folder by folder. The first is the default.
 */
export const PHOTO_SORTS = ['taken-desc', 'taken-asc', 'modified', 'name', 'folder'] as const;

/** A photo's states (PhotoSummary `state`): listPhotos can show one only. */
export const PHOTO_STATES = ['pending', 'indexed', 'error', 'offline'] as const;

/**
 * A capture period (the date browser's, and the query's `taken:`): a year YYYY, a month YYYY-MM,
 * a day YYYY-MM-DD, or "none" (photos that name no capture date).
 */
const takenPeriod = z
  .string()
  .refine(isTakenPeriod, 'a year, month or day (2024, 2024-05, 2024-05-17) or "none"');

/** Trimmed text of 1..max characters, refused in words a user reads (the UI shows them). */
const text = (max: number) =>
  z.string().trim().min(1, 'is empty').max(max, `is longer than ${max} characters`);
/**
 * A file or folder path exactly as given: never trimmed (a folder name may end in a space, and
 * names may hold tabs or newlines), only refused when empty or blank.
 */
const filePath = z
  .string()
  .max(4096)
  .refine((value) => value.trim().length > 0, 'a path (not empty or blank)');
/** A label by its key, shown name or one of its aliases. */
const label = text(100);
const packId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a pack id: lowercase letters, digits, ".", "_" or "-"')
  .refine((id) => !isReservedId(id), 'a pack id, not a reserved name ("constructor", …)');
/** An execution provider, or "auto" (the best this platform offers). */
export const providerChoice = z.enum(['auto', ...EXECUTION_PROVIDERS]);

export const apiInputSchemas = {
  status: z.strictObject({}),
  /** Installed packs: bundled ones first, then those added to the data folder. */
  listPacks: z.strictObject({}),

  /**
   * Installs a pack from disk: a pack folder, an .onnx file with a pack.json beside it naming
   * it, or an official SDL checkpoint (.pth), converted. `id`/`name` apply to checkpoints.
   */
  importPack: z.strictObject({
    path: filePath,
    id: packId.optional(),
    name: z.string().trim().min(1).max(200).optional(),
  }),
  /** Downloads the authors' SDL checkpoint (resuming a broken download), then converts it. */
  downloadOfficialModel: z.strictObject({
    /** Another address for the same file (a mirror); default: the official one. */
    url: z.url({ protocol: /^https?$/ }).optional(),
  }),
  /**
   * What downloading the official model costs before it starts: its size (pinned, or the
   * server's answer; null when unknown) and the bytes an earlier broken download left to resume.
   */
  officialModelDownload: z.strictObject({
    url: z.url({ protocol: /^https?$/ }).optional(),
  }),
  /**
   * Stops the download (or conversion) of the official model in flight: it fails with
   * CANCELLED and leaves nothing (no partial file, no pack). `cancelled`: one was running.
   */
  cancelPackDownload: z.strictObject({}),
  /** Makes an installed pack the active one; the library re-embeds in the background. */
  usePack: z.strictObject({ id: packId }),
  /** Deletes a pack the user added (never a bundled one, never the active one). */
  removePack: z.strictObject({ id: packId }),
  /** Folders (scanned recursively) or single image files. */
  indexPaths: z.strictObject({ paths: z.array(filePath).min(1).max(1000) }),
  /** Words and "phrases", AND by default, OR, -word / NOT, ( ); folder:, after:, before:. */
  search: z.strictObject({
    query: text(500),
    limit: z.number().int().min(1).max(10_000).default(50),
    /** Only photos under these folders (absolute paths). */
    folders: z.array(filePath).max(100).default([]),
    /** Only photos taken (or, lacking that, modified) on or after / before these dates. */
    after: z.iso.date().or(z.iso.datetime()).optional(),
    before: z.iso.date().or(z.iso.datetime()).optional(),
    /** Only photos taken in this year, month or day (or with no capture date: "none"). */
    taken: takenPeriod.optional(),
    /** Drop weaker results (photos that miss some word's threshold). */
    matchedOnly: z.boolean().default(false),
  }),
  photoTags: z.strictObject({
    /** A photo id or an absolute path in the catalogue. */
    photo: filePath,
    /** Extra (unseen) labels to score against this photo. */
    labels: z.array(text(100)).max(50).default([]),
  }),
  /**
   * "More like this": the photos nearest one photo by their stored matrices (no model run),
   * best first, the photo itself left out.
   */
  similarPhotos: z.strictObject({
    /** A photo id or an absolute path in the catalogue. */
    photo: text(4096),
    limit: z.number().int().min(1).max(2000).default(50),
  }),
  /**
   * Every seen label of the active pack ranked against one photo, no threshold applied: a
   * catalogued photo's stored matrix, or an image file (absolute path) run through the model now
   * without adding it to the library. `labels`: extra (unseen) labels scored too.
   */
  rankLabels: z.strictObject({
    photo: filePath,
    limit: z.number().int().min(1).max(100_000).optional(),
    labels: z.array(text(100)).max(50).default([]),
  }),
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

  /** Labels of the active pack's vocabulary, seen and the user's, with thresholds and counts. */
  listLabels: z.strictObject({
    /** Include hidden labels (and seen labels merged into others as aliases). */
    hidden: z.boolean().default(false),
    kind: z.enum(['all', 'seen', 'user']).default('all'),
    /** Only labels whose name or an alias contains this text. */
    filter: z.string().trim().max(100).optional(),
    limit: z.number().int().min(1).max(100_000).default(5000),
  }),
  /** Adds a user label (a word or phrase), with optional aliases; tags the library at once. */
  addLabel: z.strictObject({ text: label, aliases: z.array(label).max(50).default([]) }),
  /** Removes a user label and its tags; a seen label is hidden instead (never lost). */
  removeLabel: z.strictObject({ label }),
  /** Renames a label: a seen label's shown name, or a user label's words (and so its meaning). */
  renameLabel: z.strictObject({ label, to: label }),
  /** Hides a label from tags and lists (hidden: false shows it again). */
  hideLabel: z.strictObject({ label, hidden: z.boolean().default(true) }),
  /** Combines a synonym into a label (or, with remove, takes it off). An alias naming another
   *  label merges that label into this one. */
  aliasLabel: z.strictObject({ label, alias: label, remove: z.boolean().default(false) }),
  /** Sets a label's threshold by hand; null returns it to the calibrated value. */
  setLabelThreshold: z.strictObject({
    label,
    threshold: z.number().min(-1000).max(1000).nullable(),
  }),
  /** The photos a label (new or existing) would tag, without saving anything. */
  previewLabel: z.strictObject({
    text: label,
    aliases: z.array(label).max(50).default([]),
    /** Preview with this threshold instead of the calibrated one. */
    threshold: z.number().min(-1000).max(1000).optional(),
    limit: z.number().int().min(1).max(10_000).default(50),
    /** Also return up to this many of the best photos below the threshold (`nearest`). */
    nearest: z.number().int().min(0).max(1000).default(0),
  }),
  /** Thumbs-up or -down on a photo's tag (clear takes the vote back); moves the threshold. */
  tagFeedback: z.strictObject({
    /** A photo id or an absolute path in the catalogue. */
    photo: filePath,
    label,
    vote: z.enum(['up', 'down', 'clear']),
  }),
  /**
   * One vote on one label for many photos (bulk add / remove a label; Undo): the votes are
   * recorded, then the library is re-tagged once. `previous` in the result is for Undo.
   */
  labelPhotos: z.strictObject({
    /** Photo ids or absolute paths in the catalogue. */
    photos: z.array(text(4096)).min(1).max(10_000),
    label,
    vote: z.enum(['up', 'down', 'clear']),
  }),
  /**
   * Photo–label pairs closest to the label's threshold (where a vote teaches most), for the
   * user's labels or one label; pairs already voted on are left out.
   */
  reviewQueue: z.strictObject({
    label: label.optional(),
    limit: z.number().int().min(1).max(1000).default(50),
  }),
  /** Saved searches (smart albums), each with how many photos match it now. */
  listSavedSearches: z.strictObject({}),
  /** Saves a search as a smart album (again: renames it). */
  saveSearch: z.strictObject({ query: text(500), name: text(100).optional() }),
  removeSavedSearch: z.strictObject({ query: text(500) }),
  /** Recalibrates every label's threshold from the library and re-tags every photo. */
  recalibrate: z.strictObject({}),
  /** Search-bar completions: labels (names and aliases), then any known word, by prefix. */
  suggest: z.strictObject({
    prefix: z.string().trim().min(1).max(100),
    limit: z.number().int().min(1).max(100).default(10),
  }),
  /** The catalogue page by page, newest taken first (the gallery when nothing is searched). */
  listPhotos: z.strictObject({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(100_000).default(1000),
    /** Only photos under this folder (absolute path). */
    folder: filePath.optional(),
    /** Only photos taken in this year, month or day (or with no capture date: "none"). */
    taken: takenPeriod.optional(),
    /**
     * taken-desc / taken-asc: by capture time, newest / oldest first (the file's time when the
     * photo has none); modified: by file time, newest first; name: by file name (numbers in
     * order); folder: by full path, folder by folder.
     */
    sort: z.enum(PHOTO_SORTS).default('taken-desc'),
    /** Only photos in this state (error: the unreadable ones, each with its reason). */
    state: z.enum(PHOTO_STATES).optional(),
  }),
  /**
   * The folder browser: each library folder with its sub-folders that hold photos, nested, with
   * photo counts (sub-folders included), offline and unreadable counts, and whether it is online.
   */
  folderTree: z.strictObject({}),
  /**
   * The date browser: photo counts per capture year, month and day, newest first, and how many
   * photos name no capture date; optionally only under one folder (absolute path).
   */
  photoDates: z.strictObject({ folder: filePath.optional() }),
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

  /** The execution provider and threads: chosen, in use, and the choices on this platform. */
  runtimeSettings: z.strictObject({}),
  /** Chooses the execution provider and/or threads (0: onnxruntime's choice). */
  setRuntimeSettings: z.strictObject({
    provider: providerChoice.optional(),
    threads: z.number().int().min(0).max(256).optional(),
  }),
} as const;

export type ApiMethod = keyof typeof apiInputSchemas;
/** The gallery's orders (listPhotos). */
export type PhotoSort = z.output<typeof apiInputSchemas.listPhotos>['sort'];
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
  state: (typeof PHOTO_STATES)[number];
  width?: number;
  height?: number;
  /** File size in bytes. */
  size?: number;
  /** The gallery's date order key: capture time, else the file's time (ms since 1970). */
  takenMs?: number;
  error?: { code: string; message: string };
  /** Indexed although the file is damaged (a lenient decode showed it): the decoder's reason. */
  damaged?: string;
  /** What the photo says about itself: capture time (and its source), camera, keywords, … */
  meta?: PhotoMetadataRecord;
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

/** Below this many matches an answer shows the closest weaker photos unasked. */
export const FEW_MATCHES = 3;

export interface SearchResult {
  query: string;
  /** Photos (within the filters) that match the whole query; `hits` lists them first. */
  matches: number;
  /** Photos (within the filters) a NOT term (`-word`) removed. */
  excluded: number;
  /** Words left out of the query as stopwords ("a", "the", "in" …). */
  dropped: string[];
  /**
   * Fewer than FEW_MATCHES matches: show the closest weaker photos too, apart from the matches
   * ("No photo matches 'owl' — closest:"). With more, show them only on request.
   */
  fewMatches: boolean;
  /**
   * The ranking: the matches (`matched: true`), then, up to `limit`, the closest photos that
   * miss some word's threshold (`matched: false`), never a photo a NOT removed.
   */
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

export interface IndexingStatus {
  progress: IndexProgress;
  paused: boolean;
  /** Files waiting, per priority lane (new photos first, then changed, then re-embedding). */
  queued: { new: number; changed: number; reembed: number };
}

export interface ApiResults {
  listLabels: {
    labels: LabelSummary[];
    total: number;
    calibration: { prior: number; photos: number; at: string } | null;
  };
  addLabel: LabelChangeResult;
  removeLabel: LabelChangeResult & {
    /** The label itself is gone (a user label). */
    removed: boolean;
    /** What changed: the label removed, a seen label hidden, or an alias taken off `label`. */
    change: 'removed' | 'hidden' | 'alias removed';
    /** The alias taken off, for 'alias removed'. */
    alias?: string;
  };
  renameLabel: LabelChangeResult;
  hideLabel: LabelChangeResult;
  aliasLabel: LabelChangeResult;
  setLabelThreshold: LabelChangeResult;
  previewLabel: PreviewResult;
  tagFeedback: FeedbackResult;
  labelPhotos: BulkFeedbackResult;
  reviewQueue: { items: ReviewItem[] };
  listSavedSearches: { searches: SavedSearch[] };
  saveSearch: { searches: SavedSearch[] };
  removeSavedSearch: { searches: SavedSearch[] };
  recalibrate: CalibrationSummary;
  suggest: { suggestions: Suggestion[] };
  importPack: ImportPackResult;
  downloadOfficialModel: ImportPackResult;
  officialModelDownload: OfficialDownloadSize;
  cancelPackDownload: { cancelled: boolean };
  usePack: UsePackResult;
  removePack: { removed: string };
  status: StatusResult;
  listPacks: { packs: PackSummary[] };
  indexPaths: IndexReport;
  search: SearchResult;
  photoTags: PhotoTagsResult;
  similarPhotos: { photo: PhotoSummary; hits: (PhotoSummary & { score: number })[] };
  rankLabels: LabelRanking;
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
  listPhotos: PhotoPage;
  folderTree: FolderTree;
  photoDates: PhotoDates;
  setTagWriting: FolderInfo;
  writeTags: TagWriteReport;
  exportTags: { format: 'json' | 'csv'; photos: number; content: string };
  runtimeSettings: RuntimeSettings;
  setRuntimeSettings: RuntimeSettings;
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

export interface ThresholdSummary {
  /** In force: the calibrated (or manual) value moved by votes. */
  value: number;
  calibrated: number;
  manual?: number;
  votes: { up: number; down: number };
}

export interface LabelSummary extends Pick<
  LabelEntry,
  'key' | 'name' | 'kind' | 'aliases' | 'hidden' | 'aliasOf' | 'specificity'
> {
  threshold: ThresholdSummary | null;
  /** Photos tagged with it now. */
  tagged: number;
  /** Who added it (pack, user) or last changed it, and when. */
  provenance: { by: string; at: string };
}

export interface LabelChangeResult {
  label: LabelSummary;
  /** Photos whose tags changed. */
  retagged: number;
}

export interface PreviewResult {
  text: string;
  /** An existing label's name, when the text names one. */
  label?: string;
  threshold: number;
  calibrated: number | null;
  /** Photos at or above the threshold. */
  matches: number;
  photos: (PhotoSummary & { score: number; row: number })[];
  /** The best photos below the threshold, best first (as many as the input's `nearest`). */
  nearest: (PhotoSummary & { score: number; row: number })[];
}

export interface FeedbackResult {
  label: LabelSummary;
  photo: PhotoSummary;
  vote: 'up' | 'down' | 'clear';
  score: number;
  threshold: { before: number | null; after: number | null };
  retagged: number;
}

export interface SavedSearch {
  query: string;
  name: string;
  /** Photos that match it now (every word's threshold passed); null when it cannot run. */
  matches: number | null;
}

export interface ReviewItem extends PhotoSummary {
  /** The label's shown name. */
  label: string;
  score: number;
  threshold: number;
  /** The photo carries the label now (score at or above the threshold). */
  tagged: boolean;
}

export interface BulkFeedbackResult {
  label: LabelSummary;
  vote: 'up' | 'down' | 'clear';
  /** Photos voted on. */
  photos: number;
  /** Each photo's vote on the label before this call (null: none), for Undo. */
  previous: { photo: string; vote: 'up' | 'down' | null }[];
  threshold: { before: number | null; after: number | null };
  /** Photos whose tags changed. */
  retagged: number;
}

export interface CalibrationSummary {
  /** τ₀: the pack-wide floor every label's threshold starts from. */
  prior: number;
  photos: number;
  sampled: number;
  labels: number;
  seconds: number;
  retagged: number;
}

export interface Suggestion {
  text: string;
  kind: 'label' | 'word';
  /** For a label's alias: the label it belongs to. */
  label?: string;
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

export interface PhotoPage {
  total: number;
  offset: number;
  photos: PhotoSummary[];
}

export interface RuntimeSettings {
  provider: ExecutionProviderName | 'auto';
  threads: number;
  /** What the running model session uses (null: no session yet). */
  inUse: { provider: string | null };
  /** Providers worth offering here that can start, best first ("auto" tries them in order). */
  choices: ExecutionProviderName[];
  /** Every provider Anytag knows, and whether this installation can start it (else why not). */
  providers: ProviderAvailability[];
  /** The choice differs from the running session's: it applies at the next start. */
  restartNeeded: boolean;
}

/** `name` as a contract method; NOT_FOUND naming the methods otherwise (the one such check). */
export function apiMethodOf(name: unknown): ApiMethod {
  if (typeof name === 'string' && Object.hasOwn(apiInputSchemas, name)) return name as ApiMethod;
  throw new AnytagError('NOT_FOUND', `Unknown method "${String(name)}"`, {
    methods: Object.keys(apiInputSchemas),
  });
}
