/**
 * Worker threads that run the SIMD kernel on the index's shared memory, for large libraries:
 * each takes chunks one at a time from a shared counter until none is left, so a query's pass
 * is split across the CPUs with no copying, and evenly even when some threads wait for a core.
 * The calling thread takes chunks from the same counter until every worker has woken up (a
 * message's wake-up costs ~0.1–1 ms, more on a busy machine), then only waits: the wake-up is
 * no longer idle time, and the calling thread (the app's main process) is not held for a pass.
 * Started on first use (or warm()); unref'd so they never keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { ARGS } from './chunk-layout.js';
import { kernelModule, type ScoreFunction } from './int8-kernel.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const score = new WebAssembly.Instance(module, { env: { memory } }).exports.score;
parentPort.on('message', ({ id, calls, claimed }) => {
  // Takes the next unclaimed chunk until none is left (claimed: [next chunk, workers awake]).
  const next = new Int32Array(claimed);
  Atomics.add(next, 1, 1);
  for (let c = Atomics.add(next, 0, 1); c * ${ARGS} < calls.length; c = Atomics.add(next, 0, 1)) {
    score(...calls.slice(c * ${ARGS}, (c + 1) * ${ARGS}));
  }
  parentPort.postMessage(id);
});`;

interface Pool {
  workers: Worker[];
  waiting: Map<number, () => void>;
  nextId: number;
}

export class KernelWorkers {
  private pool: Pool | undefined;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly count: number,
  ) {}

  /**
   * Runs kernel calls (ARGS numbers each, one chunk per call) until all are done. Each thread
   * takes the next chunk nobody has taken yet, so a thread that waits for a core (a busy
   * machine) leaves its share to the others instead of holding up the whole pass. `local`, the
   * kernel instantiated on the calling thread, takes chunks too, synchronously, from the moment
   * the workers are told until all of them are awake; the promise settles when every worker
   * has found nothing left.
   */
  async run(calls: number[], local?: ScoreFunction): Promise<void> {
    const pool = this.start();
    // [0]: the next chunk to take; [1]: workers awake.
    const claimed = new SharedArrayBuffer(8);
    const done = pool.workers.map((worker) => {
      const id = pool.nextId++;
      return new Promise<void>((resolve) => {
        pool.waiting.set(id, resolve);
        worker.postMessage({ id, calls, claimed });
      });
    });
    if (local) {
      const state = new Int32Array(claimed);
      const workers = pool.workers.length;
      while (Atomics.load(state, 1) < workers) {
        const c = Atomics.add(state, 0, 1);
        if (c * ARGS >= calls.length) break;
        local(...(calls.slice(c * ARGS, (c + 1) * ARGS) as Parameters<ScoreFunction>));
      }
    }
    await Promise.all(done);
  }

  /** Starts the threads now (run starts them otherwise), e.g. while a large index loads. */
  warm(): void {
    this.start();
  }

  /** Stops the threads; a later run starts new ones. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await Promise.all(pool.workers.map((w) => w.terminate()));
  }

  private start(): Pool {
    if (this.pool) return this.pool;
    const module = kernelModule()!;
    const pool: Pool = { workers: [], waiting: new Map(), nextId: 0 };
    for (let w = 0; w < this.count; w++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory: this.memory },
      });
      worker.unref();
      worker.on('message', (id: number) => {
        pool.waiting.get(id)?.();
        pool.waiting.delete(id);
      });
      pool.workers.push(worker);
    }
    this.pool = pool;
    return pool;
  }
}
