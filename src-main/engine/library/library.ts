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
import { applyResults, type IndexReport } from './indexer.js';
import type { Catalogue } from '../store/catalogue.js';
import type { FolderRecord, PhotoRecord } from '../store/catalogue-schema.js';
import type { TagWriting } from '../store/photo-metadata-schema.js';
import { needsReembedding, type FileFacts } from '../store/photo-states.js';
import type { PackEmbeddings } from '../index/pack-embeddings.js';
import type { IndexRunner } from '../workers/index-job.js';
import type { ChangeBatch } from './folder-watcher.js';
import { FolderWatchers } from './folder-watchers.js';
import { expandHome, isInside } from '../paths.js';
import { describeFolder, libraryFolder, type FolderInfo } from './folder-info.js';
import { FolderPresence } from './folder-presence.js';
import { IndexQueue } from './index-queue.js';
import { indexReport } from './index-report.js';
import type { LibraryEvents, LibraryOptions } from './library-options.js';
import { Limbo } from './limbo.js';
import { refreshMetadata } from './metadata-refresh.js';
import { Reconciler } from './reconcile.js';
import { RetiredPhotos } from './retired.js';
import { isImageFile, type FolderRules } from './scan.js';
import { sidecarChanged, takeSidecars } from './sidecar-changes.js';
import {
  folderRules,
  photosInSkippedFolders,
  SKIPPED_FOLDERS_SETTING,
  skippedFolderNames,
} from './skipped-folders.js';

export type { FolderInfo };
export type { LibraryEvents, LibraryOptions } from './library-options.js';

/** How long a missing file's photo waits for its moved file, by default (ms). */
const LIMBO_MS = 5000;
/** How often folder roots are checked for drives coming and going, by default (ms). */
const PRESENCE_INTERVAL_MS = 5000;

export class Library extends EventEmitter<LibraryEvents> {
  readonly queue: IndexQueue;
  private readonly watchers: FolderWatchers;
  private readonly limbo: Limbo;
  private readonly presence: FolderPresence;
  private watching = false;
  private closed = false;
  private readonly thumbnails: ThumbnailPruner | undefined;
  private readonly reconciler: Reconciler;
  /** The metadata-only re-read of photos indexed before metadata was read (catalogue v3). */
  private readonly metadataRefresh: Promise<number>;
  private readonly retired: RetiredPhotos;

  constructor(
    readonly catalogue: Catalogue,
    readonly embeddings: PackEmbeddings,
    runner: IndexRunner,
    private readonly options: LibraryOptions = {},
  ) {
    super();
    this.watchers = new FolderWatchers(options.watch);
    this.retired = new RetiredPhotos(catalogue, embeddings, options.retiredMs);
    this.retired.expire();
    this.limbo = new Limbo(
      options.limboMs ?? LIMBO_MS,
      () => this.queue.idle,
      (photo) => this.forget(photo),
    );
    if (options.thumbDir) {
      this.thumbnails = new ThumbnailPruner(
        options.thumbDir,
        // No record read: the hashes come from the photo table's rows and the kept records.
        () => [...catalogue.photoHashes(), ...this.retired.hashes()],
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
        this.retired.expire();
        void embeddings.compactIfWorthIt().catch(() => undefined);
        this.thumbnails?.schedule();
      },
    });
    this.reconciler = new Reconciler({
      catalogue,
      queue: this.queue,
      limbo: this.limbo,
      packId: embeddings.packId,
      setOnline: (record, online) => this.presence.setOnline(record, online),
      photoMoved: (photo) => this.emit('photoIndexed', photo),
      rules: () => this.rules(),
      revive: (file, facts) => this.revive(file, facts),
    });
    this.presence = new FolderPresence({
      catalogue,
      skipped: this.reconciler.skipped,
      watching: () => this.watching,
      watch: (record) => this.watch(record),
      unwatch: (folder) => this.unwatch(folder),
      scan: (record) => this.scan(record),
      release: (photo) => {
        this.queue.remove(photo.path);
        this.limbo.release(photo);
      },
      announce: (record) => void this.announce(record),
    });
    this.resumePending();
    this.metadataRefresh = refreshMetadata(
      catalogue,
      () => this.closed,
      (photo) => this.emit('photoIndexed', photo),
    );
  }

  /** Resolves once photos indexed before metadata was read have theirs (count read). */
  metadataSettled(): Promise<number> {
    return this.metadataRefresh;
  }

  /**
   * Indexes folders (they join the library) and single files; resolves when all are done, with
   * what was indexed, unchanged, left out (with why) and failed (with why).
   */
  async indexPaths(paths: readonly string[]): Promise<IndexReport> {
    const release = this.queue.hold();
    try {
      await this.findAll(paths);
    } finally {
      release();
    }
    await this.queue.drained();
    await this.metadataRefresh;
    this.limbo.check(true);
    await this.catalogue.flush();
    return indexReport(paths, this.queue.snapshot(), this.reconciler.skipped, this.catalogue);
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

  /** Adds a folder (`~` and relative paths start at the home folder), scans it, watches it. */
  async addFolder(folder: string, options: { polling?: boolean } = {}): Promise<FolderInfo> {
    const absolute = expandHome(folder);
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

  /**
   * Takes a folder out of the library; returns how many photos left with it. Indexed photos are
   * retired, not forgotten: adding the folder back within the grace period revives them by
   * content hash (same ids, tags and votes) without running the model.
   */
  async removeFolder(folder: string): Promise<number> {
    const record = libraryFolder(this.catalogue, folder);
    await this.unwatch(record.path);
    // Folders may nest (a folder added, then its parent): photos another one holds stay.
    const others = this.catalogue.folders().filter((f) => f !== record);
    let removed = 0;
    for (const photo of this.catalogue.photosUnder(record.path)) {
      if (others.some((f) => isInside(f.path, photo.path))) continue;
      if (this.retired.keeps(photo)) this.retire(photo);
      else this.forget(photo);
      removed++;
    }
    this.catalogue.removeFolder(record.path);
    await this.catalogue.flush();
    this.emit('folderChanged', { ...this.folderInfo(record), watching: false, removed: true });
    return removed;
  }

  async setFolderPolling(folder: string, polling: boolean): Promise<FolderInfo> {
    const record = libraryFolder(this.catalogue, folder);
    this.catalogue.updateFolder(record, { polling });
    if (this.watchers.has(record.path)) {
      await this.unwatch(record.path);
      await this.watch(record);
    }
    return this.announce(record);
  }

  /** The folder names skipped by the scan and the watcher: the user's list, or the defaults. */
  skippedFolderNames(): string[] {
    return skippedFolderNames(this.catalogue);
  }

  /**
   * Replaces the skipped folder names (exact names, any case); every folder is scanned again and
   * its watcher restarted, so photos in a folder no longer skipped are indexed and those in a
   * newly skipped one leave. Returns the folders as they are now.
   */
  async setSkippedFolderNames(names: readonly string[]): Promise<FolderInfo[]> {
    this.catalogue.setSetting(SKIPPED_FOLDERS_SETTING, [...new Set(names)]);
    const rules = this.rules();
    for (const record of this.catalogue.folders()) {
      // Photos in a folder now skipped leave the library (their files stay where they are).
      for (const photo of photosInSkippedFolders(this.catalogue, record, rules)) this.forget(photo);
    }
    for (const record of this.catalogue.folders()) {
      if (this.watchers.has(record.path)) {
        await this.unwatch(record.path);
        await this.watch(record);
      }
      await this.presence.scanOrOffline(record);
    }
    await this.catalogue.flush();
    return this.listFolders();
  }

  private rules(): FolderRules {
    return folderRules(this.catalogue);
  }

  /** Opts a folder in (or, with undefined, out) of tag writing; clears a write error. */
  setTagWriting(folder: string, writing: TagWriting | undefined): FolderInfo {
    const record = libraryFolder(this.catalogue, folder);
    this.catalogue.updateFolder(record, { tagWriting: writing, writeError: undefined });
    return this.announce(record);
  }

  listFolders(): FolderInfo[] {
    return this.catalogue.folders().map((f) => this.folderInfo(f));
  }

  /** Scans every folder, then keeps them watched; checks folder roots for drives coming back. */
  async startWatching(): Promise<void> {
    this.watching = true;
    // Watch first, then scan: a file added meanwhile is seen by one or the other (or both).
    // Every folder's missing photos go to limbo before any found file is considered, so a photo
    // moved between library folders while the app was closed is matched, not added anew.
    const found = new Map<FolderRecord, string[]>();
    const release = this.queue.hold();
    try {
      for (const record of this.catalogue.folders()) {
        if (existsSync(record.path)) await this.watch(record);
        const images = await this.presence.orOffline(record, () =>
          this.reconciler.findMissing(record),
        );
        if (images) found.set(record, images);
      }
      for (const [record, images] of found) {
        await this.presence.orOffline(record, () => this.reconciler.considerFound(record, images));
      }
    } finally {
      release();
    }
    const every = this.options.presenceIntervalMs ?? PRESENCE_INTERVAL_MS;
    this.presence.start(every);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.presence.stop();
    this.thumbnails?.stop();
    this.limbo.stop();
    await this.metadataRefresh;
    for (const folder of this.watchers.folders()) await this.unwatch(folder);
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
    const sidecars = takeSidecars(batch);
    await this.reconciler.applyBatch(record, batch);
    // A sidecar appeared, changed or went: its photos' metadata is read again (not the model).
    for (const sidecar of sidecars) {
      for (const photo of await sidecarChanged(this.catalogue, sidecar)) {
        this.emit('photoIndexed', photo);
      }
    }
  }

  private async watch(record: FolderRecord): Promise<void> {
    if (this.closed) return;
    await this.watchers.watch(record, this.rules(), (batch) => void this.onBatch(record, batch));
  }

  private async unwatch(folder: string): Promise<void> {
    await this.watchers.unwatch(folder);
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

  /** A photo leaves the library with its folder, kept retired for a quick re-add. */
  private retire(photo: PhotoRecord): void {
    this.limbo.release(photo);
    this.queue.remove(photo.path);
    this.retired.retire(photo);
    this.emit('photoRemoved', photo);
  }

  /** A new file holding a retired photo's content: that photo is back, no model run. */
  private async revive(file: string, facts: FileFacts): Promise<boolean> {
    const back = await this.retired.revive(file, facts);
    if (!back) return false;
    if (needsReembedding(back.photo, this.embeddings.packId)) this.queue.add(file, 'reembed');
    this.emit('photoIndexed', back.photo, back.matrix);
    return true;
  }

  /** Pending photos of an earlier session (crash, restart) go back to the queue. */
  private resumePending(): void {
    const lost = this.embeddings.needEmbedding;
    const pending = this.catalogue.photosInState('pending');
    for (const photo of new Set([...pending, ...lost])) {
      this.queue.add(photo.path, photo.embedding ? 'changed' : 'new');
    }
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
