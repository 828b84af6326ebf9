/**
 * The library's folder watchers, one per watched folder: started with the folder's polling
 * choice and the skipped-folder rules in force, and a file still being copied in reported only
 * once it stopped growing for a while (STABLE_MS).
 */
import type { FolderRecord } from '../store/catalogue-schema.js';
import { FolderWatcher, type ChangeBatch, type WatchOptions } from './folder-watcher.js';
import type { FolderRules } from './scan.js';

/** A file still being copied in is reported once it stopped growing this long (ms). */
const STABLE_MS = 1000;

export class FolderWatchers {
  private readonly watchers = new Map<string, FolderWatcher>();

  constructor(private readonly options: Omit<WatchOptions, 'polling'> = {}) {}

  /** Whether `folder` (a library folder's path) is watched. */
  has(folder: string): boolean {
    return this.watchers.has(folder);
  }

  /** The watched folders' paths. */
  folders(): string[] {
    return [...this.watchers.keys()];
  }

  /** Watches a folder (once), resolving when the watcher is ready. */
  async watch(
    record: FolderRecord,
    rules: FolderRules,
    onBatch: (batch: ChangeBatch) => void,
  ): Promise<void> {
    if (this.watchers.has(record.path)) return;
    const watcher = new FolderWatcher(
      record.path,
      // Files still being copied in are reported once they stop growing for a while.
      { stableMs: STABLE_MS, ...this.options, polling: record.polling, rules },
      onBatch,
    );
    this.watchers.set(record.path, watcher);
    await watcher.ready;
  }

  async unwatch(folder: string): Promise<void> {
    const watcher = this.watchers.get(folder);
    this.watchers.delete(folder);
    await watcher?.close();
  }
}
