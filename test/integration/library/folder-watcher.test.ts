/** Real chokidar events, coalesced: a burst becomes one batch, the last event per file wins. */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FolderWatcher,
  type ChangeBatch,
} from '../../../src-main/engine/library/folder-watcher.js';
import { tempDir } from '../../helpers/temp.js';

async function collect(root: string, polling: boolean, act: () => Promise<void>) {
  const batches: ChangeBatch[] = [];
  const watcher = new FolderWatcher(
    root,
    { polling, intervalMs: 50, quietMs: 300, maxWaitMs: 3000 },
    (batch) => batches.push(batch),
  );
  await watcher.ready;
  await act();
  const started = Date.now();
  while (Date.now() - started < 8000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (batches.length > 0 && Date.now() - started > 1500) break;
  }
  await watcher.close();
  return batches;
}

describe.each([false, true])('folder watcher (polling: %s)', (polling) => {
  it('coalesces a burst of new files into one batch, ignoring non-images and hidden folders', async () => {
    // XMP sidecars are reported too (their photos' metadata is read again); other files are not.
    const root = await tempDir();
    await mkdir(path.join(root, '.thumbs'));
    const batches = await collect(root, polling, async () => {
      for (let i = 0; i < 30; i++) await writeFile(path.join(root, `p${i}.jpg`), 'x');
      await writeFile(path.join(root, 'p0.xmp'), 'sidecar');
      await writeFile(path.join(root, 'notes.txt'), 'not a photo');
      await writeFile(path.join(root, '.thumbs', 'hidden.jpg'), 'x');
    });
    expect(batches.length).toBeLessThanOrEqual(2);
    const files = new Map(batches.flatMap((b) => [...b.files]));
    expect(files.size).toBe(31);
    expect(files.has(path.join(root, 'p0.xmp'))).toBe(true);
    expect([...files.values()].every((change) => change === 'added')).toBe(true);
  });

  it('reports a rename as one file removed and one added, and a deleted folder', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'trip'));
    await writeFile(path.join(root, 'a.jpg'), 'x');
    await writeFile(path.join(root, 'trip', 'b.jpg'), 'x');
    const batches = await collect(root, polling, async () => {
      await rename(path.join(root, 'a.jpg'), path.join(root, 'c.jpg'));
      await rm(path.join(root, 'trip'), { recursive: true });
    });
    const files = new Map(batches.flatMap((b) => [...b.files]));
    expect(files.get(path.join(root, 'a.jpg'))).toBe('removed');
    expect(files.get(path.join(root, 'c.jpg'))).toBe('added');
    const dirs = new Set(batches.flatMap((b) => [...b.removedDirs]));
    expect(dirs.has(path.join(root, 'trip'))).toBe(true);
  });
});
