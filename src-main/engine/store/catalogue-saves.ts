/**
 * When the catalogue is written: debounced, so a burst of changes costs one write; spaced out
 * so saves never take more than a fifth of the time however busy indexing is; one write at a
 * time, and changes made while one runs share the next (group commit). `flush()` is the
 * durability point. A failed write is kept until one succeeds: the next flush writes again and
 * reports it, instead of reporting success. Listeners run as each write starts (its `before`
 * is awaited first; its `after` runs once the write is durable).
 */

/** Changes are written at most this often by default (ms). */
export const SAVE_DEBOUNCE_MS = 1000;
/** Waits between saves are at least this many times the last save's duration (saves then take
 *  at most a fifth of the time, however busy indexing is). */
const SAVE_SPACING = 4;

export interface SaveHook {
  before?: Promise<void>;
  after?: () => void;
}

export class CatalogueSaves {
  private saveTimer: NodeJS.Timeout | undefined;
  private pendingSave: Promise<void> = Promise.resolve();
  private saveError: unknown;
  /** A write queued behind the one running and not started yet: later flushes share it. */
  private queuedWrite: Promise<void> | undefined;
  private readonly saveListeners = new Set<() => SaveHook>();
  /** Milliseconds the last write took (serialise + fsync + rename). */
  lastSaveMs = 0;

  constructor(
    /** What a write does: `prepare` as it starts, then `write` everything changed (throws). */
    private readonly changes: { prepare: () => void; write: () => Promise<void> },
    private readonly debounceMs: number,
    /** A read-only catalogue never writes. */
    private readonly readOnly: boolean,
  ) {}

  /** See Catalogue.onSave. */
  onSave(listener: () => SaveHook): () => void {
    this.saveListeners.add(listener);
    return () => this.saveListeners.delete(listener);
  }

  /** A write a while from now (debounced and spaced; see the header). */
  schedule(): void {
    if (this.readOnly || this.saveTimer) return;
    // A large catalogue takes a while to serialise on this thread: space saves out so they never
    // take more than a fifth of the time, however busy indexing is.
    const delay = Math.max(this.debounceMs, SAVE_SPACING * this.lastSaveMs);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.queueWrite();
    }, delay);
  }

  /** See Catalogue.flush. */
  async flush(): Promise<void> {
    if (this.readOnly) return;
    // A save that failed left its changes only in memory: write them again now.
    if (this.saveTimer || this.saveError !== undefined) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.queueWrite();
    }
    await this.pendingSave;
    // Kept until a save succeeds, so the next flush tries again instead of reporting success.
    if (this.saveError !== undefined) throw this.saveError;
  }

  /** Queues a write after the running one, unless one is already queued (it will see these
   *  changes too: a write serialises the data when it starts). */
  private queueWrite(): void {
    if (this.queuedWrite) return;
    const next = this.pendingSave.then(() => {
      this.queuedWrite = undefined;
      return this.write();
    });
    this.queuedWrite = next;
    this.pendingSave = next;
  }

  /** A failed save is kept for the next flush to report; the data stays in memory and retries. */
  private async write(): Promise<void> {
    this.changes.prepare();
    const started = performance.now();
    const hooks = [...this.saveListeners].map((listener) => listener());
    try {
      await Promise.all(hooks.map((hook) => hook.before));
      await this.changes.write();
      this.lastSaveMs = performance.now() - started;
      this.saveError = undefined;
      for (const hook of hooks) hook.after?.();
    } catch (error) {
      this.saveError = error;
    }
  }
}
