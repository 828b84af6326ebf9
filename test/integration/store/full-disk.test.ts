/**
 * A full disk: on a small tmpfs (mounted here when the tests run as root), a label edit whose
 * save fails with ENOSPC is reported, the CLI exits non-zero without hanging, and the catalogue
 * still holds every change acknowledged before.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireCliBuilt, runAnytag } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

const anytag = (args: string[]) => runAnytag(args, { timeout: 60_000 });

/** Mounts a tmpfs of `size` at `dir`; false where that is not permitted (not root, a sandbox). */
function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes zeros until the file system says ENOSPC, then frees `leaveBytes`. */
async function fillDisk(file: string, leaveBytes: number): Promise<void> {
  const handle = await open(file, 'w');
  const block = Buffer.alloc(4096);
  try {
    for (;;) await handle.write(block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  try {
    const { size } = await handle.stat();
    await handle.truncate(Math.max(0, size - leaveBytes));
  } finally {
    await handle.close();
  }
}

describe('a full disk', () => {
  let mountPoint: string;
  let mounted = false;
  beforeAll(async () => {
    requireCliBuilt();
    mountPoint = path.join(await tempDir(), 'small-disk');
    await mkdir(mountPoint);
    mounted = mountTmpfs(mountPoint, '4m');
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
  });

  it('reports ENOSPC, exits non-zero without hanging, and keeps what was saved', async (context) => {
    if (!mounted) context.skip();
    const data = path.join(mountPoint, 'data');
    const first = await anytag(['vocab', 'add', 'yesterday', '--data', data]);
    expect(first.code).toBe(0);
    const filler = path.join(mountPoint, 'filler');
    // Room for the lock's small record (one page), not for the catalogue's save.
    await fillDisk(filler, 4096);

    const started = performance.now();
    const full = await anytag(['vocab', 'add', 'happiness', '--data', data]);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `on a full disk: exit ${full.code} after ${seconds.toFixed(1)} s: ${full.stderr.trim()}`,
    );
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/ENOSPC|disk is full/);
    expect(full.stdout).not.toMatch(/added/);

    await rm(filler);
    const list = await anytag(['vocab', 'list', 'yesterday', '--data', data, '--json']);
    expect(list.code).toBe(0);
    const names = (JSON.parse(list.stdout) as { labels: { name: string }[] }).labels.map(
      (l) => l.name,
    );
    expect(names).toContain('yesterday');
    expect(names).not.toContain('happiness');
  }, 120_000);
});
