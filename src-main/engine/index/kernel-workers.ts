/**
 * Worker threads that run the SIMD kernel on the index's shared memory, for large libraries:
 * each takes one contiguous range of chunks, so a query's pass is split across the CPUs with
 * no copying. Started on first use; unref'd so they never keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { ARGS } from './chunk-layout.js';
import { kernelModule } from './int8-kernel.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const score = new WebAssembly.Instance(module, { env: { memory } }).exports.score;
parentPort.on('message', ({ id, calls }) => {
  for (let c = 0; c < calls.length; c += ${ARGS}) score(...calls.slice(c, c + ${ARGS}));
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

  /** Runs kernel calls (ARGS numbers each), shared out evenly, until all are done. */
  async run(calls: number[]): Promise<void> {
    const pool = this.start();
    const chunks = calls.length / ARGS;
    const share = Math.ceil(chunks / pool.workers.length);
    await Promise.all(
      pool.workers.map((worker, w) => {
        const mine = calls.slice(w * share * ARGS, (w + 1) * share * ARGS);
        if (mine.length === 0) return Promise.resolve();
        const id = pool.nextId++;
        return new Promise<void>((resolve) => {
          pool.waiting.set(id, resolve);
          worker.postMessage({ id, calls: mine });
        });
      }),
    );
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
