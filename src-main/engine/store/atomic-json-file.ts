/**
 * A lowdb adapter that cannot leave a torn file: each write goes to a temp file, is fsynced and
 * renamed over the old one, whose previous good copy is kept as `<file>.bak`. Reading falls back
 * to the backup, and reports it, when the main file is missing or unreadable; it never silently
 * returns empty data for a file that exists.
 */
import { open, readFile, readdir, rename, copyFile, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { AnytagError, isNodeError } from '../errors.js';

export interface ReadReport {
  /** Set when the main file was bad and the backup was used. */
  recoveredFrom?: string;
  problem?: string;
  /** When the backup was written, and the bad file last (ISO times; absent if unknown). */
  backupSavedAt?: string;
  badSavedAt?: string;
  /** Where the bad file was kept for inspection. */
  keptAs?: string;
  /** What the recovery lost, in words: the changes saved between the two times. */
  lost?: string;
}

export class AtomicJsonFile<T> implements Adapter<T> {
  readonly backup: string;
  lastRead: ReadReport = {};

  constructor(
    readonly file: string,
    private readonly validate: (json: unknown) => T = (json) => json as T,
    /** Read-only: another process may be writing, so leave its temp files and a bad file be. */
    private readonly options: { readOnly?: boolean } = {},
  ) {
    this.backup = `${file}.bak`;
  }

  async read(): Promise<T | null> {
    this.lastRead = {};
    const readOnly = this.options.readOnly ?? false;
    if (!readOnly) await this.removeStaleTemps();
    const main = await this.tryRead(this.file);
    if (main.ok) return main.data;
    const fromBackup = await this.tryRead(this.backup);
    if (fromBackup.ok) {
      const savedAt = async (file: string): Promise<string | undefined> =>
        stat(file).then(
          (info) => info.mtime.toISOString(),
          () => undefined,
        );
      const backupSavedAt = await savedAt(this.backup);
      const badSavedAt = await savedAt(this.file);
      const keptAs = main.problem !== 'missing' && !readOnly ? await this.quarantine() : undefined;
      this.lastRead = {
        recoveredFrom: this.backup,
        problem: main.problem,
        ...(backupSavedAt && { backupSavedAt }),
        ...(badSavedAt && { badSavedAt }),
        ...(keptAs && { keptAs }),
        lost:
          `changes saved after ${backupSavedAt ?? 'the backup'}` +
          (badSavedAt ? ` (up to the last save, ${badSavedAt})` : '') +
          ' are lost' +
          (keptAs ? `; the unreadable file is kept as ${keptAs}` : ''),
      };
      return fromBackup.data;
    }
    if (main.problem === 'missing' && fromBackup.problem === 'missing') return null;
    throw new AnytagError(
      'STORE_CORRUPT',
      `The catalogue ${this.file} is unreadable (${main.problem}) and so is its backup (${fromBackup.problem}). ` +
        'Nothing was changed; restore a copy or move the file away to start a new catalogue.',
      { file: this.file, problem: main.problem, backupProblem: fromBackup.problem },
    );
  }

  async write(data: T): Promise<void> {
    if (this.options.readOnly) {
      throw new AnytagError('READ_ONLY', `${this.file} was opened read-only`, { file: this.file });
    }
    const text = JSON.stringify(data);
    const temp = `${this.file}.tmp-${process.pid}`;
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        const saved = await stat(this.file);
        await copyFile(this.file, this.backup);
        // The backup keeps its save time, so a recovery can say which changes it lacks.
        await utimes(this.backup, saved.atime, saved.mtime);
      } catch (error) {
        if (!isNodeError(error, 'ENOENT')) throw error;
      }
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw saveFailed(this.file, error);
    }
    await syncDirectory(path.dirname(this.file));
  }

  private async tryRead(
    file: string,
  ): Promise<{ ok: true; data: T } | { ok: false; problem: string }> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) return { ok: false, problem: 'missing' };
      return { ok: false, problem: (error as Error).message };
    }
    try {
      return { ok: true, data: this.validate(JSON.parse(text)) };
    } catch (error) {
      return { ok: false, problem: `not valid: ${(error as Error).message.slice(0, 200)}` };
    }
  }

  /** Temp files of writes that a crash cut short: never the data (that is the renamed file). */
  private async removeStaleTemps(): Promise<void> {
    const dir = path.dirname(this.file);
    const prefix = `${path.basename(this.file)}.tmp-`;
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name.startsWith(prefix) && name !== `${prefix}${process.pid}`) {
        await unlink(path.join(dir, name)).catch(() => undefined);
      }
    }
  }

  /** Keeps the unreadable file for inspection instead of overwriting it on the next save. */
  private async quarantine(): Promise<string | undefined> {
    const aside = `${this.file}.corrupt-${Date.now()}`;
    return rename(this.file, aside).then(
      () => aside,
      () => undefined,
    );
  }
}

/** ENOSPC, EROFS, EACCES…: an IO error naming the file and what the system said. */
function saveFailed(file: string, error: unknown): AnytagError {
  const code = isNodeError(error) ? error.code : undefined;
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? ' (the disk is full)'
      : code === 'EROFS'
        ? ' (the file system is read-only)'
        : '';
  return new AnytagError(
    'IO',
    `Could not save ${file}${hint}: ${(error as Error).message}. The change was not saved.`,
    { file, ...(code && { errno: code }) },
    error,
  );
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; not supported on every platform (e.g. Windows), so best effort.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // ignore
  }
}

export async function removeIfExists(file: string): Promise<void> {
  await unlink(file).catch((error: unknown) => {
    if (!isNodeError(error, 'ENOENT')) throw error;
  });
}
