/** How an Engine is opened (Engine.open): its data folder, packs, model runtime and library. */
import type { LibraryOptions } from './library/library.js';
import type { ExecutionProviderName } from './model/execution-providers.js';
import type { DataFolderAccess } from './store/data-folder.js';

export interface EngineOptions {
  dataDir: string;
  /** Folders holding pack folders, searched in order; the data folder's packs/ is added last. */
  packRoots: string[];
  /** Pack id to use; default: the catalogue's active pack, else the first installed. */
  packId?: string;
  provider?: ExecutionProviderName | 'auto';
  threads?: number;
  /** Worker threads for indexing (each with its own model session); 0: on this thread.
   *  Default: 1 when the compiled worker exists (out/node), else 0 (TypeScript sources). */
  indexWorkers?: number;
  /** Make thumbnails while indexing (default true). */
  thumbnails?: boolean;
  /** Scan and watch the library folders from the start (the app; not the CLI). */
  watch?: boolean;
  /**
   * Load query reading's lexicon (the lemmatizer's, on its worker thread) in the background
   * when a pack is activated, so the first search finds it ready (default true). A command
   * that reads no query (`anytag index`) passes false: it would be a second of CPU for
   * nothing; the lexicon still loads on first use. The pack's word table is then hash-checked
   * on first read too, not at load (model/pack.ts wordTableCheckedOnUse).
   */
  prepareQueries?: boolean;
  /**
   * Tagging's full calibrations wait while photos keep coming, and only the last one due is
   * done (index/deferred-calibration.ts): the same thresholds and tags at the end, without
   * recalibrating the whole library each time it grows by a quarter. For a bulk run that
   * nobody watches in between (`anytag index`); the app tags new photos as they come.
   */
  deferCalibration?: boolean;
  library?: LibraryOptions;
  /** Catalogue changes are written at most this often (default 1000 ms). */
  catalogueDebounceMs?: number;
  /**
   * 'write' (default): take the data folder's writer lock or fail with DATA_FOLDER_BUSY;
   * 'auto': the lock if free, else read-only (also when the folder is not writable);
   * 'read': read-only, no lock. See store/data-folder.ts.
   */
  access?: DataFolderAccess;
  /** Who this is, for the lock's holder record ("anytag serve"); default "anytag". */
  command?: string;
}
