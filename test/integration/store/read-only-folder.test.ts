/**
 * A data folder that cannot be written (here a tmpfs remounted read-only, when the tests run as
 * root) opens read-only: status and search work, an edit is refused with READ_ONLY and a clear
 * message, and nothing hangs.
 */
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireCliBuilt, runAnytag } from '../../helpers/cli.js';
import { solidImage, tempDir } from '../../helpers/temp.js';

const anytag = (args: string[]) => runAnytag(args, { timeout: 120_000 });

function mount(args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a read-only data folder', () => {
  let disk: string;
  let photos: string;
  let mounted = false;
  beforeAll(async () => {
    requireCliBuilt();
    const root = await tempDir();
    disk = path.join(root, 'disk');
    photos = path.join(root, 'photos');
    await mkdir(disk);
    await mkdir(photos);
    for (let i = 0; i < 4; i++) {
      await solidImage(path.join(photos, `p${i}.png`), [i * 60, 255 - i * 60, 90], { width: 32 });
    }
    mounted = mount(['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', disk]);
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [disk]);
  });

  it('still answers status and search, and refuses edits clearly', async (context) => {
    if (!mounted) context.skip();
    const data = path.join(disk, 'data');
    expect((await anytag(['index', photos, '--data', data])).code).toBe(0);
    expect(mount(['-o', 'remount,ro', disk])).toBe(true);

    const status = await anytag(['status', '--data', data, '--json']);
    expect(status.code).toBe(0);
    expect(status.stderr).toMatch(/cannot be written \(EROFS\).*read-only/);
    expect(JSON.parse(status.stdout).photos).toEqual({ total: 4, indexed: 4, failed: 0 });
    const search = await anytag(['search', 'green', '--data', data, '--json']);
    expect(search.code).toBe(0);
    expect(JSON.parse(search.stdout).hits).toHaveLength(4);
    const edit = await anytag(['vocab', 'add', 'yesterday', '--data', data]);
    expect(edit.code).toBe(1);
    expect(edit.stderr).toMatch(/READ_ONLY: This change was not made\. .*cannot be written/);
    expect(edit.stderr).not.toMatch(/addLabel/);
  }, 180_000);
});
