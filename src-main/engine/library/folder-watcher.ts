/**
 * The chokidar owner: watches one library folder (OS events, or polling for network drives) and
 * hands on bursts of changes coalesced into one batch — the last event per path wins, and a
 * batch waits until the folder has been quiet for `quietMs` (at most `maxWaitMs`).
 */
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { isSidecarName } from '../image/sidecar.js';
import { FolderRules, isImageFile } from './scan.js';

export type FileChange = 'added' | 'changed' | 'removed';

export interface ChangeBatch {
  files: Map<string, FileChange>;
  /** Folders that went away (their photos are removed, moved, or offline). */
  removedDirs: Set<string>;
}

export interface WatchOptions {
  polling: boolean;
  /** Polling interval in ms (polling mode). */
  intervalMs?: number;
  quietMs?: number;
  maxWaitMs?: number;
  /** A file must stop growing for this long before it is reported (copies in progress). */
  stableMs?: number;
  /** Which folders are skipped (the same rules as the scan's). */
  rules?: FolderRules;
}

export class FolderWatcher {
  private readonly watcher: FSWatcher;
  private batch: ChangeBatch = { files: new Map(), removedDirs: new Set() };
  private quietTimer: NodeJS.Timeout | undefined;
  private firstEventAt = 0;
  readonly ready: Promise<void>;

  constructor(
    readonly root: string,
    private readonly options: WatchOptions,
    private readonly onBatch: (batch: ChangeBatch) => void,
    onError: (error: Error) => void = () => undefined,
  ) {
    const interval = options.intervalMs ?? 2000;
    const rules = options.rules ?? new FolderRules();
    this.watcher = watch(root, {
      ignoreInitial: true,
      persistent: true,
      usePolling: options.polling,
      interval,
      binaryInterval: interval,
      ignorePermissionErrors: true,
      // The scan's rule: links are never followed (nothing outside the library, no loops).
      followSymlinks: false,
      awaitWriteFinish: options.stableMs
        ? { stabilityThreshold: options.stableMs, pollInterval: Math.min(100, options.stableMs) }
        : false,
      ignored: (file, stats) => ignored(root, file, stats, rules),
    });
    this.ready = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
    this.watcher.on('add', (file) => this.record(file, 'added'));
    this.watcher.on('change', (file) => this.record(file, 'changed'));
    this.watcher.on('unlink', (file) => this.record(file, 'removed'));
    this.watcher.on('unlinkDir', (dir) => {
      this.batch.removedDirs.add(path.resolve(dir));
      this.bump();
    });
    this.watcher.on('error', (error) => onError(error as Error));
  }

  async close(): Promise<void> {
    clearTimeout(this.quietTimer);
    await this.watcher.close();
  }

  private record(file: string, change: FileChange): void {
    const absolute = path.resolve(file);
    const before = this.batch.files.get(absolute);
    // added then changed is still new; removed then added is a change; added then removed is nothing.
    if (before === 'added' && change === 'changed') change = 'added';
    else if (before === 'removed' && change === 'added') change = 'changed';
    if (before === 'added' && change === 'removed') this.batch.files.delete(absolute);
    else this.batch.files.set(absolute, change);
    this.bump();
  }

  private bump(): void {
    const now = performance.now();
    if (!this.quietTimer) this.firstEventAt = now;
    clearTimeout(this.quietTimer);
    const quiet = this.options.quietMs ?? 300;
    const left = (this.options.maxWaitMs ?? 2000) - (now - this.firstEventAt);
    this.quietTimer = setTimeout(() => this.flush(), Math.max(0, Math.min(quiet, left)));
  }

  private flush(): void {
    this.quietTimer = undefined;
    const batch = this.batch;
    this.batch = { files: new Map(), removedDirs: new Set() };
    if (batch.files.size > 0 || batch.removedDirs.size > 0) this.onBatch(batch);
  }
}

/**
 * What the watcher never reports, as the scan: hidden entries, skipped folders and what is in
 * them, symbolic links, and files that are neither photos nor XMP sidecars (a changed sidecar
 * re-reads its photo's metadata).
 */
function ignored(
  root: string,
  file: string,
  stats: Stats | undefined,
  rules: FolderRules,
): boolean {
  const relative = path.relative(root, file);
  if (relative === '') return false;
  const parts = relative.split(path.sep);
  const name = parts.at(-1)!;
  if (parts.slice(0, -1).some((part) => rules.skips(part))) return true;
  if (name.startsWith('.')) return true;
  if (stats === undefined) return rules.skips(name);
  if (stats.isSymbolicLink()) return true;
  return stats.isFile() ? !isImageFile(name) && !isSidecarName(name) : rules.skips(name);
}
