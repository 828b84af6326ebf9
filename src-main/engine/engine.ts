/**
 * The engine: one object owning the catalogue, the active model pack, its session and the
 * embedding store. Transports (CLI, HTTP, Electron IPC) reach it only through api/api.ts.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { openActivePack, type ActivePack } from './active-pack.js';
import type { EngineOptions } from './engine-options.js';
import { AnytagError } from './errors.js';
import { thumbnailDir } from './image/thumbnails.js';
import type { IndexProgress, IndexReport } from './library/indexer.js';
import { Library, type LibraryEvents } from './library/library.js';
import { TagWriter } from './library/tag-writer.js';
import type { Embedder } from './workers/embedder.js';
import type { ExecutionProviderName } from './model/execution-providers.js';
import { loadPack, type ModelPack } from './model/pack.js';
import { findPack, listPacks, type PackEntry } from './model/pack-registry.js';
import type { ModelSession } from './model/session.js';
import { Catalogue } from './store/catalogue.js';
import { openDataFolder, type DataFolderHold } from './store/data-folder.js';
import { TagWriteSchedule } from './tag-write-schedule.js';
import { endExiftool } from './image/exiftool.js';
import type { IndexRunner } from './workers/index-job.js';
import {
  spawnIndexWorkers,
  WorkerPoolRunner,
  workerFile,
  type SpawnedWorker,
} from './workers/worker-pool-runner.js';

// What transports need of the data folder's lock (how to ask for it, who holds it), and the
// engine's option and active-pack shapes, from the one module they import.
export type { DataFolderAccess } from './store/data-folder.js';
export { writerOf, type WriterInfo } from './store/writer-lock.js';
export type { EngineOptions } from './engine-options.js';
export type { ActivePack } from './active-pack.js';

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
  private readonly tagWrites: TagWriteSchedule;

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
    this.tagWrites = new TagWriteSchedule(
      catalogue,
      this.tagWriter,
      () => this.active?.tagging.settled(),
      () => this.dataFolder.readOnly !== null,
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
        // Only the model file a session loads is hashed, and only when one is made.
        modelCheckedOnUse: true,
      }));
    return openActivePack(
      pack,
      {
        dataDir: this.options.dataDir,
        catalogue: this.catalogue,
        watch: this.options.watch ?? false,
        prepareQueries: this.options.prepareQueries ?? true,
        deferCalibration: this.options.deferCalibration ?? false,
        notify: (message) => this.notices.push(message),
      },
      (active) => (this.active = active),
    );
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
    // The indexing workers load their modules while this thread loads and checks the pack;
    // they are told the pack only once it is checked (worker-pool-runner.ts SpawnedWorker).
    const spawned = spawnIndexWorkers(this.indexWorkerCount()) ?? [];
    let active: ActivePack;
    try {
      active = await this.activePack();
    } catch (error) {
      await Promise.all(spawned.map((s) => s.worker.terminate()));
      throw error;
    }
    const { pack, embeddings, tagging } = active;
    this.runner = await this.createRunner(pack, spawned);
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

  /** How many indexing workers the library runs (0: indexing in this thread). */
  private indexWorkerCount(): number {
    return this.options.indexWorkers ?? (workerFile() ? 1 : 0);
  }

  private async createRunner(
    pack: ModelPack,
    spawned: readonly SpawnedWorker[] = [],
  ): Promise<IndexRunner> {
    // The runner embeds only: the vocabulary (tagging) tags each photo on arrival.
    const thumbs = {
      ...(this.options.thumbnails === false
        ? {}
        : { thumbDir: thumbnailDir(this.options.dataDir) }),
    };
    const workers = this.indexWorkerCount();
    if (workers > 0) {
      return WorkerPoolRunner.start(
        {
          packDir: pack.dir,
          ...(this.hashCache && { hashCache: this.hashCache }),
          provider: this.options.provider ?? 'auto',
          threads: this.options.threads ?? 0,
          ...thumbs,
        },
        workers,
        spawned,
      );
    }
    const embedder = await this.embedder();
    const { InProcessRunner } = await import('./workers/in-process-runner.js');
    return new InProcessRunner(pack, embedder.session, thumbs);
  }

  async embedder(): Promise<Embedder> {
    const { pack } = await this.activePack();
    // onnxruntime-node and sharp load only when a model runs here: status, search, vocab and
    // browse never import them (a command's start-up would pay ~0.1 s of CPU for nothing).
    const [{ ModelSession }, { Embedder }] = await Promise.all([
      import('./model/session.js'),
      import('./workers/embedder.js'),
    ]);
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
   * Writes tags back a while after indexing goes quiet, when a folder opted in
   * (tag-write-schedule.ts). A read-only engine never writes.
   */
  scheduleTagWrite(): void {
    this.tagWrites.schedule();
  }

  /** Closes everything, even when a step fails (then throws the first error, e.g. ENOSPC on
   *  the last save), and lets the data folder's writer lock go. A tag-write pass under way
   *  finishes first. */
  async close(): Promise<void> {
    try {
      await this.tagWrites.close();
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
