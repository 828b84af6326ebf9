/**
 * A full disk: on a small tmpfs (mounted here when the tests run as root), a label edit whose
 * save fails with ENOSPC is reported, the CLI exits non-zero without hanging, and the catalogue
 * still holds every change acknowledged before.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, STARTER_PACK, requireBuilt } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'anytag.js');

async function anytag(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { timeout: 60_000 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number; killed?: boolean };
    return { stdout: e.stdout, stderr: e.stderr, code: e.killed ? -1 : e.code };
  }
}

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
    requireBuilt(path.join(REPO_ROOT, 'out', 'node', 'cli', 'main.js'), 'run `npm run build`');
    requireBuilt(STARTER_PACK, 'run `npm run build:packs` first');
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
