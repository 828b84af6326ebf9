/**
 * The per-photo catalogue on disk: one SQLite file (`photos.sqlite`, WAL journal) beside the
 * JSON document, so a change costs O(changed records) and a million photos open in seconds.
 * The one module that imports better-sqlite3.
 *
 * Rows hold as columns what is looked up or filtered on (id, unique path, its folder, content
 * hash, state, size, mtime, embedding pack and slot, and `captured_at`, kept for the metadata
 * reader), and the rest of a record (tags, provenance, dimensions, error) as JSON in `data`.
 * Which generation of each pack's embedding file the slots point into lives here too, so a
 * compaction's new slots and its new generation commit in one transaction.
 *
 * Durability: journal_mode=WAL with synchronous=FULL, so the WAL is fsynced at every commit and a
 * committed transaction survives kill -9 and power loss (NORMAL would only survive a crash of
 * the process). One connection per data folder writes (the catalogue's); others only read.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PhotoRecord } from './catalogue-schema.js';

export const PHOTO_TABLE_FILE = 'photos.sqlite';

/** Version of the SQL layout below (PRAGMA user_version). */
const TABLE_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS photos (
  id TEXT PRIMARY KEY NOT NULL,
  path TEXT NOT NULL UNIQUE,
  folder TEXT NOT NULL,
  hash TEXT,
  state TEXT NOT NULL,
  size REAL NOT NULL,
  mtime_ms REAL NOT NULL,
  embedding_pack TEXT,
  embedding_slot INTEGER,
  captured_at TEXT,
  data TEXT NOT NULL
);
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

/** The fields stored as JSON in `data` (everything not a column). */
type PhotoData = Omit<PhotoRecord, 'id' | 'path' | 'hash' | 'state' | 'size' | 'mtimeMs'>;

type Row = [
  id: string,
  path: string,
  hash: string | null,
  state: PhotoRecord['state'],
  size: number,
  mtimeMs: number,
  embeddingPack: string | null,
  embeddingSlot: number | null,
  data: string,
];

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
  private readonly db: Database.Database;
  private readonly statements;
  /** Applies changes atomically (one transaction; nothing applied if any statement fails). */
  readonly apply: (changes: PhotoChanges) => void;

  private constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > TABLE_VERSION) {
      this.db.close();
      throw new Error(
        `${file} has layout version ${version}, newer than this Anytag understands (${TABLE_VERSION})`,
      );
    }
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${TABLE_VERSION}`);
    const db = this.db;
    this.statements = {
      upsert: db.prepare(
        `INSERT INTO photos (id, path, folder, hash, state, size, mtime_ms, embedding_pack, embedding_slot, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET path = excluded.path, folder = excluded.folder,
           hash = excluded.hash, state = excluded.state, size = excluded.size,
           mtime_ms = excluded.mtime_ms, embedding_pack = excluded.embedding_pack,
           embedding_slot = excluded.embedding_slot, data = excluded.data`,
      ),
      // A row that still holds the path but is another record: that record was moved or removed
      // in memory, and its own change (later in this transaction) puts it where it now is.
      freePath: db.prepare('DELETE FROM photos WHERE path = ? AND id != ?'),
      remove: db.prepare('DELETE FROM photos WHERE id = ?'),
      all: db
        .prepare(
          `SELECT id, path, hash, state, size, mtime_ms, embedding_pack, embedding_slot, data
           FROM photos ORDER BY rowid`,
        )
        .raw(true),
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
    this.apply = this.db.transaction((changes: PhotoChanges) => this.applyNow(changes));
  }

  /**
   * Opens (creating when missing) the table file in `dataDir`. Throws when the file is not an
   * SQLite database or comes from a newer Anytag.
   */
  static open(dataDir: string): PhotoTable {
    return new PhotoTable(path.join(dataDir, PHOTO_TABLE_FILE));
  }

  /** Every record, in the order they were first stored. */
  *records(): Generator<PhotoRecord> {
    for (const row of this.statements.all.iterate() as IterableIterator<Row>) yield fromRow(row);
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
      s.upsert.run(...toRow(photo));
    }
    for (const [pack, generation] of changes.generations ?? []) {
      if (generation === null) s.forgetGeneration.run(pack);
      else s.setGeneration.run(pack, generation);
    }
    for (const [key, value] of Object.entries(changes.meta ?? {})) s.setMeta.run(key, value);
  }
}

function toRow(photo: PhotoRecord): unknown[] {
  const { id, path: file, hash, state, size, mtimeMs, ...rest } = photo;
  const data: PhotoData = rest;
  return [
    id,
    file,
    path.dirname(file),
    hash,
    state,
    size,
    mtimeMs,
    rest.embedding?.pack ?? null,
    rest.embedding?.slot ?? null,
    JSON.stringify(data),
  ];
}

function fromRow(row: Row): PhotoRecord {
  const [id, file, hash, state, size, mtimeMs, , , data] = row;
  const rest = JSON.parse(data) as PhotoData;
  return { id, path: file, size, mtimeMs, hash, state, ...rest };
}
