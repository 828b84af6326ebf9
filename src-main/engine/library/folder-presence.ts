/**
 * Library folders coming and going: a folder whose root vanished (an unplugged drive) or cannot
 * be read turns offline — its photos `offline`, kept with their tags and matrices, out of the
 * queue and limbo — and comes back (scanned again) once its root is there and not empty. Roots
 * are checked on a timer while the library watches.
 */
import { existsSync } from 'node:fs';
import type { Catalogue } from '../store/catalogue.js';
import type { FolderRecord, PhotoRecord } from '../store/catalogue-schema.js';
import { photoOffline, photoOnline } from '../store/photo-states.js';
import { isEmptyDir } from './folder-info.js';
import type { ScanResult } from './scan.js';

/** What presence needs of the library. */
export interface PresenceHost {
  catalogue: Catalogue;
  /** The scans' skipped files by folder: an unreadable root is noted there with why. */
  skipped: Map<string, ScanResult['skipped']>;
  /** Whether the library watches its folders (then a folder that comes back is watched). */
  watching(): boolean;
  watch(record: FolderRecord): Promise<void>;
  unwatch(folder: string): Promise<void>;
  scan(record: FolderRecord): Promise<void>;
  /** A photo of an offline folder leaves the queue and limbo. */
  release(photo: PhotoRecord): void;
  /** The folder's state changed (folderChanged). */
  announce(record: FolderRecord): void;
}

export class FolderPresence {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly host: PresenceHost) {}

  /** Checks the folder roots every `ms` until stopped. */
  start(ms: number): void {
    this.timer = setInterval(() => void this.check(), ms);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    const { catalogue } = this.host;
    for (const record of catalogue.folders()) {
      const there = existsSync(record.path);
      if (record.online && !there) this.setOnline(record, false);
      else if (!record.online && there && !(await isEmptyDir(record.path))) {
        if (this.host.watching()) await this.host.watch(record);
        await this.scanOrOffline(record);
      }
    }
  }

  /**
   * Scans a folder that is already in the library; a root that cannot be read (not a folder any
   * more, no permission) turns the folder offline with the reason, instead of stopping the other
   * folders or, from a timer, the process.
   */
  async scanOrOffline(record: FolderRecord): Promise<void> {
    await this.orOffline(record, () => this.host.scan(record));
  }

  /** Runs `work` on a folder; if it throws, the folder turns offline with why (null returned). */
  async orOffline<T>(record: FolderRecord, work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (error) {
      this.host.skipped.set(record.path, [
        { path: record.path, reason: `cannot scan folder: ${(error as Error).message}` },
      ]);
      this.setOnline(record, false);
      return null;
    }
  }

  setOnline(record: FolderRecord, online: boolean): void {
    const { catalogue } = this.host;
    if (record.online === online) return;
    catalogue.updateFolder(record, { online });
    for (const photo of catalogue.photosUnder(record.path)) {
      if (online) photoOnline(catalogue, photo);
      else {
        this.host.release(photo);
        photoOffline(catalogue, photo);
      }
    }
    if (!online) void this.host.unwatch(record.path);
    this.host.announce(record);
  }
}
