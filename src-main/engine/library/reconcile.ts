/**
 * Reconciling what is on disk with the catalogue: a folder scan, or a watcher's batch of
 * changes, decides for each file whether it needs nothing, is a known photo moved (same size and
 * content as one in limbo), or goes to the queue (new, changed, or lacking the active pack's
 * matrix); files that went missing wait in limbo. The folders themselves (adding, watching,
 * online and offline) are library.ts's.
 */
import { stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { Catalogue } from '../store/catalogue.js';
import type { FolderRecord, PhotoRecord } from '../store/catalogue-schema.js';
import { fileChanged, needsReembedding, photoFound, photoMoved } from '../store/photo-states.js';
import type { ChangeBatch } from './folder-watcher.js';
import { isEmptyDir } from './folder-info.js';
import type { IndexQueue } from './index-queue.js';
import { missingPhotos, type Limbo } from './limbo.js';
import { sameContent } from './same-content.js';
import { scanFolder, type ScanResult } from './scan.js';

/** Files stat-ed at once during a scan (bounded so a huge folder does not open them all). */
const STAT_CHUNK = 64;

/** What the reconciler works with; the Library is one. */
export interface ReconcileHost {
  readonly catalogue: Catalogue;
  readonly queue: IndexQueue;
  readonly limbo: Limbo;
  /** The active pack (photos lacking its matrix are re-embedded). */
  readonly packId: string;
  /** The folder's root is gone or emptied (false), or reachable again (true). */
  setOnline(record: FolderRecord, online: boolean): void;
  /** A known photo turned up under a new path. */
  photoMoved(photo: PhotoRecord): void;
}

export class Reconciler {
  /** Per folder, what its last scan left out and why (not images, RAW files, unreadable folders). */
  readonly skipped = new Map<string, ScanResult['skipped']>();

  constructor(private readonly host: ReconcileHost) {}

  /** One folder against the catalogue; an unreachable or emptied root means offline. */
  async reconcile(record: FolderRecord): Promise<void> {
    const { catalogue, limbo } = this.host;
    if (!existsSync(record.path)) return this.host.setOnline(record, false);
    const { images, skipped } = await scanFolder(record.path);
    this.skipped.set(record.path, skipped);
    const known = catalogue.photosUnder(record.path);
    if (images.length === 0 && known.length > 0 && (await isEmptyDir(record.path))) {
      return this.host.setOnline(record, false);
    }
    if (!record.online) this.host.setOnline(record, true);
    for (const photo of missingPhotos(known, images, skipped)) limbo.add(photo);
    for (let i = 0; i < images.length; i += STAT_CHUNK) {
      const chunk = images.slice(i, i + STAT_CHUNK);
      const infos = await Promise.all(chunk.map((file) => stat(file).catch(() => null)));
      for (const [j, info] of infos.entries()) if (info) await this.consider(chunk[j]!, info);
    }
    catalogue.updateFolder(record, { lastScanAt: new Date().toISOString() });
    limbo.check();
  }

  /** A watcher's batch: removed files and folders to limbo, then the others considered. */
  async applyBatch(record: FolderRecord, batch: ChangeBatch): Promise<void> {
    const { catalogue, limbo, queue } = this.host;
    if (!existsSync(record.path) || (await isEmptyDir(record.path))) {
      return this.host.setOnline(record, false);
    }
    for (const dir of batch.removedDirs) {
      for (const photo of catalogue.photosUnder(dir)) limbo.add(photo);
    }
    for (const [file, change] of batch.files) {
      if (change !== 'removed') continue;
      const photo = catalogue.photoByPath(file);
      queue.remove(file);
      if (photo) limbo.add(photo);
    }
    for (const [file, change] of batch.files) {
      if (change === 'removed') continue;
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) await this.consider(file, info);
    }
    limbo.check();
  }

  /** Decides what a file on disk needs: nothing, a move, or a place in the queue. */
  async consider(file: string, info: { size: number; mtimeMs: number }): Promise<void> {
    const { catalogue, limbo, queue } = this.host;
    const photo = catalogue.photoByPath(file);
    const facts = { size: info.size, mtimeMs: info.mtimeMs };
    if (!photo) {
      const moved = await this.findMoved(file, info.size);
      if (moved) {
        photoMoved(catalogue, moved, file, facts);
        queue.countSkipped(1);
        this.host.photoMoved(moved);
        return;
      }
      photoFound(catalogue, file, facts);
      return queue.add(file, 'new');
    }
    limbo.release(photo);
    const changed = photo.size !== info.size || photo.mtimeMs !== info.mtimeMs;
    if (photo.state === 'pending' || changed) {
      if (changed) fileChanged(catalogue, photo);
      return queue.add(file, photo.embedding ? 'changed' : 'new');
    }
    if (needsReembedding(photo, this.host.packId)) return queue.add(file, 'reembed');
    queue.countSkipped(1);
  }

  /** A photo in limbo with this file's size and content: the same photo, moved. */
  private async findMoved(file: string, size: number): Promise<PhotoRecord | undefined> {
    const candidates = this.host.limbo.withSize(size);
    if (candidates.length === 0) return undefined;
    return this.host.limbo.claim(await sameContent(file, candidates));
  }
}
