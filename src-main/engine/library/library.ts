/**
 * The library: watched folders and what is in them. It adds, removes and watches folders, turns
 * them offline and back, and applies the queue's results; reconcile.ts decides what each file
 * on disk needs (new and changed files to the queue, missing ones to limbo). Photos are identified by content:
 * a missing file waits in limbo a while, and a new file with its hash is that photo moved.
 * A folder that vanishes (an unplugged drive) turns its photos `offline`, never deletes them.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError } from '../errors.js';
import { ThumbnailPruner } from '../image/thumbnails.js';
import { applyResults, type IndexProgress } from './indexer.js';
import type { Catalogue } from '../store/catalogue.js';
import type { FolderRecord, PhotoRecord } from '../store/catalogue-schema.js';
import { photoOffline, photoOnline } from '../store/photo-states.js';
import type { PackEmbeddings } from '../index/pack-embeddings.js';
import type { IndexRunner } from '../workers/index-job.js';
import { FolderWatcher, type ChangeBatch, type WatchOptions } from './folder-watcher.js';
import { isInside } from '../paths.js';
import { describeFolder, isEmptyDir, type FolderInfo } from './folder-info.js';
import { IndexQueue } from './index-queue.js';
import { Limbo } from './limbo.js';
import { Reconciler } from './reconcile.js';
import { isImageFile } from './scan.js';

/** How long a missing file's photo waits for its moved file, by default (ms). */
const LIMBO_MS = 5000;
/** How often folder roots are checked for drives coming and going, by default (ms). */
const PRESENCE_INTERVAL_MS = 5000;
/** A file still being copied in is reported once it stopped growing this long (ms). */
const STABLE_MS = 1000;

export interface LibraryOptions {
  batchSize?: number;
  watch?: Omit<WatchOptions, 'polling'>;
  /** How often folder roots are checked for coming and going (unplugged drives), in ms. */
  presenceIntervalMs?: number;
  /** How long a missing file's photo waits for its moved file before it leaves, in ms. */
  limboMs?: number;
  /** The thumbnail cache; thumbnails no photo uses any more are pruned when indexing is idle. */
  thumbDir?: string;
}

export interface LibraryEvents {
  /** A photo indexed (with the model's float32 matrix), failed, or moved. */
  photoIndexed: [PhotoRecord, Float32Array?];
  photoRemoved: [PhotoRecord];
  indexProgress: [IndexProgress];
  folderChanged: [FolderInfo];
}

export type { FolderInfo };

export class Library extends EventEmitter<LibraryEvents> {
  readonly queue: IndexQueue;
  private readonly watchers = new Map<string, FolderWatcher>();
  private readonly limbo: Limbo;
  private presenceTimer: NodeJS.Timeout | undefined;
  private watching = false;
  private closed = false;
  private readonly thumbnails: ThumbnailPruner | undefined;
  private readonly reconciler: Reconciler;

  constructor(
    readonly catalogue: Catalogue,
    readonly embeddings: PackEmbeddings,
    runner: IndexRunner,
    private readonly options: LibraryOptions = {},
  ) {
    super();
    this.limbo = new Limbo(
      options.limboMs ?? LIMBO_MS,
      () => this.queue.idle,
      (photo) => this.forget(photo),
    );
    if (options.thumbDir) {
      this.thumbnails = new ThumbnailPruner(
        options.thumbDir,
        () => catalogue.photos().map((p) => p.hash),
        () => this.queue.idle && !this.closed,
      );
    }
    this.queue = new IndexQueue(runner, {
      batchSize: options.batchSize,
      apply: (results) =>
        applyResults(results, {
          catalogue,
          embeddings,
          claimMoved: (hash) => this.limbo.claim(catalogue.photosWithHash(hash)),
          onIndexed: (photo, matrix) => this.emit('photoIndexed', photo, matrix),
        }),
      onProgress: (progress) => this.emit('indexProgress', progress),
      onIdle: () => {
        this.limbo.check();
        void embeddings.compactIfWorthIt().catch(() => undefined);
        this.thumbnails?.schedule();
      },
    });
    this.reconciler = new Reconciler({
      catalogue,
      queue: this.queue,
      limbo: this.limbo,
      packId: embeddings.packId,
      setOnline: (record, online) => this.setOnline(record, online),
      photoMoved: (photo) => this.emit('photoIndexed', photo),
    });
    this.resumePending();
  }

  /** Indexes folders (they join the library) and single files; resolves when all are done. */
  async indexPaths(paths: readonly string[]): Promise<IndexProgress> {
    const release = this.queue.hold();
    try {
      await this.findAll(paths);
    } finally {
      release();
    }
    await this.queue.drained();
    this.limbo.check(true);
    await this.catalogue.flush();
    return this.queue.snapshot();
  }

  private async findAll(paths: readonly string[]): Promise<void> {
    for (const given of paths) {
      const absolute = path.resolve(given);
      const info = await stat(absolute).catch(() => null);
      if (!info) throw new AnytagError('NOT_FOUND', `${given} does not exist`, { path: given });
      if (info.isFile()) {
        if (!isImageFile(absolute)) {
          throw new AnytagError('IMAGE_UNSUPPORTED', `${given} is not a supported image type`, {
            path: given,
          });
        }
        await this.reconciler.consider(absolute, info);
      } else await this.addFolder(absolute);
    }
  }

  async addFolder(folder: string, options: { polling?: boolean } = {}): Promise<FolderInfo> {
    const absolute = path.resolve(folder);
    const info = await stat(absolute).catch(() => null);
    if (!info?.isDirectory()) {
      throw new AnytagError('NOT_FOUND', `Folder ${folder} does not exist or is not a folder`, {
        folder,
      });
    }
    const parent = this.catalogue.folders().find((f) => isInside(f.path, absolute));
    const record = parent ?? this.catalogue.addFolder(absolute, options);
    if (!parent && options.polling !== undefined) {
      this.catalogue.updateFolder(record, { polling: options.polling });
    }
    if (this.watching) await this.watch(record);
    await this.scan(record);
    return this.announce(record);
  }

  async removeFolder(folder: string): Promise<void> {
    const record = this.requireFolder(folder);
    await this.unwatch(record.path);
    // Folders may nest (a folder added, then its parent): photos another one holds stay.
    const others = this.catalogue.folders().filter((f) => f !== record);
    for (const photo of this.catalogue.photosUnder(record.path)) {
      if (!others.some((f) => isInside(f.path, photo.path))) this.forget(photo);
    }
    this.catalogue.removeFolder(record.path);
    await this.catalogue.flush();
    this.emit('folderChanged', { ...this.folderInfo(record), watching: false, removed: true });
  }

  async setFolderPolling(folder: string, polling: boolean): Promise<FolderInfo> {
    const record = this.requireFolder(folder);
    this.catalogue.updateFolder(record, { polling });
    if (this.watchers.has(record.path)) {
      await this.unwatch(record.path);
      await this.watch(record);
    }
    return this.announce(record);
  }

  listFolders(): FolderInfo[] {
    return this.catalogue.folders().map((f) => this.folderInfo(f));
  }

  /** Scans every folder, then keeps them watched; checks folder roots for drives coming back. */
  async startWatching(): Promise<void> {
    this.watching = true;
    for (const record of this.catalogue.folders()) {
      // Watch first, then scan: a file added meanwhile is seen by one or the other (or both).
      if (existsSync(record.path)) await this.watch(record);
      await this.scanOrOffline(record);
    }
    const every = this.options.presenceIntervalMs ?? PRESENCE_INTERVAL_MS;
    this.presenceTimer = setInterval(() => void this.checkPresence(), every);
    this.presenceTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.presenceTimer);
    this.thumbnails?.stop();
    this.limbo.stop();
    for (const folder of [...this.watchers.keys()]) await this.unwatch(folder);
    this.queue.pause();
    await this.queue.drainInFlight();
    await this.catalogue.flush();
  }

  /** Reconciles one folder with the catalogue; an unreachable or emptied root means offline. */
  async scan(record: FolderRecord): Promise<void> {
    const release = this.queue.hold();
    try {
      await this.reconciler.reconcile(record);
    } finally {
      release();
    }
  }

  private async onBatch(record: FolderRecord, batch: ChangeBatch): Promise<void> {
    if (this.closed) return;
    await this.reconciler.applyBatch(record, batch);
  }

  private async checkPresence(): Promise<void> {
    for (const record of this.catalogue.folders()) {
      const there = existsSync(record.path);
      if (record.online && !there) this.setOnline(record, false);
      else if (!record.online && there && !(await isEmptyDir(record.path))) {
        if (this.watching) await this.watch(record);
        await this.scanOrOffline(record);
      }
    }
  }

  /**
   * Scans a folder that is already in the library; a root that cannot be read (not a folder any
   * more, no permission) turns the folder offline with the reason, instead of stopping the other
   * folders or, from a timer, the process.
   */
  private async scanOrOffline(record: FolderRecord): Promise<void> {
    try {
      await this.scan(record);
    } catch (error) {
      this.reconciler.skipped.set(record.path, [
        { path: record.path, reason: `cannot scan folder: ${(error as Error).message}` },
      ]);
      this.setOnline(record, false);
    }
  }

  private setOnline(record: FolderRecord, online: boolean): void {
    if (record.online === online) return;
    this.catalogue.updateFolder(record, { online });
    for (const photo of this.catalogue.photosUnder(record.path)) {
      if (online) photoOnline(this.catalogue, photo);
      else {
        this.queue.remove(photo.path);
        this.limbo.release(photo);
        photoOffline(this.catalogue, photo);
      }
    }
    if (!online) void this.unwatch(record.path);
    this.announce(record);
  }

  private async watch(record: FolderRecord): Promise<void> {
    if (this.watchers.has(record.path) || this.closed) return;
    const watcher = new FolderWatcher(
      record.path,
      // Files still being copied in are reported once they stop growing for a while.
      { stableMs: STABLE_MS, ...this.options.watch, polling: record.polling },
      (batch) => void this.onBatch(record, batch),
    );
    this.watchers.set(record.path, watcher);
    await watcher.ready;
  }

  private async unwatch(folder: string): Promise<void> {
    const watcher = this.watchers.get(folder);
    this.watchers.delete(folder);
    await watcher?.close();
  }

  /** A photo leaves the library: its record, matrix and queue entry go. */
  private forget(photo: PhotoRecord): void {
    this.limbo.release(photo);
    this.queue.remove(photo.path);
    this.embeddings.drop(photo);
    this.catalogue.removePhoto(photo);
    this.thumbnails?.photoRemoved();
    this.emit('photoRemoved', photo);
  }

  /** Pending photos of an earlier session (crash, restart) go back to the queue. */
  private resumePending(): void {
    const lost = new Set(this.embeddings.needEmbedding);
    for (const photo of this.catalogue.photos()) {
      if (photo.state === 'pending' || lost.has(photo)) {
        this.queue.add(photo.path, photo.embedding ? 'changed' : 'new');
      }
    }
  }

  private requireFolder(folder: string): FolderRecord {
    const record = this.catalogue.folder(path.resolve(folder));
    if (!record) {
      throw new AnytagError('NOT_FOUND', `${folder} is not a library folder`, {
        folder,
        folders: this.catalogue.folders().map((f) => f.path),
      });
    }
    return record;
  }

  private announce(record: FolderRecord): FolderInfo {
    const info = this.folderInfo(record);
    this.emit('folderChanged', info);
    return info;
  }

  private folderInfo(record: FolderRecord): FolderInfo {
    return describeFolder(
      record,
      this.catalogue.photosUnder(record.path),
      this.watchers.has(record.path),
      this.reconciler.skipped.get(record.path) ?? [],
    );
  }
}
