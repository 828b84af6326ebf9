/**
 * The real in-process index runner on the tiny pack — read, hash, decode, ONNX runtime, nothing
 * stood in for — and a gate around any runner that holds each batch until the test lets it go
 * (for races: a folder removed, a file renamed while its batch is in flight; for queue order).
 * The gate decides only *when* a batch runs; what comes back is the real runner's answer.
 */
import path from 'node:path';
import { afterAll } from 'vitest';
import { loadPack, type ModelPack } from '../../src-main/engine/model/pack.js';
import { ModelSession } from '../../src-main/engine/model/session.js';
import { InProcessRunner } from '../../src-main/engine/workers/in-process-runner.js';
import type { IndexJobResult, IndexRunner } from '../../src-main/engine/workers/index-job.js';
import { tempDir } from './temp.js';
import { writeTinyPack } from './tiny-pack.js';

export interface TinyRunner {
  runner: InProcessRunner;
  /** The runner's model session: releasing it makes every later model run fail (MODEL_RUNTIME). */
  session: ModelSession;
  pack: ModelPack;
}

/** The tiny pack written to a temporary folder, loaded, and run on the CPU on this thread. */
export async function openTinyRunner(): Promise<TinyRunner> {
  const dir = await writeTinyPack(path.join(await tempDir(), 'tiny'));
  const pack = await loadPack(dir);
  const io = { inputName: pack.manifest.input.name, output: pack.manifest.output };
  const session = await ModelSession.create(pack.modelFiles, io, { provider: 'cpu', threads: 1 });
  // A test may have released it already (to make the model fail).
  afterAll(() => session.release().catch(() => undefined));
  return { runner: new InProcessRunner(pack, session), session, pack };
}

export interface GatedRunner {
  runner: IndexRunner;
  /** Every batch asked of the runner, in order (held ones included). */
  readonly batches: string[][];
  /** How many batches wait at the gate now. */
  started(): number;
  /** Lets the oldest held batch run; resolves with its (real) results. */
  next(): Promise<IndexJobResult[] | undefined>;
  /** Lets every held batch run, and every later one straight through. */
  openAll(): void;
  /** Holds later batches at the gate again. */
  hold(): void;
}

/** Wraps `inner` (a real runner) so that each batch waits at a gate before it runs. */
export function gatedRunner(inner: IndexRunner, parallelBatches = 1): GatedRunner {
  const held: { go: () => void; done: Promise<IndexJobResult[]> }[] = [];
  const batches: string[][] = [];
  let open = false;
  const runner: IndexRunner = {
    get provider() {
      return inner.provider;
    },
    parallelBatches,
    run: (files) => {
      batches.push([...files]);
      if (open) return inner.run(files);
      let go!: () => void;
      const gate = new Promise<void>((resolve) => (go = resolve));
      const done = gate.then(() => inner.run(files));
      held.push({ go, done });
      return done;
    },
    close: () => inner.close(),
  };
  return {
    runner,
    batches,
    started: () => held.length,
    next: async () => {
      const batch = held.shift();
      if (!batch) return undefined;
      batch.go();
      return batch.done;
    },
    openAll: () => {
      open = true;
      for (const batch of held.splice(0)) batch.go();
    },
    hold: () => {
      open = false;
    },
  };
}
