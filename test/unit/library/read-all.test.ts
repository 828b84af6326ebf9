import { truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAll } from '../../../src-main/engine/workers/index-pipeline.js';
import { tempDir } from '../../helpers/temp.js';

describe('reading a photo once', () => {
  it('reads exactly the bytes that were stat-ed', async () => {
    const file = path.join(await tempDir(), 'a.jpg');
    await writeFile(file, Buffer.alloc(100_000, 7));
    expect((await readAll(file, 100_000)).equals(Buffer.alloc(100_000, 7))).toBe(true);
  });

  it('reports a file that shrank after stat as changed while read', async () => {
    const file = path.join(await tempDir(), 'a.jpg');
    await writeFile(file, Buffer.alloc(1000, 7));
    await truncate(file, 10);
    await expect(readAll(file, 1000)).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/changed while it was read/),
    });
  });
});
