/**
 * The library: watched folders and what is in them. It reconciles each folder with the
 * catalogue (new and changed files to the queue, missing ones to limbo), keeps folders in step
 * through their watchers, and applies the queue's results. Photos are identified by content:
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
import {
  fileChanged,
  needsReembedding,
  photoFound,
  photoMoved,
  photoOffline,
  photoOnline,
} from '../store/photo-states.js';
import type { PackEmbeddings } from '../index/pack-embeddings.js';
import type { IndexRunner } from '../workers/index-job.js';
import { FolderWatcher, type ChangeBatch, type WatchOptions } from './folder-watcher.js';
import { isInside } from '../paths.js';
import { describeFolder, isEmptyDir, type FolderInfo } from './folder-info.js';
import { IndexQueue } from './index-queue.js';
import { Limbo, missingPhotos } from './limbo.js';
import { isImageFile, scanFolder, type ScanResult } from './scan.js';
import { sameContent } from './same-content.js';

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
  /** Per folder, what its last scan left out and why (not images, RAW files, unreadable folders). */
  private readonly skipped = new Map<string, ScanResult['skipped']>();

  constructor(
    readonly catalogue: Catalogue,
    readonly embeddings: PackEmbeddings,
    runner: IndexRunner,
    private readonly options: LibraryOptions = {},
  ) {
    super();
    this.limbo = new Limbo(
      options.limboMs ?? 5000,
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
        await this.consider(absolute, info);
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
    const every = this.options.presenceIntervalMs ?? 5000;
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
      await this.reconcile(record);
    } finally {
      release();
    }
  }

  private async reconcile(record: FolderRecord): Promise<void> {
    if (!existsSync(record.path)) return this.setOnline(record, false);
    const { images, skipped } = await scanFolder(record.path);
    this.skipped.set(record.path, skipped);
    const known = this.catalogue.photosUnder(record.path);
    if (images.length === 0 && known.length > 0 && (await isEmptyDir(record.path))) {
      return this.setOnline(record, false);
    }
    if (!record.online) this.setOnline(record, true);
    for (const photo of missingPhotos(known, images, skipped)) this.limbo.add(photo);
    for (let i = 0; i < images.length; i += 64) {
      const chunk = images.slice(i, i + 64);
      const infos = await Promise.all(chunk.map((file) => stat(file).catch(() => null)));
      for (const [j, info] of infos.entries()) if (info) await this.consider(chunk[j]!, info);
    }
    this.catalogue.updateFolder(record, { lastScanAt: new Date().toISOString() });
    this.limbo.check();
  }

  /** Decides what a file on disk needs: nothing, a move, or a place in the queue. */
  private async consider(file: string, info: { size: number; mtimeMs: number }): Promise<void> {
    const photo = this.catalogue.photoByPath(file);
    const facts = { size: info.size, mtimeMs: info.mtimeMs };
    if (!photo) {
      const moved = await this.findMoved(file, info.size);
      if (moved) {
        photoMoved(this.catalogue, moved, file, facts);
        this.queue.countSkipped(1);
        this.emit('photoIndexed', moved);
        return;
      }
      photoFound(this.catalogue, file, facts);
      return this.queue.add(file, 'new');
    }
    this.limbo.release(photo);
    const changed = photo.size !== info.size || photo.mtimeMs !== info.mtimeMs;
    if (photo.state === 'pending' || changed) {
      if (changed) fileChanged(this.catalogue, photo);
      return this.queue.add(file, photo.embedding ? 'changed' : 'new');
    }
    if (needsReembedding(photo, this.embeddings.packId)) return this.queue.add(file, 'reembed');
    this.queue.countSkipped(1);
  }

  /** A photo in limbo with this file's size and content: the same photo, moved. */
  private async findMoved(file: string, size: number): Promise<PhotoRecord | undefined> {
    const candidates = this.limbo.withSize(size);
    if (candidates.length === 0) return undefined;
    return this.limbo.claim(await sameContent(file, candidates));
  }

  private async onBatch(record: FolderRecord, batch: ChangeBatch): Promise<void> {
    if (this.closed) return;
    if (!existsSync(record.path) || (await isEmptyDir(record.path))) {
      return this.setOnline(record, false);
    }
    for (const dir of batch.removedDirs) {
      for (const photo of this.catalogue.photosUnder(dir)) this.limbo.add(photo);
    }
    for (const [file, change] of batch.files) {
      if (change !== 'removed') continue;
      const photo = this.catalogue.photoByPath(file);
      this.queue.remove(file);
      if (photo) this.limbo.add(photo);
    }
    for (const [file, change] of batch.files) {
      if (change === 'removed') continue;
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) await this.consider(file, info);
    }
    this.limbo.check();
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
      this.skipped.set(record.path, [
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
      // Files still being copied in are reported once they stop growing for a second.
      { stableMs: 1000, ...this.options.watch, polling: record.polling },
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
      this.skipped.get(record.path) ?? [],
    );
  }
}
