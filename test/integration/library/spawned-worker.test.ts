// Indexing workers spawned ahead (worker-pool-runner.ts spawnIndexWorkers): they load their
// modules while the engine checks the pack, read the pack only once told it, and a bad model
// file or an early exit is the start's error, not a hang. Runs the compiled worker (out/node).
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

interface Runner {
  provider: string;
  run(files: readonly string[]): Promise<{ ok: boolean; matrix?: Float32Array }[]>;
  close(): Promise<void>;
}
interface Spawned {
  worker: { terminate(): Promise<number> };
}
interface RunnerModule {
  spawnIndexWorkers(count: number): Spawned[] | null;
  WorkerPoolRunner: {
    start(init: object, count: number, spawned: readonly Spawned[]): Promise<Runner>;
  };
}

const compiled = path.resolve(__dirname, '../../../out/node/engine/workers/worker-pool-runner.js');
const runnerModule = (): Promise<RunnerModule> =>
  import(pathToFileURL(compiled).href) as Promise<RunnerModule>;

const init = (packDir: string): object => ({ packDir, provider: 'cpu', threads: 1 });

describe('indexing workers spawned ahead of their pack', () => {
  it('reads the pack only once started: a pack written after the spawn indexes', async () => {
    const { spawnIndexWorkers, WorkerPoolRunner } = await runnerModule();
    const spawned = spawnIndexWorkers(1)!;
    expect(spawned).toHaveLength(1);
    const root = await tempDir();
    const packDir = await writeTinyPack(path.join(root, 'tiny'));
    const photo = path.join(root, 'red.png');
    await solidImage(photo, [255, 0, 0]);
    const runner = await WorkerPoolRunner.start(init(packDir), 1, spawned);
    try {
      expect(runner.provider).toBe('cpu');
      const [result] = await runner.run([photo]);
      expect(result?.ok).toBe(true);
    } finally {
      await runner.close();
    }
  });

  it('refuses a damaged model file in the worker, before the session reads it', async () => {
    const { spawnIndexWorkers, WorkerPoolRunner } = await runnerModule();
    const packDir = await writeTinyPack(path.join(await tempDir(), 'tampered'));
    await appendFile(path.join(packDir, 'model.onnx'), Buffer.from([0]));
    const started = WorkerPoolRunner.start(init(packDir), 1, spawnIndexWorkers(1)!);
    await expect(started).rejects.toMatchObject({
      code: 'MODEL_RUNTIME',
      message: expect.stringContaining('model.sha256') as unknown,
    });
  });

  it('fails, not hangs, when a spawned worker stopped before its start', async () => {
    const { spawnIndexWorkers, WorkerPoolRunner } = await runnerModule();
    const spawned = spawnIndexWorkers(1)!;
    await spawned[0]!.worker.terminate();
    const packDir = await writeTinyPack(path.join(await tempDir(), 'tiny'));
    await expect(WorkerPoolRunner.start(init(packDir), 1, spawned)).rejects.toThrow(/exit/);
  });
});
