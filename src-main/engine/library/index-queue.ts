/**
 * The indexing queue: files waiting for the model, in three priority lanes (new photos first,
 * then changed ones, then re-embedding for another pack). Bounded: at most `parallelBatches`
 * batches of `batchSize` files are in flight, so memory stays flat however long the queue is.
 * Pause stops new batches (those in flight finish). Progress counts a "run": from the moment the
 * queue leaves idle until it is idle again.
 */
import type { IndexProgress } from './indexer.js';
import type { IndexJobResult, IndexRunner } from '../workers/index-job.js';

export const PRIORITIES = ['new', 'changed', 'reembed'] as const;
export type JobPriority = (typeof PRIORITIES)[number];

export interface QueueOptions {
  batchSize?: number;
  /** Called with each batch's results, in order; the queue waits for it before counting. */
  apply: (results: IndexJobResult[]) => Promise<{ indexed: number; failed: number }>;
  onProgress?: (progress: IndexProgress) => void;
  onIdle?: () => void;
}

/** Rate over the last RATE_WINDOW_MS, so ETA follows the current speed. */
const RATE_WINDOW_MS = 30_000;

export class IndexQueue {
  private readonly lanes = new Map<JobPriority, Set<string>>(PRIORITIES.map((p) => [p, new Set()]));
  private readonly priorityOf = new Map<string, JobPriority>();
  private inFlight = 0;
  /** Scans in progress: they keep one run open and let only full batches start meanwhile. */
  private holds = 0;
  private paused = false;
  private progress = freshProgress();
  private samples: { at: number; work: number }[] = [];
  private idleWaiters: (() => void)[] = [];
  private flightWaiters: (() => void)[] = [];
  private readonly batchSize: number;

  constructor(
    private readonly runner: IndexRunner,
    private readonly options: QueueOptions,
  ) {
    this.batchSize = options.batchSize ?? 8;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get queued(): number {
    return this.priorityOf.size;
  }

  get idle(): boolean {
    return this.priorityOf.size === 0 && this.inFlight === 0 && this.holds === 0;
  }

  /**
   * Keeps the current run open while files are still being found (one progress run, full
   * batches only); call the returned function when done.
   */
  hold(): () => void {
    this.startRunIfIdle();
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.pump();
      this.report();
      this.checkIdle();
    };
  }

  /** Counts per lane, for status. */
  lanesSnapshot(): Record<JobPriority, number> {
    return {
      new: this.lanes.get('new')!.size,
      changed: this.lanes.get('changed')!.size,
      reembed: this.lanes.get('reembed')!.size,
    };
  }

  /** Queues a file; a file already queued moves to the higher of its two priorities. */
  add(file: string, priority: JobPriority): void {
    const current = this.priorityOf.get(file);
    if (current !== undefined) {
      if (PRIORITIES.indexOf(priority) >= PRIORITIES.indexOf(current)) return;
      this.lanes.get(current)!.delete(file);
    } else {
      this.startRunIfIdle();
      this.progress.total++;
    }
    this.priorityOf.set(file, priority);
    this.lanes.get(priority)!.add(file);
    this.pump();
  }

  /** Drops a queued file (it was deleted or its folder removed). */
  remove(file: string): void {
    const priority = this.priorityOf.get(file);
    if (priority === undefined) return;
    this.lanes.get(priority)!.delete(file);
    this.priorityOf.delete(file);
    this.progress.total--;
    this.checkIdle();
  }

  /** Counts files found up to date, so a run's total covers everything it looked at. */
  countSkipped(count: number): void {
    if (count === 0) return;
    this.startRunIfIdle();
    this.progress.total += count;
    this.progress.done += count;
    this.progress.skipped += count;
    this.report();
    this.checkIdle();
  }

  /** No rate or ETA while paused; after resuming, the rate is measured afresh. */
  pause(): void {
    this.paused = true;
    this.report();
  }

  resume(): void {
    this.paused = false;
    // The paused time is no part of the rate: measure from now.
    const work = this.progress.indexed + this.progress.failed;
    this.samples = [{ at: performance.now(), work }];
    this.report();
    this.pump();
  }

  snapshot(): IndexProgress {
    return { ...this.progress, queued: this.priorityOf.size, paused: this.paused };
  }

  /** Resolves once nothing is queued or in flight (immediately when idle). */
  drained(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once no batch is in flight (queued files may remain, e.g. when paused). */
  drainInFlight(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.flightWaiters.push(resolve));
  }

  private startRunIfIdle(): void {
    if (!this.idle) return;
    this.progress = freshProgress();
    this.samples = [{ at: performance.now(), work: 0 }];
  }

  private take(): string[] {
    const batch: string[] = [];
    for (const priority of PRIORITIES) {
      for (const file of this.lanes.get(priority)!) {
        if (batch.length === this.batchSize) return batch;
        batch.push(file);
      }
    }
    return batch;
  }

  private pump(): void {
    while (
      !this.paused &&
      this.inFlight < this.runner.parallelBatches &&
      this.queued >= (this.holds > 0 ? this.batchSize : 1)
    ) {
      const batch = this.take();
      for (const file of batch) {
        this.lanes.get(this.priorityOf.get(file)!)!.delete(file);
        this.priorityOf.delete(file);
      }
      this.inFlight++;
      void this.runBatch(batch);
    }
  }

  private async runBatch(batch: string[]): Promise<void> {
    try {
      const results = await this.runner.run(batch);
      const { indexed, failed } = await this.options.apply(results);
      this.progress.indexed += indexed;
      this.progress.failed += failed;
      this.progress.done += batch.length;
      this.progress.current = batch.at(-1);
    } catch {
      // apply() records per-file failures itself; reaching here means the store failed. The
      // files stay pending in the catalogue and are queued again on the next scan.
      this.progress.failed += batch.length;
      this.progress.done += batch.length;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.flightWaiters.splice(0)) resolve();
      this.report();
      this.pump();
      this.checkIdle();
    }
  }

  private report(): void {
    if (this.paused) {
      this.progress.imagesPerSecond = 0;
      this.progress.etaSeconds = null;
      this.options.onProgress?.(this.snapshot());
      return;
    }
    const now = performance.now();
    const work = this.progress.indexed + this.progress.failed;
    this.samples.push({ at: now, work });
    while (this.samples.length > 2 && now - this.samples[1]!.at > RATE_WINDOW_MS) {
      this.samples.shift();
    }
    const first = this.samples[0]!;
    const seconds = (now - first.at) / 1000;
    const rate = seconds > 0 ? (work - first.work) / seconds : 0;
    this.progress.imagesPerSecond = rate;
    const left = this.progress.total - this.progress.done;
    this.progress.etaSeconds = rate > 0 ? left / rate : left === 0 ? 0 : null;
    this.options.onProgress?.(this.snapshot());
  }

  private checkIdle(): void {
    if (!this.idle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
    this.options.onIdle?.();
  }
}

function freshProgress(): IndexProgress {
  return {
    done: 0,
    total: 0,
    indexed: 0,
    skipped: 0,
    failed: 0,
    imagesPerSecond: 0,
    etaSeconds: null,
  };
}
