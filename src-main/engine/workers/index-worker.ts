/**
 * Worker-thread entry: owns its own pack and model session and runs the index pipeline on the
 * batches the pool sends. Plain Node only (no electron): it runs from the compiled out/node.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorShape } from '../errors.js';
import type { ExecutionProviderName } from '../model/execution-providers.js';
import { loadPack } from '../model/pack.js';
import { ModelSession } from '../model/session.js';
import type { IndexJobResult, RunnerOptions } from './index-job.js';
import { DECODE_SLOTS, IndexPipeline } from './index-pipeline.js';
import { endExiftool } from '../image/exiftool.js';

export interface WorkerInit extends RunnerOptions {
  packDir: string;
  /** The engine's remembered pack hashes (model/verified-hashes.ts), for the model file check. */
  hashCache?: string;
  provider: ExecutionProviderName | 'auto';
  threads: number;
}

/** The first message a worker receives: what to load (it loads its modules before). */
export type WorkerStart = { type: 'init'; init: WorkerInit };

export type WorkerRequest = { type: 'run'; id: number; files: string[] } | { type: 'close' };

export type WorkerReply =
  | { type: 'ready'; provider: string }
  | { type: 'failed'; error: ReturnType<typeof toErrorShape> }
  | { type: 'done'; id: number; results: IndexJobResult[] };

async function start(port: NonNullable<typeof parentPort>, init: WorkerInit): Promise<void> {
  let pipeline: IndexPipeline;
  try {
    // The engine loaded (and hash-checked) this pack before it started the workers; the model
    // file this worker's session loads is checked here, just before it is read.
    const pack = await loadPack(init.packDir, {
      hashesChecked: true,
      modelCheckedOnUse: true,
      ...(init.hashCache && { hashCache: init.hashCache }),
    });
    const session = await ModelSession.create(
      pack.modelFiles,
      { inputName: pack.manifest.input.name, output: pack.manifest.output },
      { provider: init.provider, threads: init.threads },
    );
    pipeline = new IndexPipeline(pack, session, { decodeSlots: DECODE_SLOTS, ...init });
    port.postMessage({ type: 'ready', provider: session.provider } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ type: 'failed', error: toErrorShape(error) } satisfies WorkerReply);
    return;
  }
  port.on('message', (request: WorkerRequest) => {
    if (request.type === 'close') {
      // The worker's exiftool processes (RAW previews) end with it.
      void Promise.allSettled([pipeline.session.release(), endExiftool()]).finally(() =>
        port.close(),
      );
      return;
    }
    void pipeline.run(request.files).then((results) => {
      const transfer = results.flatMap((r) => (r.ok ? [r.matrix.buffer as ArrayBuffer] : []));
      port.postMessage({ type: 'done', id: request.id, results } satisfies WorkerReply, transfer);
    });
  });
}

// The worker's modules load first (they are imported above); the pack waits for the engine's
// WorkerStart, sent once the main thread has checked the pack (worker-pool-runner.ts).
const port = parentPort;
port?.once('message', (message: WorkerStart) => void start(port, message.init));
