/**
 * The API contract's one entry point: every operation a UI, the CLI or a script can ask of the
 * engine, as input schemas (parsed once, by Api.call) and result types, plus the event map.
 * Transports are generic over this file; the renderer, CLI, server and Electron glue take their
 * types from here. Each area's schemas and result types live in contract/ (packs, library,
 * photos, search, vocabulary, browse, settings, events; shared fields in fields.ts); this file
 * assembles them. Result shapes made deeper in the engine (folders, progress, tags, packs) are
 * re-exported.
 */
import type { z } from 'zod';
import { AnytagError } from '../errors.js';
import { browseInputSchemas, type BrowseMethodResults } from './contract/browse.js';
import { libraryInputSchemas, type LibraryMethodResults } from './contract/library.js';
import { packInputSchemas, type PackMethodResults } from './contract/packs.js';
import { photoInputSchemas, type PhotoMethodResults } from './contract/photos.js';
import { searchInputSchemas, type SearchMethodResults } from './contract/search.js';
import { settingsInputSchemas, type SettingsMethodResults } from './contract/settings.js';
import { vocabularyInputSchemas, type VocabularyMethodResults } from './contract/vocabulary.js';

export { EXECUTION_PROVIDERS, type ExecutionProviderName } from '../model/execution-providers.js';
export type { IndexProgress, IndexReport } from '../library/indexer.js';
export type { FolderInfo } from '../library/folder-info.js';
export type { TermWhy } from '../index/search.js';
export type {
  ImportPackResult,
  InstalledPackResult,
  PackProgress,
  UsePackResult,
} from '../model/pack-results.js';
export type { ProviderAvailability } from '../model/session.js';
export type { OfficialDownloadSize } from '../model/official-download.js';
export type { Tag } from '../store/catalogue-schema.js';
export type {
  PhotoMetadataRecord as PhotoMetadata,
  TagWriting,
} from '../store/photo-metadata-schema.js';
export type { TagWriteReport } from '../library/tag-writer.js';
export type { FolderNode, FolderTree, FolderTreeRoot } from '../library/folder-tree.js';
export type { DayCount, MonthCount, PhotoDates, YearCount } from '../index/photo-dates.js';

export { PHOTO_SORTS, type PhotoPage, type PhotoSort } from './contract/browse.js';
export type { ApiEventName, ApiEvents } from './contract/events.js';
export type {
  DirectoryListing,
  IndexingStatus,
  PackProblem,
  StatusResult,
} from './contract/library.js';
export type { PackSummary } from './contract/packs.js';
export { PHOTO_STATES, type PhotoSummary, type PhotoTagsResult } from './contract/photos.js';
export {
  FEW_MATCHES,
  type SavedSearch,
  type SearchResult,
  type Suggestion,
} from './contract/search.js';
export { providerChoice, type RuntimeSettings } from './contract/settings.js';
export type {
  BulkFeedbackResult,
  CalibrationSummary,
  FeedbackResult,
  LabelChangeResult,
  LabelSummary,
  PreviewResult,
  ReviewItem,
  ThresholdSummary,
} from './contract/vocabulary.js';

/** Every method's input schema, by method name, area by area. */
export const apiInputSchemas = {
  ...packInputSchemas,
  ...libraryInputSchemas,
  ...photoInputSchemas,
  ...searchInputSchemas,
  ...vocabularyInputSchemas,
  ...browseInputSchemas,
  ...settingsInputSchemas,
} as const;

export type ApiMethod = keyof typeof apiInputSchemas;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputSchemas)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputSchemas)[M]>;

/** Every method's result type, by method name (each area's map in contract/). */
export interface ApiResults
  extends
    PackMethodResults,
    LibraryMethodResults,
    PhotoMethodResults,
    SearchMethodResults,
    VocabularyMethodResults,
    BrowseMethodResults,
    SettingsMethodResults {}

/** `name` as a contract method; NOT_FOUND naming the methods otherwise (the one such check). */
export function apiMethodOf(name: unknown): ApiMethod {
  if (typeof name === 'string' && Object.hasOwn(apiInputSchemas, name)) return name as ApiMethod;
  throw new AnytagError('NOT_FOUND', `Unknown method "${String(name)}"`, {
    methods: Object.keys(apiInputSchemas),
  });
}
