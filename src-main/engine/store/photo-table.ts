/**
 * The per-photo catalogue on disk: one SQLite file (`photos.sqlite`, WAL journal) beside the
 * JSON document, so a change costs O(changed records) and a million photos open in seconds.
 * The one module that imports better-sqlite3.
 *
 * Every field of a record is a column of `photos` (path unique; content hash, folder and state
 * indexed; `captured_at` kept for the metadata reader) except the tags: JSON in `photo_tags`,
 * keyed by the record's `seq` (never reused). Opening reads `photos` only: a record's `tags` is
 * read the first time it is used (lazyTags), so a library opens without reading or parsing every
 * tag of every photo.
 * Which generation of each pack's embedding file the slots point into lives here too, so a
 * compaction's new slots and its new generation commit in one transaction.
 *
 * Durability: journal_mode=WAL with synchronous=FULL, so the WAL is fsynced at every commit and a
 * committed transaction survives kill -9 and power loss (NORMAL would only survive a crash of
 * the process). One connection per data folder writes (the catalogue's); others only read.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AnytagError } from '../errors.js';
import type { PhotoRecord, Tag } from './catalogue-schema.js';

export const PHOTO_TABLE_FILE = 'photos.sqlite';

/** Version of the SQL layout below (PRAGMA user_version). */
const TABLE_VERSION = 2;

/** Layout 1 (before `damaged` and `extra`) to 2. */
const UPGRADE_1_TO_2 = `
ALTER TABLE photos ADD COLUMN damaged TEXT;
ALTER TABLE photos ADD COLUMN extra TEXT;
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
  extra TEXT
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
CREATE TABLE IF NOT EXISTS embedding_files (
  pack TEXT PRIMARY KEY NOT NULL,
  generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
`;

/** The columns every record is read with (all but the tags), in this order. */
const COLUMNS = `seq, id, path, hash, state, size, mtime_ms, width, height, format, error_code,
  error_message, embedding_pack, embedding_slot, tagged_by_pack, tagged_by_at, thumb, damaged,
  extra`;

type Row = [
  seq: number,
  id: string,
  path: string,
  hash: string | null,
  state: PhotoRecord['state'],
  size: number,
  mtimeMs: number,
  width: number | null,
  height: number | null,
  format: string | null,
  errorCode: string | null,
  errorMessage: string | null,
  embeddingPack: string | null,
  embeddingSlot: number | null,
  taggedByPack: string | null,
  taggedByAt: string | null,
  thumb: number | null,
  damaged: string | null,
  extra: string | null,
];

/** Columns of Row whose values many records share. */
const SHARED_COLUMNS = [4, 9, 10, 12, 14, 15] as const;

/** The columns a change writes, in the order of `toValues`. */
const WRITTEN = `id, path, folder, hash, state, size, mtime_ms, width, height, format, error_code,
  error_message, embedding_pack, embedding_slot, tagged_by_pack, tagged_by_at, thumb, damaged,
  extra`;
const WRITTEN_NAMES = WRITTEN.split(',').map((name) => name.trim());

/** One transaction's worth of changes. */
export interface PhotoChanges {
  /** Records to insert or overwrite (keyed by id). */
  put: Iterable<PhotoRecord>;
  /** Ids of records to delete. */
  remove: Iterable<string>;
  /** Embedding file generations to set, by pack id; null forgets the pack. */
  generations?: ReadonlyMap<string, number | null>;
  /** Meta entries to set in the same transaction (e.g. the migration's marker). */
  meta?: Readonly<Record<string, string>>;
}

export class PhotoTable {
  private readonly statements;
  /** Applies changes atomically (one transaction; nothing applied if any statement fails). */
  readonly apply: (changes: PhotoChanges) => void;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    /** Opened read-only: `apply` throws; nothing is ever written to the file. */
    readonly readOnly: boolean,
  ) {
    try {
      if (readOnly) this.checkLayout();
      else this.prepareFile();
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.statements = {
      upsert: db.prepare(
        `INSERT INTO photos (${WRITTEN}) VALUES (${WRITTEN_NAMES.map(() => '?').join()})
         ON CONFLICT(id) DO UPDATE SET
           ${WRITTEN_NAMES.slice(1)
             .map((c) => `${c} = excluded.${c}`)
             .join()}
         RETURNING seq`,
      ),
      setTags: db.prepare(
        `INSERT INTO photo_tags (seq, tags) VALUES (?, ?)
         ON CONFLICT(seq) DO UPDATE SET tags = excluded.tags`,
      ),
      // A record whose tags were never read: they are as stored, so the row keeps them.
      updateKeepingTags: db.prepare(
        `UPDATE photos SET ${WRITTEN_NAMES.slice(1)
          .map((c) => `${c} = ?`)
          .join()} WHERE id = ?`,
      ),
      tagsOf: db.prepare('SELECT tags FROM photo_tags WHERE seq = ?').pluck(true),
      // A row that still holds the path but is another record: that record was moved or removed
      // in memory, and its own change (later in this transaction) puts it where it now is.
      freePath: db.prepare('DELETE FROM photos WHERE path = ? AND id != ?'),
      remove: db.prepare('DELETE FROM photos WHERE id = ?'),
      all: db.prepare(`SELECT ${COLUMNS} FROM photos ORDER BY seq`).raw(true),
      count: db.prepare('SELECT count(*) FROM photos').pluck(true),
      setGeneration: db.prepare(
        `INSERT INTO embedding_files (pack, generation) VALUES (?, ?)
         ON CONFLICT(pack) DO UPDATE SET generation = excluded.generation`,
      ),
      forgetGeneration: db.prepare('DELETE FROM embedding_files WHERE pack = ?'),
      generations: db.prepare('SELECT pack, generation FROM embedding_files').raw(true),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(true),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
    };
    const transaction = this.db.transaction((changes: PhotoChanges) => this.applyNow(changes));
    this.apply = (changes) => {
      try {
        transaction(changes);
      } catch (error) {
        throw storageError(file, 'save', error) ?? error;
      }
    };
  }

  /** WAL, fsync at each commit, the layout (brought up to date); refuses a newer file's. */
  private prepareFile(): void {
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    const version = this.layoutVersion();
    if (version === TABLE_VERSION) return;
    // Layout 1 → 2: the `damaged` and `extra` columns.
    if (version === 1) this.db.exec(UPGRADE_1_TO_2);
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${TABLE_VERSION}`);
  }

  /** A read-only file must already have this layout (it cannot be brought up to date). */
  private checkLayout(): void {
    const version = this.layoutVersion();
    if (version < TABLE_VERSION) {
      throw new AnytagError(
        'STORE_CORRUPT',
        `${this.file} has layout version ${version}, older than this Anytag's (${TABLE_VERSION}), ` +
          'and cannot be brought up to date read-only: open the data folder writable once.',
        { file: this.file, version },
      );
    }
  }

  private layoutVersion(): number {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > TABLE_VERSION) {
      throw new AnytagError(
        'STORE_CORRUPT',
        `${this.file} has layout version ${version}, newer than this Anytag understands (${TABLE_VERSION})`,
        { file: this.file, version },
      );
    }
    return version;
  }

  /**
   * Opens (creating when missing) the table file in `dataDir`. Read-only: never writes (see
   * openReadOnly). Throws STORE_CORRUPT when the file is not an SQLite database or comes from a
   * newer Anytag.
   */
  static open(dataDir: string, options: { readOnly?: boolean } = {}): PhotoTable {
    const file = path.join(dataDir, PHOTO_TABLE_FILE);
    try {
      return options.readOnly
        ? PhotoTable.openReadOnly(file)
        : new PhotoTable(file, new Database(file), false);
    } catch (error) {
      if (error instanceof AnytagError) throw error;
      const io = storageError(file, 'open', error);
      if (io) throw io;
      throw new AnytagError(
        'STORE_CORRUPT',
        `The photo catalogue ${file} cannot be opened (${(error as Error).message}). Nothing was ` +
          'changed; restore a copy, or move it (with its -wal file) away to start it anew: the ' +
          'next scan finds the photos again, without their tags.',
        { file },
        error,
      );
    }
  }

  /**
   * Opens the table file read-only (a reader beside the writer, or a folder that cannot be
   * written); a missing file reads as an empty table in memory. SQLite reads a WAL database only
   * where it can use the -shm file beside it: on a read-only file system without one (the writer
   * closed cleanly and removed it) the file is read into memory instead, which holds every
   * committed record because nothing is left in a -wal file then. With a -wal file but no -shm
   * (a writer killed, then the folder made read-only) its last commits could not be read:
   * STORE_CORRUPT says to open the folder writable once.
   */
  private static openReadOnly(file: string): PhotoTable {
    if (!existsSync(file)) return PhotoTable.inMemory();
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      // Reading the layout version reads the WAL index: where that fails, so would every read.
      db.pragma('user_version', { simple: true });
      return new PhotoTable(file, db, true);
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
    return new PhotoTable(file, new Database(image, { readonly: true }), true);
  }

  /** An empty table in memory (a read-only catalogue whose records are not in a table file). */
  static inMemory(): PhotoTable {
    return new PhotoTable(':memory:', new Database(':memory:'), false);
  }

  /**
   * Every record, in the order they were first stored. Their `tags` are read from the table
   * when first used, so read them while the table is open.
   */
  *records(): Generator<PhotoRecord> {
    const tagsOf = (seq: number) => {
      const text = this.statements.tagsOf.get(seq) as string | undefined;
      return text === undefined ? [] : (JSON.parse(text) as Tag[]);
    };
    const shared = new Map<string, string>();
    const intern = (text: string | null) => {
      if (text === null) return null;
      const known = shared.get(text);
      if (known !== undefined) return known;
      shared.set(text, text);
      return text;
    };
    for (const row of this.statements.all.iterate() as IterableIterator<Row>) {
      // One copy of each value many records share (state, format, pack, tagging time).
      for (const column of SHARED_COLUMNS) row[column] = intern(row[column] as string) as never;
      yield fromRow(row, tagsOf);
    }
  }

  count(): number {
    return this.statements.count.get() as number;
  }

  /** Embedding file generation by pack id. */
  generations(): Map<string, number> {
    const rows = this.statements.generations.all() as [string, number][];
    return new Map(rows);
  }

  meta(key: string): string | undefined {
    return this.statements.getMeta.get(key) as string | undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private applyNow(changes: PhotoChanges): void {
    const s = this.statements;
    for (const id of changes.remove) s.remove.run(id);
    for (const photo of changes.put) {
      s.freePath.run(photo.path, photo.id);
      const values = toValues(photo);
      if (tagsUnread(photo)) s.updateKeepingTags.run(...values.slice(1), photo.id);
      else {
        const { seq } = s.upsert.get(...values) as { seq: number };
        s.setTags.run(seq, JSON.stringify(photo.tags));
      }
    }
    for (const [pack, generation] of changes.generations ?? []) {
      if (generation === null) s.forgetGeneration.run(pack);
      else s.setGeneration.run(pack, generation);
    }
    for (const [key, value] of Object.entries(changes.meta ?? {})) s.setMeta.run(key, value);
  }
}

/**
 * SQLite's word for a full disk, a read-only file system or an IO failure, as the IO error the
 * JSON file's saves give (errno ENOSPC / EROFS / EIO in `details`); undefined for other errors.
 */
function storageError(
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

function toValues(photo: PhotoRecord): unknown[] {
  return [
    photo.id,
    photo.path,
    path.dirname(photo.path),
    photo.hash,
    photo.state,
    photo.size,
    photo.mtimeMs,
    photo.width ?? null,
    photo.height ?? null,
    photo.format ?? null,
    photo.error?.code ?? null,
    photo.error?.message ?? null,
    photo.embedding?.pack ?? null,
    photo.embedding?.slot ?? null,
    photo.taggedBy?.pack ?? null,
    photo.taggedBy?.at ?? null,
    photo.thumb === undefined ? null : photo.thumb ? 1 : 0,
    photo.damaged ?? null,
    extraFields(photo),
  ];
}

/** The record fields with a column of their own (or, tags, their own table). */
const COLUMN_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'path',
  'hash',
  'state',
  'size',
  'mtimeMs',
  'width',
  'height',
  'format',
  'error',
  'embedding',
  'taggedBy',
  'thumb',
  'tags',
  'damaged',
]);

/**
 * Fields of a record without a column (added to the record's shape after the table's layout):
 * JSON of them in `extra`, so every field round-trips; null when there are none.
 */
function extraFields(photo: PhotoRecord): string | null {
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(photo)) {
    // (Reading `tags` here would read a record's unread tags.)
    if (COLUMN_FIELDS.has(key)) continue;
    const value = (photo as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    (extra ??= {})[key] = value;
  }
  return extra === undefined ? null : JSON.stringify(extra);
}

function fromRow(row: Row, tagsOf: (seq: number) => Tag[]): PhotoRecord {
  const [seq, id, file, hash, state, size, mtimeMs, width, height, format, errorCode] = row;
  const [errorMessage, embeddingPack, embeddingSlot, taggedByPack, taggedByAt, thumb] = [
    row[11],
    row[12],
    row[13],
    row[14],
    row[15],
    row[16],
  ];
  const [damaged, extra] = [row[17], row[18]];
  // Only the fields a record has, as a record parsed from JSON would be.
  const photo = {
    ...(extra !== null && (JSON.parse(extra) as object)),
    id,
    path: file,
    size,
    mtimeMs,
    hash,
    state,
  } as PhotoRecord;
  if (width !== null) photo.width = width;
  if (height !== null) photo.height = height;
  if (format !== null) photo.format = format;
  if (errorCode !== null) photo.error = { code: errorCode, message: errorMessage ?? '' };
  if (embeddingPack !== null) {
    photo.embedding = { pack: embeddingPack, slot: embeddingSlot ?? 0 };
  }
  if (taggedByPack !== null) photo.taggedBy = { pack: taggedByPack, at: taggedByAt ?? '' };
  if (thumb !== null) photo.thumb = thumb === 1;
  if (damaged !== null) photo.damaged = damaged;
  lazyTags(photo, () => tagsOf(seq));
  return photo;
}

/**
 * Gives `photo` a `tags` property read by `load` on first use (then an ordinary property).
 * Enumerable, so spreading, cloning and JSON see the tags as if they had always been there.
 */
function lazyTags(photo: PhotoRecord, load: () => Tag[]): void {
  const settle = (tags: Tag[]) => {
    Object.defineProperty(photo, 'tags', {
      value: tags,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return tags;
  };
  Object.defineProperty(photo, 'tags', {
    get: () => settle(load()),
    set: settle,
    enumerable: true,
    configurable: true,
  });
}

/** The record's tags were never read since it was loaded (so they are as stored). */
export function tagsUnread(photo: PhotoRecord): boolean {
  return Object.getOwnPropertyDescriptor(photo, 'tags')?.get !== undefined;
}
