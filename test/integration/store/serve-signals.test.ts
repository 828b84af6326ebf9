/**
 * SIGTERM and SIGINT end `anytag serve` cleanly, even in the middle of indexing: it exits with
 * status 0, promptly, lets its lock go, and what it acknowledged is on disk.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WriterLock } from '../../../src-main/engine/store/writer-lock.js';
import { requireCliBuilt } from '../../helpers/cli.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { startServe } from '../../e2e/serve-process.js';

const PHOTOS = 120;

describe('serve stops on a signal', () => {
  let root: string;
  let photos: string;
  beforeAll(async () => {
    requireCliBuilt();
    root = await tempDir();
    photos = path.join(root, 'photos');
    await mkdir(photos);
    for (let i = 0; i < PHOTOS; i++) {
      await solidImage(path.join(photos, `p${i}.png`), [i * 2, 255 - i * 2, (i * 37) % 256], {
        width: 64,
      });
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} during indexing ends serve with status 0`, async () => {
      const data = path.join(root, `data-${signal}`);
      const serve = await startServe(data);
      const added = await fetch(`${serve.origin}/api/addFolder`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${serve.token}` },
        body: JSON.stringify({ path: photos }),
      });
      expect(added.status).toBe(200);
      const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
        const started = performance.now();
        serve.child.once('exit', (code) => resolve({ code, ms: performance.now() - started }));
      });
      serve.child.kill(signal);
      const { code, ms } = await exited;
      console.log(`${signal} during indexing: exit ${code} after ${(ms / 1000).toFixed(1)} s`);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(20_000);
      expect(WriterLock.holder(data)).toBeNull();
    }, 120_000);
  }
});
