/**
 * The per-photo catalogue on disk: one SQLite file (`photos.sqlite`, WAL journal) beside the
 * JSON document, so a change costs O(changed records) and a million photos open in well under a
 * second. The one module (with photo-table-file.ts, its file's layout) that imports
 * better-sqlite3.
 *
 * Every field of a record is a column of `photos` (path unique; content hash, folder and state
 * indexed; `captured_at` kept for the metadata reader) except the tags: JSON in `photo_tags`,
 * keyed by the record's `seq` (never reused, so it orders records oldest first). Records are read
 * on demand, by id, path, hash, folder, state or all of them (photo-set.ts decides which); a
 * record's `tags` is read the first time it is used.
 * Which generation of each pack's embedding file the slots point into lives here too, so a
 * compaction's new slots and its new generation commit in one transaction.
 *
 * One connection per data folder writes (the catalogue's); others only read.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { AnytagError } from '../errors.js';
import type { PhotoRecord, PhotoState, Tag } from './catalogue-schema.js';
import {
  checkLayout,
  openReadOnlyDatabase,
  prepareFile,
  storageError,
} from './photo-table-file.js';
import { COLUMNS, RowReader, type Row } from './photo-rows.js';
import { PhotoOrder, fillOrderColumns } from './photo-order.js';
import type { EmbeddingSlot } from './photo-set.js';
import {
  PhotoWriter,
  WRITE_SQL,
  applyBatch,
  toBatch,
  type WriteBatch,
  type WriteStatements,
} from './photo-writer.js';

export { tagsUnread, type Row } from './photo-rows.js';
export const PHOTO_TABLE_FILE = 'photos.sqlite';

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
  private readonly reader: RowReader;
  /** Commits write()'s changes off this thread (a writable table file only). */
  private readonly writer: PhotoWriter | undefined;
  /**
   * Sorted, scoped gallery pages (photo-order.ts); undefined for a file opened read-only at an
   * older layout, without the sort columns (the gallery then orders records in memory).
   */
  readonly order: PhotoOrder | undefined;
  /** Applies changes atomically (one transaction; nothing applied if any statement fails). */
  readonly apply: (changes: PhotoChanges) => void;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    /** Opened read-only: `apply` throws; nothing is ever written to the file. */
    readonly readOnly: boolean,
  ) {
    let sortColumns = true;
    try {
      if (readOnly) sortColumns = checkLayout(db, file);
      else prepareFile(db, file, fillOrderColumns);
    } catch (error) {
      this.db.close();
      throw error;
    }
    const rows = (where: string) =>
      db.prepare(`SELECT ${COLUMNS} FROM photos ${where} ORDER BY seq`).raw(true);
    this.statements = {
      tagsOf: db
        .prepare('SELECT tags FROM photo_tags WHERE seq = (SELECT seq FROM photos WHERE id = ?)')
        .pluck(true),
      slice: db
        .prepare(`SELECT ${COLUMNS} FROM photos WHERE seq > ? AND seq < ? ORDER BY seq LIMIT ?`)
        .raw(true),
      embeddingSlotsBetween: db
        .prepare(
          `SELECT id, embedding_slot, seq FROM photos
           WHERE seq > ? AND seq <= ? AND embedding_pack = ? ORDER BY seq`,
        )
        .raw(true),
      embeddingSlots: db
        .prepare('SELECT id, embedding_slot, seq FROM photos WHERE embedding_pack = ? ORDER BY seq')
        .raw(true),
      byId: rows('WHERE id = ?'),
      byPath: rows('WHERE path = ?'),
      withHash: rows('WHERE hash = ?'),
      pathsBetween: rows('WHERE path >= ? AND path < ?'),
      inState: rows('WHERE state = ?'),
      toReembed: rows(
        "WHERE state = 'indexed' AND (embedding_pack IS NULL OR embedding_pack != ?)",
      ),
      count: db.prepare('SELECT count(*) FROM photos').pluck(true),
      hashes: db.prepare('SELECT id, hash FROM photos WHERE hash IS NOT NULL').raw(true),
      stateCounts: db.prepare('SELECT state, count(*) FROM photos GROUP BY state').raw(true),
      lastSeq: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'photos'").pluck(true),
      generations: db.prepare('SELECT pack, generation FROM embedding_files').raw(true),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(true),
    };
    this.order = sortColumns ? new PhotoOrder(db) : undefined;
    this.writer = readOnly || file === ':memory:' ? undefined : new PhotoWriter(file);
    this.reader = new RowReader((id) => {
      const text = this.statements.tagsOf.get(id) as string | undefined;
      return text === undefined ? [] : (JSON.parse(text) as Tag[]);
    });
    if (!sortColumns) {
      // Read-only at an older layout: the writes' columns are not there (nothing is written).
      const readOnlyError = { code: 'SQLITE_READONLY', message: 'opened read-only' };
      this.apply = () => {
        throw storageError(file, 'save', readOnlyError)!;
      };
      return;
    }
    const writes = Object.fromEntries(
      Object.entries(WRITE_SQL).map(([name, sql]) => [name, db.prepare(sql)]),
    ) as WriteStatements;
    const transaction = this.db.transaction((batch: WriteBatch) => applyBatch(writes, batch));
    this.apply = (changes) => {
      try {
        transaction(toBatch(changes));
      } catch (error) {
        throw storageError(file, 'save', error) ?? error;
      }
    };
  }

  /**
   * Opens (creating when missing) the table file in `dataDir`. Read-only: never writes, and a
   * missing file reads as an empty table in memory (see openReadOnlyDatabase). Throws
   * STORE_CORRUPT when the file is not an SQLite database or comes from a newer Anytag.
   */
  static open(dataDir: string, options: { readOnly?: boolean } = {}): PhotoTable {
    const file = path.join(dataDir, PHOTO_TABLE_FILE);
    try {
      if (!options.readOnly) return new PhotoTable(file, new Database(file), false);
      const db = openReadOnlyDatabase(file);
      return db ? new PhotoTable(file, db, true) : PhotoTable.inMemory();
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

  /** An empty table in memory (a read-only catalogue whose records are not in a table file). */
  static inMemory(): PhotoTable {
    return new PhotoTable(':memory:', new Database(':memory:'), false);
  }

  /**
   * Every record, in the order they were first stored. Their `tags` are read from the table
   * when first used, so read them while the table is open.
   */
  *records(): Generator<PhotoRecord> {
    for (const row of this.rows()) yield this.record(row);
  }

  /** The record a row read by the methods below holds (tags read on first use, as records()). */
  record(row: Row): PhotoRecord {
    return this.reader.record(row);
  }

  /** Every row, oldest first (read as iterated: one row at a time). */
  *rows(): Generator<Row> {
    let after = 0;
    for (;;) {
      const rows = this.rowsBetween(after, Number.MAX_SAFE_INTEGER, 10_000);
      yield* rows;
      if (rows.length < 10_000) return;
      after = rows.at(-1)![0];
    }
  }

  /** Up to `limit` rows with seq in (after, before), oldest first. */
  rowsBetween(after: number, before: number, limit: number): Row[] {
    return this.statements.slice.all(after, before, limit) as Row[];
  }

  /** [seq, id, slot] of every row with an embedding of this pack, oldest first. */
  /** embeddingSlots() of the rows with seq in (after, upTo]. */
  embeddingSlotsBetween(packId: string, after: number, upTo: number): EmbeddingSlot[] {
    return this.statements.embeddingSlotsBetween.all(after, upTo, packId) as EmbeddingSlot[];
  }

  /** [id, slot, seq] of every row with an embedding of this pack, oldest first. */
  embeddingSlots(packId: string): EmbeddingSlot[] {
    return this.statements.embeddingSlots.all(packId) as EmbeddingSlot[];
  }

  rowById(id: string): Row | undefined {
    return this.statements.byId.get(id) as Row | undefined;
  }

  rowByPath(file: string): Row | undefined {
    return this.statements.byPath.get(file) as Row | undefined;
  }

  /** Rows with this content hash, oldest first. */
  rowsWithHash(hash: string): Row[] {
    return this.statements.withHash.all(hash) as Row[];
  }

  /**
   * Rows whose path starts with `prefix` (a folder path ending in its separator), oldest first.
   * Compared byte by byte, as SQLite compares text: callers needing path semantics (case on
   * Windows) check each path again.
   */
  rowsWithPrefix(prefix: string): Row[] {
    const last = prefix.charCodeAt(prefix.length - 1);
    const end = prefix.slice(0, -1) + String.fromCharCode(last + 1);
    return this.statements.pathsBetween.all(prefix, end) as Row[];
  }

  /** Rows in this state, oldest first. */
  rowsInState(state: PhotoState): Row[] {
    return this.statements.inState.all(state) as Row[];
  }

  /** Indexed rows without an embedding of this pack, oldest first. */
  rowsToReembed(packId: string): Row[] {
    return this.statements.toReembed.all(packId) as Row[];
  }

  /** [id, content hash] of every row with a hash (two columns, no record parsed). */
  hashes(): [string, string][] {
    return this.statements.hashes.all() as [string, string][];
  }

  count(): number {
    return this.statements.count.get() as number;
  }

  /** Rows by state. */
  stateCounts(): Map<PhotoState, number> {
    return new Map(this.statements.stateCounts.all() as [PhotoState, number][]);
  }

  /** The largest seq ever given (seqs are never reused); 0 for a new table. */
  lastSeq(): number {
    return (this.statements.lastSeq.get() as number | undefined) ?? 0;
  }

  /** Embedding file generation by pack id. */
  generations(): Map<string, number> {
    const rows = this.statements.generations.all() as [string, number][];
    return new Map(rows);
  }

  meta(key: string): string | undefined {
    return this.statements.getMeta.get(key) as string | undefined;
  }

  /**
   * Applies changes atomically as `apply` does, committed by the writer thread (the fsync off
   * this thread) where the table is a writable file; resolves once they are on disk. A failure
   * throws as `apply`'s does, nothing of it applied.
   */
  async write(changes: PhotoChanges): Promise<void> {
    if (!this.writer) return this.apply(changes);
    try {
      await this.writer.write(toBatch(changes));
    } catch (error) {
      throw storageError(this.file, 'save', error) ?? error;
    }
  }

  /** Writes are coming: the writer thread starts now (its first write then does not wait). */
  prepareWrite(): void {
    this.writer?.prepare();
  }

  /** Closes the connection, then the writer thread's (which checkpoints the WAL as the last). */
  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    await this.writer?.close();
  }
}
