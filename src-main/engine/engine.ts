/**
 * The engine: one object owning the catalogue, the active model pack, its session and the
 * embedding store. Transports (CLI, HTTP, Electron IPC) reach it only through api/api.ts.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { AnytagError } from './errors.js';
import { thumbnailDir } from './image/thumbnails.js';
import type { IndexProgress, IndexReport } from './library/indexer.js';
import type { SearchIndex } from './index/search-index.js';
import { Library, type LibraryEvents, type LibraryOptions } from './library/library.js';
import { TagWriter } from './library/tag-writer.js';
import { Embedder } from './workers/embedder.js';
import type { ExecutionProviderName } from './model/execution-providers.js';
import { loadPack, type ModelPack } from './model/pack.js';
import { findPack, listPacks, type PackEntry } from './model/pack-registry.js';
import { ModelSession } from './model/session.js';
import { Catalogue } from './store/catalogue.js';
import { openDataFolder, type DataFolderAccess, type DataFolderHold } from './store/data-folder.js';

// What transports need of the data folder's lock: how to ask for it, and who holds it.
export type { DataFolderAccess } from './store/data-folder.js';
export { writerOf, type WriterInfo } from './store/writer-lock.js';
import type { EmbeddingStore } from './store/embedding-store.js';
import { PackEmbeddings } from './index/pack-embeddings.js';
import { applyPackChange } from './index/pack-change.js';
import { checkPackFingerprint } from './index/pack-fingerprint.js';
import { TermVectors } from './vocab/term-vectors.js';
import { Tagging } from './index/tagging.js';
import { Vocabulary } from './vocab/vocabulary.js';
import { endExiftool } from './image/exiftool.js';
import { lemmatizer } from './vocab/word-forms.js';
import { InProcessRunner } from './workers/in-process-runner.js';
import type { IndexRunner } from './workers/index-job.js';
import { WorkerPoolRunner, workerFile } from './workers/worker-pool-runner.js';

/** Tags are written back once indexing has been quiet this long (ms). */
const TAG_WRITE_QUIET_MS = 5000;
/** A pass that found busy files runs again this many times at most before the next change. */
const TAG_WRITE_RETRIES = 12;

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

export interface ActivePack {
  pack: ModelPack;
  terms: TermVectors;
  readonly store: EmbeddingStore;
  searchIndex: SearchIndex;
  embeddings: PackEmbeddings;
  /** Labels, aliases, thresholds and votes for this pack; tagging keeps photos' tags in step. */
  vocabulary: Vocabulary;
  tagging: Tagging;
}

export class Engine {
  private active: ActivePack | undefined;
  /** The one load of the active pack: every caller awaits the same promise (no double load). */
  private activeLoading: Promise<ActivePack> | undefined;
  private session: ModelSession | undefined;
  private runner: IndexRunner | undefined;
  private libraryOpening: Promise<Library> | undefined;
  /** Set by switchPack: the pack chosen at run time (over options.packId), already loaded. */
  private chosen: { id: string; pack?: ModelPack } | undefined;
  /** What the engine had to repair or set aside, in words (the CLI prints them; status has them). */
  readonly notices: string[] = [];
  /** The library's events (photoIndexed, indexProgress, folderChanged, …), whenever it opens. */
  readonly libraryEvents = new EventEmitter<LibraryEvents>();
  /** Writes tags back for folders that opted in; one pass at a time. */
  readonly tagWriter: TagWriter;
  private tagWriteTimer: NodeJS.Timeout | undefined;
  private tagWriting: Promise<unknown> = Promise.resolve();
  private closing = false;

  private constructor(
    readonly options: EngineOptions,
    readonly catalogue: Catalogue,
    /** The writer lock held, or why this engine is read-only. */
    readonly dataFolder: DataFolderHold,
  ) {
    this.tagWriter = new TagWriter(
      catalogue,
      options.thumbnails === false ? undefined : thumbnailDir(options.dataDir),
    );
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const dataFolder = await openDataFolder(options.dataDir, {
      access: options.access ?? 'write',
      command: options.command ?? 'anytag',
    });
    let catalogue: Catalogue;
    try {
      catalogue = await Catalogue.open(options.dataDir, {
        debounceMs: options.catalogueDebounceMs,
        readOnly: dataFolder.readOnly !== null,
      });
    } catch (error) {
      await dataFolder.lock?.release();
      throw error;
    }
    const engine = new Engine(options, catalogue, dataFolder);
    const loaded = catalogue.loadReport;
    if (loaded.recoveredFrom) {
      engine.notices.push(
        `The catalogue was unreadable (${loaded.problem}) and was recovered from ${loaded.recoveredFrom}: ${loaded.lost}`,
      );
    }
    // A long-running engine reads every photo record in the background (in slices that give
    // the thread back), so the gallery's and search's first walk over them does not block.
    if (options.watch) void catalogue.warmPhotos().catch(() => undefined);
    // A read-only engine (busy or unwritable folder) serves what is stored; it never indexes.
    if (options.watch && !dataFolder.readOnly) {
      // Reconciling walks every photo of each folder: it starts once they are read.
      void Promise.all([engine.library(), catalogue.warmPhotos()]).then(
        ([library]) => library.startWatching(),
        () => undefined, // no pack yet: the library opens on the first call that needs it
      );
    }
    return engine;
  }

  /**
   * Where verified pack-file hashes are remembered (model/verified-hashes.ts); undefined for a
   * read-only library, which writes nothing in the data folder (its packs are hashed each start).
   * The engine checks a pack's hashes once; index workers load it with hashesChecked.
   */
  get hashCache(): string | undefined {
    if (this.catalogue.readOnly) return undefined;
    return path.join(this.options.dataDir, 'cache', 'pack-hashes.json');
  }

  get packRoots(): string[] {
    return [...this.options.packRoots, path.join(this.options.dataDir, 'packs')];
  }

  async packs(): Promise<PackEntry[]> {
    return listPacks(this.packRoots);
  }

  /**
   * Loads the active pack, its embedding store and its in-memory search index, once: callers
   * that come while it loads share the one load (a second load would give the library and the
   * search different indexes, and search would never see what the library indexes).
   */
  activePack(): Promise<ActivePack> {
    if (this.active) return Promise.resolve(this.active);
    this.activeLoading ??= this.loadActivePack().finally(() => {
      this.activeLoading = undefined;
    });
    return this.activeLoading;
  }

  private async loadActivePack(): Promise<ActivePack> {
    const id = this.selectedPackId;
    const preloaded = this.chosen?.pack;
    if (this.chosen) this.chosen = { id: this.chosen.id };
    const pack =
      preloaded ??
      (await loadPack((await findPack(this.packRoots, id)).dir, {
        hashCache: this.hashCache,
        // A command that reads no query checks the word table's hash only if it reads it.
        wordTableCheckedOnUse: this.options.prepareQueries === false,
      }));
    const { k, d } = pack.manifest.output;
    const readOnly = this.catalogue.readOnly;
    const fingerprint = await checkPackFingerprint(this.options.dataDir, pack, { readOnly });
    const embeddings = await PackEmbeddings.open(
      this.options.dataDir,
      this.catalogue,
      pack.manifest.id,
      k,
      d,
      pack.manifest.model.sha256,
      (message) => this.notices.push(message),
      fingerprint.reembed && !readOnly ? fingerprint.described : undefined,
    );
    const terms = new TermVectors(pack);
    // Query reading's helpers, in the background: the lemmatizer's lexicon (loaded on its worker
    // thread) and, for a long-lived engine (the app, serve), spelling suggestions (built in
    // slices that yield). A one-shot CLI command keeps the word table unread until a word needs
    // it: an unknown word's suggestions then wait for the index (api/unknown-words.ts).
    if (this.options.watch) void pack.wordTable.prepareSpelling().catch(() => undefined);
    if (this.options.prepareQueries ?? true) lemmatizer.prepare();
    const vocabulary = new Vocabulary(this.catalogue.vocabulary, pack, terms, () =>
      this.catalogue.vocabularyChanged(),
    );
    this.active = {
      pack,
      terms,
      vocabulary,
      tagging: new Tagging(this.catalogue, embeddings.searchIndex, vocabulary, {
        deferCalibration: this.options.deferCalibration ?? false,
      }),
      get store() {
        return embeddings.store;
      },
      searchIndex: embeddings.searchIndex,
      embeddings,
    };
    await applyPackChange(fingerprint, {
      packId: pack.manifest.id,
      catalogue: this.catalogue,
      searchIndex: embeddings.searchIndex,
      tagging: this.active.tagging,
      notify: (message) => this.notices.push(message),
    });
    return this.active;
  }

  /** The library (folders, queue, watchers) on the active pack, opened once. */
  library(): Promise<Library> {
    this.libraryOpening ??= this.openLibrary().catch((error: unknown) => {
      this.libraryOpening = undefined;
      throw error;
    });
    return this.libraryOpening;
  }

  private async openLibrary(): Promise<Library> {
    const { pack, embeddings, tagging } = await this.activePack();
    this.runner = await this.createRunner(pack);
    const library = new Library(this.catalogue, embeddings, this.runner, {
      ...(this.options.thumbnails === false
        ? {}
        : { thumbDir: thumbnailDir(this.options.dataDir) }),
      ...this.options.library,
    });
    const events = this.libraryEvents;
    library.on('photoIndexed', (photo, matrix) => {
      tagging.photoIndexed(photo, matrix);
      events.emit('photoIndexed', photo);
      this.scheduleTagWrite();
    });
    library.on('photoRemoved', (photo) => events.emit('photoRemoved', photo));
    library.on('indexProgress', (progress) => events.emit('indexProgress', progress));
    library.on('folderChanged', (folder) => events.emit('folderChanged', folder));
    return library;
  }

  private async createRunner(pack: ModelPack): Promise<IndexRunner> {
    // The runner embeds only: the vocabulary (tagging) tags each photo on arrival.
    const thumbs = {
      ...(this.options.thumbnails === false
        ? {}
        : { thumbDir: thumbnailDir(this.options.dataDir) }),
    };
    const workers = this.options.indexWorkers ?? (workerFile() ? 1 : 0);
    if (workers > 0) {
      return WorkerPoolRunner.start(
        {
          packDir: pack.dir,
          provider: this.options.provider ?? 'auto',
          threads: this.options.threads ?? 0,
          ...thumbs,
        },
        workers,
      );
    }
    const embedder = await this.embedder();
    return new InProcessRunner(pack, embedder.session, thumbs);
  }

  async embedder(): Promise<Embedder> {
    const { pack } = await this.activePack();
    this.session ??= await ModelSession.create(
      pack.modelFiles,
      { inputName: pack.manifest.input.name, output: pack.manifest.output },
      { provider: this.options.provider ?? 'auto', threads: this.options.threads ?? 0 },
    );
    return new Embedder(pack, this.session);
  }

  get provider(): ExecutionProviderName | undefined {
    return (this.runner?.provider as ExecutionProviderName | undefined) ?? this.session?.provider;
  }

  /** Indexes folders (recursively; they join the library) and single image files. */
  async indexPaths(
    paths: readonly string[],
    onProgress?: (p: IndexProgress) => void,
  ): Promise<IndexReport> {
    const library = await this.library();
    if (onProgress) library.on('indexProgress', onProgress);
    try {
      const progress = await library.indexPaths(paths);
      await this.active?.tagging.settled();
      return progress;
    } finally {
      if (onProgress) library.off('indexProgress', onProgress);
    }
  }

  /** The stored matrix of a photo for the active pack (NOT_FOUND when it has none). */
  async matrixOf(photoId: string): Promise<Float32Array> {
    const { pack, embeddings } = await this.activePack();
    const photo = this.catalogue.photoById(photoId);
    const matrix = photo && (await embeddings.matrixOf(photo));
    if (!matrix) {
      throw new AnytagError(
        'NOT_FOUND',
        `Photo ${photo?.path ?? photoId} has no embedding for pack ${pack.manifest.id}`,
        { photo: photoId },
      );
    }
    return matrix;
  }

  /** The pack in use or to be used: switchPack's choice, --pack, the catalogue's active pack. */
  get selectedPackId(): string | undefined {
    return (
      this.active?.pack.manifest.id ??
      this.chosen?.id ??
      this.options.packId ??
      this.catalogue.activePack
    );
  }

  /**
   * Makes `pack` (validated by the caller) the active pack: the library, runner, session and
   * embeddings of the old one close (batches in flight finish), and they reopen on the new pack
   * when next needed; in watch mode the library reopens and rescans at once.
   */
  async switchPack(pack: ModelPack): Promise<void> {
    await this.closeActive();
    this.chosen = { id: pack.manifest.id, pack };
    if (this.options.watch) {
      void this.library().then(
        (library) => library.startWatching(),
        () => undefined,
      );
    }
  }

  /**
   * Writes tags back a while after indexing goes quiet, when a folder opted in (TagWriter; the
   * pass skips photos written already, so a repeat is cheap). A read-only engine never writes.
   */
  scheduleTagWrite(retries = TAG_WRITE_RETRIES): void {
    if (this.closing || this.dataFolder.readOnly) return;
    if (!this.catalogue.folders().some((f) => f.tagWriting && !f.writeError)) return;
    clearTimeout(this.tagWriteTimer);
    this.tagWriteTimer = setTimeout(() => {
      this.tagWriting = this.tagWriting
        .then(async () => {
          await this.active?.tagging.settled();
          const report = await this.tagWriter.write();
          // Files that were busy are tried again a little later, a few times.
          if (report.deferred > 0 && retries > 0) this.scheduleTagWrite(retries - 1);
        })
        .catch(() => undefined);
    }, TAG_WRITE_QUIET_MS);
    this.tagWriteTimer.unref();
  }

  /** Closes everything, even when a step fails (then throws the first error, e.g. ENOSPC on
   *  the last save), and lets the data folder's writer lock go. A tag-write pass under way
   *  finishes first. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.tagWriteTimer);
    try {
      await this.tagWriting;
      await this.closeActive();
      await this.catalogue.flush();
    } finally {
      // exiftool processes (RAW previews, metadata) started in this thread end with the engine.
      await endExiftool();
      await this.dataFolder.lock?.release();
    }
  }

  private async closeActive(): Promise<void> {
    await this.activeLoading?.catch(() => undefined);
    const library = await this.libraryOpening?.catch(() => undefined);
    const active = this.active;
    // Every step runs even if one fails (a full disk must not leave worker threads running).
    const failures: unknown[] = [];
    const step = async (work: () => Promise<unknown> | undefined): Promise<void> => {
      await Promise.resolve()
        .then(work)
        .catch((error: unknown) => failures.push(error));
    };
    await step(() => library?.close());
    await step(() => this.runner?.close());
    await step(() => this.catalogue.flush());
    await step(() => active?.tagging.settled());
    await step(() => active?.searchIndex.close());
    await step(() => active?.embeddings.close());
    await step(() => this.session?.release());
    this.active = undefined;
    this.session = undefined;
    this.runner = undefined;
    this.libraryOpening = undefined;
    if (failures.length > 0) throw failures[0];
  }
}
