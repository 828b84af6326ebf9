/**
 * One writer per data folder. The proper-lockfile owner: the lock is the directory
 * `<data>/writer.lock` (created atomically, its mtime refreshed every second while held), and
 * `<data>/writer.json` (owner-only, 0600) names the holder — pid, host, command, since — and,
 * once `anytag serve` or the desktop app listens, the address and token a second process
 * forwards its commands to.
 *
 * A crashed holder's lock is recovered: at once when writer.json names a process of this host
 * that no longer runs (and the lock is not being refreshed), else once the lock is stale (10 s
 * without a refresh, proper-lockfile's rule).
 */
import { readFileSync } from 'node:fs';
import { open, rename, stat, rmdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AnytagError, isNodeError } from '../errors.js';

export const LOCK_DIR = 'writer.lock';
export const WRITER_FILE = 'writer.json';
/** proper-lockfile: a lock not refreshed for this long may be taken over. */
const STALE_MS = 10_000;
const UPDATE_MS = 1_000;
/** A lock whose holder is dead is taken over once it has not been refreshed for this long. */
const DEAD_HOLDER_QUIET_MS = 1_500;

/** Who holds a data folder, as written in writer.json. */
export interface WriterInfo {
  pid: number;
  host: string;
  /** The command line or role of the holder, e.g. "anytag serve". */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Where the holder's API listens (anytag serve, the desktop app), with the token it asks for. */
  url?: string;
  token?: string;
}

export class WriterLock {
  private released = false;

  private constructor(
    readonly dataDir: string,
    private info: WriterInfo,
    private readonly unlock: () => Promise<void>,
  ) {}

  /**
   * Takes the data folder's writer lock, or throws DATA_FOLDER_BUSY naming the holder (pid,
   * command, since; details.holder is the WriterInfo). `onLost` runs if the lock is taken away
   * (its directory removed, or not refreshed in time): writing must stop.
   */
  static async acquire(
    dataDir: string,
    command: string,
    onLost: (error: Error) => void = (error) =>
      process.stderr.write(`warning: lost the data folder lock: ${error.message}\n`),
  ): Promise<WriterLock> {
    const lockPath = path.join(dataDir, LOCK_DIR);
    const options = {
      lockfilePath: lockPath,
      realpath: false,
      stale: STALE_MS,
      update: UPDATE_MS,
      // A holder letting go right now (writer.json already gone, the lock not yet) is waited for.
      retries: { retries: 2, minTimeout: 100, maxTimeout: 200 },
      onCompromised: onLost,
    };
    let unlock: () => Promise<void>;
    try {
      unlock = await lockfile.lock(dataDir, options);
    } catch (error) {
      if (!isNodeError(error, 'ELOCKED')) throw error;
      if (!(await takeOverDeadHolder(dataDir, lockPath))) throw busy(dataDir);
      try {
        unlock = await lockfile.lock(dataDir, options);
      } catch (again) {
        if (isNodeError(again, 'ELOCKED')) throw busy(dataDir);
        throw again;
      }
    }
    const info: WriterInfo = {
      pid: process.pid,
      host: hostname(),
      command,
      since: new Date().toISOString(),
    };
    const lock = new WriterLock(dataDir, info, unlock);
    try {
      await writeOwnerOnly(path.join(dataDir, WRITER_FILE), info);
    } catch (error) {
      await lock.release();
      throw error;
    }
    return lock;
  }

  /** The holder named in writer.json, or null when there is none (or it is unreadable). */
  static holder(dataDir: string): WriterInfo | null {
    try {
      const json = JSON.parse(readFileSync(path.join(dataDir, WRITER_FILE), 'utf8')) as unknown;
      if (typeof json !== 'object' || json === null) return null;
      const info = json as Partial<WriterInfo>;
      if (typeof info.pid !== 'number' || typeof info.command !== 'string') return null;
      return info as WriterInfo;
    } catch {
      return null;
    }
  }

  get holder(): WriterInfo {
    return { ...this.info };
  }

  /** Records where this holder's API listens, so other processes forward to it. */
  async advertise(url: string, token: string | undefined): Promise<void> {
    this.info = { ...this.info, url, ...(token !== undefined && { token }) };
    await writeOwnerOnly(path.join(this.dataDir, WRITER_FILE), this.info);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    // writer.json first: a reader never sees this holder's address without its lock.
    await unlink(path.join(this.dataDir, WRITER_FILE)).catch(() => undefined);
    await this.unlock().catch(() => undefined);
  }
}

/** Who holds `dataDir`'s writer lock, as its writer.json says (null: nobody, or unreadable). */
export function writerOf(dataDir: string): WriterInfo | null {
  return WriterLock.holder(dataDir);
}

/** The DATA_FOLDER_BUSY error for the current holder. */
function busy(dataDir: string): AnytagError {
  const holder = WriterLock.holder(dataDir);
  const who = holder
    ? `process ${holder.pid} ("${holder.command}", since ${holder.since}${holder.host === hostname() ? '' : ` on ${holder.host}`})`
    : 'another process';
  return new AnytagError(
    'DATA_FOLDER_BUSY',
    `The data folder ${dataDir} is in use by ${who}; only one process may change it at a time. ` +
      (holder?.url
        ? `It serves at ${holder.url}: use it there, or stop it first.`
        : 'Stop that process, or run this command while `anytag serve` runs so it is sent there.'),
    { dataDir, ...(holder && { holder: { ...holder, token: undefined } }) },
  );
}

/**
 * Removes the lock of a holder that crashed: writer.json names a process of this host that no
 * longer exists, and the lock has not been refreshed for a while (so it is not a new holder
 * that has not written writer.json yet). Without such a record (a holder killed before it wrote
 * one, or on another host), a lock that stopped being refreshed is waited out until it is stale.
 * True when the lock was removed or may now be taken.
 */
async function takeOverDeadHolder(dataDir: string, lockPath: string): Promise<boolean> {
  const holder = WriterLock.holder(dataDir);
  if (!holder || holder.host !== hostname()) return waitUntilStale(lockPath);
  if (isRunning(holder.pid)) return false;
  for (;;) {
    const quietMs = await stat(lockPath).then(
      (info) => Date.now() - info.mtimeMs,
      () => null,
    );
    if (quietMs === null) return true; // released meanwhile
    if (quietMs >= DEAD_HOLDER_QUIET_MS) break;
    await new Promise((resolve) => setTimeout(resolve, DEAD_HOLDER_QUIET_MS - quietMs + 50));
    const now = WriterLock.holder(dataDir);
    if (now?.pid !== holder.pid) return false; // someone else took it meanwhile
  }
  await rmdir(lockPath).catch((error: unknown) => {
    if (!isNodeError(error, 'ENOENT')) throw error;
  });
  return true;
}

/** Waits while a lock that is no longer refreshed becomes stale; false if it is refreshed. */
async function waitUntilStale(lockPath: string): Promise<boolean> {
  for (;;) {
    const quietMs = await stat(lockPath).then(
      (info) => Date.now() - info.mtimeMs,
      () => null,
    );
    if (quietMs === null || quietMs > STALE_MS) return true;
    if (quietMs < DEAD_HOLDER_QUIET_MS) return false; // its holder is alive and refreshing it
    await new Promise((resolve) => setTimeout(resolve, STALE_MS - quietMs + 100));
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isNodeError(error, 'ESRCH');
  }
}

/** Writes JSON readable and writable by the owner only (it may hold the API token), durably. */
async function writeOwnerOnly(file: string, value: unknown): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(JSON.stringify(value, null, 2), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}
