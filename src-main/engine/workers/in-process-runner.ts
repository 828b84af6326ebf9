/** The index pipeline on this thread: for tests from TypeScript sources and for tiny jobs. */
import type { ModelPack } from '../model/pack.js';
import type { ModelSession } from '../model/session.js';
import type { IndexJobResult, IndexRunner, RunnerOptions } from './index-job.js';
import { IndexPipeline } from './index-pipeline.js';

export class InProcessRunner implements IndexRunner {
  readonly parallelBatches = 2;
  private readonly pipeline: IndexPipeline;

  constructor(pack: ModelPack, session: ModelSession, options: RunnerOptions = {}) {
    this.pipeline = new IndexPipeline(pack, session, options);
  }

  get provider(): string {
    return this.pipeline.session.provider;
  }

  run(files: readonly string[]): Promise<IndexJobResult[]> {
    return this.pipeline.run(files);
  }

  async close(): Promise<void> {
    // The session belongs to the engine, which releases it.
  }
}
