/**
 * How a process holds its data folder: as the one writer (the lock in writer-lock.ts), or
 * read-only — because another process writes (readers work beside a writer), because the folder
 * cannot be written (a read-only disk or mount, no permission), or because it was asked.
 * A read-only engine answers searches and browsing; the API refuses edits with READ_ONLY.
 */
import { mkdir } from 'node:fs/promises';
import { AnytagError, isNodeError } from '../errors.js';
import { WriterLock, type WriterInfo } from './writer-lock.js';

/**
 * 'write': the writer lock, or DATA_FOLDER_BUSY when another process holds it;
 * 'auto': the writer lock when free, else read-only beside the writer;
 * 'read': read-only without asking for the lock.
 * A folder that cannot be written opens read-only whatever is asked.
 */
export type DataFolderAccess = 'write' | 'auto' | 'read';

export interface ReadOnlyReason {
  why: 'busy' | 'not-writable' | 'asked';
  /** Says why, for the READ_ONLY error an edit gets. */
  message: string;
  holder?: WriterInfo;
}

export interface DataFolderHold {
  /** Held when this process is the writer; release it on close. */
  lock: WriterLock | null;
  /** Null when writable; else why not. */
  readOnly: ReadOnlyReason | null;
}

const NOT_WRITABLE = ['EROFS', 'EACCES', 'EPERM'];

export async function openDataFolder(
  dataDir: string,
  options: { access: DataFolderAccess; command: string; onLockLost?: (error: Error) => void },
): Promise<DataFolderHold> {
  if (options.access === 'read') {
    return {
      lock: null,
      readOnly: { why: 'asked', message: `The data folder ${dataDir} was opened read-only` },
    };
  }
  try {
    await mkdir(dataDir, { recursive: true });
    const hold: DataFolderHold = { lock: null, readOnly: null };
    // Should the lock be taken away (its directory removed, not refreshed in time), the API
    // refuses further edits rather than write beside another writer.
    hold.lock = await WriterLock.acquire(dataDir, options.command, (error) => {
      hold.readOnly = {
        why: 'busy',
        message: `This process lost the writer lock of ${dataDir} (${error.message}); it no longer changes it`,
      };
      process.stderr.write(`warning: ${hold.readOnly.message}\n`);
      options.onLockLost?.(error);
    });
    return hold;
  } catch (error) {
    if (isNodeError(error) && NOT_WRITABLE.includes(error.code ?? '')) {
      return {
        lock: null,
        readOnly: {
          why: 'not-writable',
          message: `The data folder ${dataDir} cannot be written (${error.code}); it is open read-only: search and browsing work, changes are refused`,
        },
      };
    }
    if (
      options.access === 'auto' &&
      error instanceof AnytagError &&
      error.code === 'DATA_FOLDER_BUSY'
    ) {
      const holder = WriterLock.holder(dataDir) ?? undefined;
      return {
        lock: null,
        readOnly: {
          why: 'busy',
          message: `${error.message} This process opened it read-only.`,
          ...(holder && { holder }),
        },
      };
    }
    throw error;
  }
}

/**
 * The READ_ONLY error for an edit asked of a read-only engine: a plain message (the reason, e.g.
 * "The data folder … cannot be written …"); the method asked is in details, for developers.
 */
export function readOnlyError(reason: ReadOnlyReason, method: string): AnytagError {
  return new AnytagError('READ_ONLY', `This change was not made. ${reason.message}`, {
    method,
    why: reason.why,
    ...(reason.holder && { holder: { ...reason.holder, token: undefined } }),
  });
}
