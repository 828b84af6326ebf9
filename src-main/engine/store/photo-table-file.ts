/**
 * The photo table's file: its SQL layout (brought up to date on open), the journal and
 * durability settings, opening it read-only, and SQLite's storage errors as Anytag's IO errors.
 * Used only by photo-table.ts.
 *
 * Durability: journal_mode=WAL with synchronous=FULL, so the WAL is fsynced at every commit and a
 * committed transaction survives kill -9 and power loss (NORMAL would only survive a crash of
 * the process).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AnytagError } from '../errors.js';

/** Version of the SQL layout below (PRAGMA user_version). */
const TABLE_VERSION = 3;

/** Layout 1 (before `damaged` and `extra`) to 2. */
const UPGRADE_1_TO_2 = `
ALTER TABLE photos ADD COLUMN damaged TEXT;
ALTER TABLE photos ADD COLUMN extra TEXT;
`;

/**
 * Layout 2 to 3: the gallery's sort and scope keys (photo-rows.ts orderValues), filled in from
 * each row's record by fillOrderColumns in the same transaction.
 */
const UPGRADE_2_TO_3 = `
ALTER TABLE photos ADD COLUMN taken_ms REAL;
ALTER TABLE photos ADD COLUMN capture_day TEXT;
`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS photos (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL UNIQUE,
  folder TEXT NOT NULL,
  hash TEXT,
  state TEXT NOT NULL,
  size REAL NOT NULL,
  mtime_ms REAL NOT NULL,
  width INTEGER,
  height INTEGER,
  format TEXT,
  error_code TEXT,
  error_message TEXT,
  embedding_pack TEXT,
  embedding_slot INTEGER,
  tagged_by_pack TEXT,
  tagged_by_at TEXT,
  thumb INTEGER,
  captured_at TEXT,
  damaged TEXT,
  extra TEXT,
  taken_ms REAL,
  capture_day TEXT
);
CREATE TABLE IF NOT EXISTS photo_tags (
  seq INTEGER PRIMARY KEY,
  tags TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS photos_deleted AFTER DELETE ON photos
  BEGIN DELETE FROM photo_tags WHERE seq = old.seq; END;
CREATE INDEX IF NOT EXISTS photos_hash ON photos(hash) WHERE hash IS NOT NULL;
CREATE INDEX IF NOT EXISTS photos_folder ON photos(folder);
CREATE INDEX IF NOT EXISTS photos_state ON photos(state);
-- The gallery's orders (photo-order.ts): by each key, and within a folder (a path range) with
-- the keys in the index, so no row is read to count or order a folder's photos.
CREATE INDEX IF NOT EXISTS photos_taken ON photos(taken_ms);
CREATE INDEX IF NOT EXISTS photos_mtime ON photos(mtime_ms);
CREATE INDEX IF NOT EXISTS photos_path_keys ON photos(path, taken_ms, mtime_ms);
CREATE INDEX IF NOT EXISTS photos_capture_day ON photos(capture_day) WHERE capture_day IS NOT NULL;
CREATE TABLE IF NOT EXISTS embedding_files (
  pack TEXT PRIMARY KEY NOT NULL,
  generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
`;

/**
 * WAL, fsync at each commit, the layout (brought up to date); refuses a newer file's. An upgrade
 * is one transaction (columns, their values, indexes and the version together): a process killed
 * during it leaves the file as it was, and the next open upgrades it again.
 */
export function prepareFile(
  db: Database.Database,
  file: string,
  fillOrderColumns: (db: Database.Database) => void,
): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  if (layoutVersion(db, file) === TABLE_VERSION) return;
  const upgrade = db.transaction(() => {
    // Read inside the transaction (BEGIN IMMEDIATE): a second opener waits, then sees it done.
    const version = layoutVersion(db, file);
    if (version === TABLE_VERSION) return;
    // Layout 1 → 2: the `damaged` and `extra` columns.
    if (version === 1) db.exec(UPGRADE_1_TO_2);
    // Layout 2 → 3: the sort and scope keys.
    if (version === 1 || version === 2) db.exec(UPGRADE_2_TO_3);
    db.exec(SCHEMA);
    if (version > 0) fillOrderColumns(db);
    db.pragma(`user_version = ${TABLE_VERSION}`);
  });
  upgrade.immediate();
}

/** The oldest layout a read-only file can be read at (the sort columns of 3 then go unused). */
const READABLE_VERSION = 2;

/**
 * A read-only file must already have layout 2 or later (it cannot be brought up to date);
 * returns whether it has the gallery's sort and scope columns (layout 3: photo-order.ts).
 */
export function checkLayout(db: Database.Database, file: string): boolean {
  const version = layoutVersion(db, file);
  if (version < READABLE_VERSION) {
    throw new AnytagError(
      'STORE_CORRUPT',
      `${file} has layout version ${version}, older than this Anytag's (${TABLE_VERSION}), ` +
        'and cannot be brought up to date read-only: open the data folder writable once.',
      { file, version },
    );
  }
  return version >= 3;
}

function layoutVersion(db: Database.Database, file: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > TABLE_VERSION) {
    throw new AnytagError(
      'STORE_CORRUPT',
      `${file} has layout version ${version}, newer than this Anytag understands (${TABLE_VERSION})`,
      { file, version },
    );
  }
  return version;
}

/**
 * The table file opened read-only (a reader beside the writer, or a folder that cannot be
 * written); undefined when there is no file. SQLite reads a WAL database only where it can use
 * the -shm file beside it: on a read-only file system without one (the writer closed cleanly and
 * removed it) the file is read into memory instead, which holds every committed record because
 * nothing is left in a -wal file then. With a -wal file but no -shm (a writer killed, then the
 * folder made read-only) its last commits could not be read: STORE_CORRUPT says to open the
 * folder writable once.
 */
export function openReadOnlyDatabase(file: string): Database.Database | undefined {
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // Reading the layout version reads the WAL index: where that fails, so would every read.
    db.pragma('user_version', { simple: true });
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code !== 'SQLITE_CANTOPEN') throw error;
  }
  let walBytes = 0;
  try {
    walBytes = statSync(`${file}-wal`).size;
  } catch {
    // no -wal file: everything committed is in the main file
  }
  if (walBytes > 0) {
    throw new AnytagError(
      'STORE_CORRUPT',
      `${file} has changes in its -wal file that cannot be read while the folder is read-only: ` +
        'open the data folder writable once (nothing was changed).',
      { file },
    );
  }
  const image = readFileSync(file);
  // Bytes 18-19 say "WAL"; an image in memory has no WAL: mark it a rollback-journal file.
  image[18] = 1;
  image[19] = 1;
  return new Database(image, { readonly: true });
}

/**
 * SQLite's word for a full disk, a read-only file system or an IO failure, as the IO error the
 * JSON file's saves give (errno ENOSPC / EROFS / EIO in `details`); undefined for other errors.
 */
export function storageError(
  file: string,
  action: 'open' | 'save',
  error: unknown,
): AnytagError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  const [errno, hint] = code.startsWith('SQLITE_FULL')
    ? ['ENOSPC', ' (the disk is full)']
    : code.startsWith('SQLITE_READONLY')
      ? ['EROFS', ' (the file system is read-only)']
      : code.startsWith('SQLITE_IOERR')
        ? ['EIO', '']
        : [undefined, ''];
  if (!errno) return undefined;
  const then = action === 'save' ? 'The change was not saved.' : 'Nothing was changed.';
  return new AnytagError(
    'IO',
    `Could not ${action} ${file}${hint}: ${(error as Error).message}. ${then}`,
    { file, errno, sqlite: code },
    error,
  );
}
