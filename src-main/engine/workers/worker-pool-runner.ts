/**
 * The index pipeline in worker threads, each with its own model session, so decoding and
 * inference never block the main thread. The worker file is the compiled index-worker.js next
 * to this module; from TypeScript sources (vitest) it does not exist and `workerFile()` says so.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AnytagError } from '../errors.js';
import type { IndexJobResult, IndexRunner } from './index-job.js';
import type { WorkerInit, WorkerReply, WorkerRequest, WorkerStart } from './index-worker.js';

/** The compiled worker entry beside this module, or null when running from sources. */
export function workerFile(): string | null {
  const file = fileURLToPath(new URL('./index-worker.js', import.meta.url));
  return existsSync(file) ? file : null;
}

/**
 * The indexing worker's young generation (V8's space for new objects), in MB. Its objects are
 * small and short-lived (the photos' bytes and pixels live outside the JS heap); left to grow
 * to V8's default (up to 3 × 16 MB) it only holds garbage longer: ~20 MB more peak memory for
 * the same CPU time (`anytag index` of 120 photos, starter pack).
 */
const WORKER_YOUNG_GENERATION_MB = 6;

interface Pending {
  files: readonly string[];
  resolve: (results: IndexJobResult[]) => void;
}

class PoolWorker {
  readonly pending = new Map<number, Pending>();

  constructor(
    readonly worker: Worker,
    readonly provider: string,
  ) {}

  /**
   * Sends `init` to a worker (a fresh one, or one spawned ahead by spawnIndexWorkers that has
   * been loading its modules meanwhile) and resolves once its pack and session are ready.
   */
  static start(file: string, init: WorkerInit, spawned?: SpawnedWorker): Promise<PoolWorker> {
    const { worker, failure } = spawned ?? new SpawnedWorker(file);
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => reject(error);
      // A spawned worker may have failed before anyone listened (its error is kept).
      void failure.then(fail);
      worker.once('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') resolve(new PoolWorker(worker, reply.provider));
        else if (reply.type === 'failed') {
          void worker.terminate();
          reject(new AnytagError('MODEL_RUNTIME', reply.error.message, reply.error.details));
        }
      });
      worker.postMessage({ type: 'init', init } satisfies WorkerStart);
    });
  }
}

/**
 * An indexing worker thread started before its pack is known: it loads its modules
 * (onnxruntime-node, sharp, the pipeline: ~0.3 s of CPU) and then waits for its WorkerStart
 * message, so that loading overlaps the main thread's own start-up and pack checks. It reads
 * nothing of the pack before that message.
 */
export class SpawnedWorker {
  readonly worker: Worker;
  /** Resolves with the worker's error if it fails or exits early; never rejects. */
  readonly failure: Promise<Error>;

  constructor(file: string) {
    this.worker = new Worker(file, {
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    this.failure = new Promise((resolve) => {
      this.worker.once('error', resolve);
      this.worker.once('exit', (code) =>
        resolve(new AnytagError('MODEL_RUNTIME', `the indexing worker stopped (exit ${code})`)),
      );
    });
  }
}

/**
 * `count` indexing workers started now, loading their modules while the caller prepares their
 * WorkerInit (WorkerPoolRunner.start takes them); null when the worker is not built. Whoever
 * spawns them terminates them if they are never started.
 */
export function spawnIndexWorkers(count: number): SpawnedWorker[] | null {
  const file = workerFile();
  if (!file || count <= 0) return null;
  return Array.from({ length: count }, () => new SpawnedWorker(file));
}

/** How long a closing worker may take to end its session and exiftool processes (ms). */
const CLOSE_WAIT_MS = 2000;

export class WorkerPoolRunner implements IndexRunner {
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly file: string,
    private readonly init: WorkerInit,
    private readonly workers: PoolWorker[],
  ) {
    for (const worker of workers) this.watch(worker);
  }

  /** Starts `count` workers on `init`, taking those `spawned` ahead (spawnIndexWorkers) first. */
  static async start(
    init: WorkerInit,
    count = 1,
    spawned: readonly SpawnedWorker[] = [],
  ): Promise<WorkerPoolRunner> {
    const file = workerFile();
    if (!file) {
      throw new AnytagError('MODEL_RUNTIME', 'The indexing worker is not built (npm run build)');
    }
    const workers = await Promise.all(
      Array.from({ length: Math.max(1, count, spawned.length) }, (_, i) =>
        PoolWorker.start(file, init, spawned[i]),
      ),
    );
    return new WorkerPoolRunner(file, init, workers);
  }

  get provider(): string {
    return this.workers[0]?.provider ?? 'cpu';
  }

  get parallelBatches(): number {
    return this.workers.length * 2;
  }

  run(files: readonly string[]): Promise<IndexJobResult[]> {
    if (this.workers.length === 0) return Promise.resolve(failAll(files, 'no indexing worker'));
    const worker = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve) => {
      worker.pending.set(id, { files, resolve });
      worker.worker.postMessage({ type: 'run', id, files: [...files] } satisfies WorkerRequest);
    });
  }

  /** Asks each worker to close (its session and exiftool processes end), then stops it. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.workers.map(async ({ worker }) => {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ type: 'close' } satisfies WorkerRequest);
        await Promise.race([
          exited,
          new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref()),
        ]);
        await worker.terminate();
      }),
    );
  }

  private watch(worker: PoolWorker): void {
    worker.worker.on('message', (reply: WorkerReply) => {
      if (reply.type !== 'done') return;
      const pending = worker.pending.get(reply.id);
      worker.pending.delete(reply.id);
      pending?.resolve(reply.results);
    });
    // A worker that dies fails its batches (recorded per file, retried when they change) and
    // is replaced, so one bad moment never stops the run.
    worker.worker.once('exit', (code) => {
      const lost = [...worker.pending.values()];
      worker.pending.clear();
      for (const { files, resolve } of lost) {
        resolve(failAll(files, `the indexing worker stopped (exit ${code})`));
      }
      this.workers.splice(this.workers.indexOf(worker), 1);
      if (this.closed) return;
      void PoolWorker.start(this.file, this.init).then(
        (fresh) => {
          if (this.closed) return void fresh.worker.terminate();
          this.workers.push(fresh);
          this.watch(fresh);
        },
        () => undefined,
      );
    });
  }
}

function failAll(files: readonly string[], why: string): IndexJobResult[] {
  return files.map((file) => ({
    file,
    size: 0,
    mtimeMs: 0,
    hash: null,
    ok: false,
    error: { code: 'MODEL_RUNTIME', message: `${file} was not indexed: ${why}` },
  }));
}
