/** The writer lock's face: one holder, named; an owner-only record; let go on release. */
import { mkdir, rmdir, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataFolder } from '../../../src-main/engine/store/data-folder.js';
import { LOCK_DIR, WRITER_FILE, WriterLock } from '../../../src-main/engine/store/writer-lock.js';
import { tempDir } from '../../helpers/temp.js';

describe('WriterLock', () => {
  it('has one holder, named in an owner-only record, until it lets go', async () => {
    const dir = await tempDir();
    const lock = await WriterLock.acquire(dir, 'anytag serve');
    expect((await stat(path.join(dir, WRITER_FILE))).mode & 0o777).toBe(0o600);
    await lock.advertise('http://127.0.0.1:4170', 'secret-token-123');
    expect(WriterLock.holder(dir)).toMatchObject({
      pid: process.pid,
      command: 'anytag serve',
      url: 'http://127.0.0.1:4170',
      token: 'secret-token-123',
    });
    const second = WriterLock.acquire(dir, 'anytag index');
    await expect(second).rejects.toMatchObject({
      code: 'DATA_FOLDER_BUSY',
      message: expect.stringMatching(
        new RegExp(`process ${process.pid} \\("anytag serve", since \\d{4}-\\d\\d-\\d\\dT`),
      ),
    });
    // A second server is pointed at the first one's address, not told to forward to it.
    await expect(second).rejects.toThrow('It serves at http://127.0.0.1:4170: use it there');
    // The token never travels in an error.
    const details = await second.then(
      () => null,
      (e: { details: unknown }) => e.details,
    );
    expect(JSON.stringify(details)).not.toContain('secret-token-123');
    await lock.release();
    expect(WriterLock.holder(dir)).toBeNull();
    const next = await WriterLock.acquire(dir, 'anytag index');
    await next.release();
  });

  it("opens read-only beside a writer when asked for 'auto'", async () => {
    const dir = await tempDir();
    const writer = await openDataFolder(dir, { access: 'write', command: 'first' });
    const reader = await openDataFolder(dir, { access: 'auto', command: 'second' });
    expect(writer.readOnly).toBeNull();
    expect(reader.lock).toBeNull();
    expect(reader.readOnly).toMatchObject({ why: 'busy', holder: { command: 'first' } });
    await expect(openDataFolder(dir, { access: 'write', command: 'third' })).rejects.toMatchObject({
      code: 'DATA_FOLDER_BUSY',
    });
    await writer.lock!.release();
  });

  it('stops changing the folder when its lock is taken away', async () => {
    const dir = await tempDir();
    const hold = await openDataFolder(dir, { access: 'write', command: 'holder' });
    await rmdir(path.join(dir, LOCK_DIR));
    const deadline = Date.now() + 10_000;
    while (!hold.readOnly && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(hold.readOnly?.message).toMatch(/lost the writer lock/);
    await hold.lock!.release();
  });

  it('waits out the lock of a holder killed before it wrote its record', async () => {
    const dir = await tempDir();
    const lockDir = path.join(dir, LOCK_DIR);
    await mkdir(lockDir);
    const quietSince = new Date(Date.now() - 8_500);
    await utimes(lockDir, quietSince, quietSince);
    const started = performance.now();
    const lock = await WriterLock.acquire(dir, 'after the crash');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(WriterLock.holder(dir)?.command).toBe('after the crash');
    await lock.release();
  });
});
