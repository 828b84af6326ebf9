/**
 * The photo table's writes: the SQL of a change, a change as plain rows (a WriteBatch), and the
 * writer thread that commits batches on its own connection, so the commit's fsync (WAL,
 * synchronous=FULL: tens of milliseconds on a busy disk) never blocks the main thread. The main
 * thread's connection keeps reading: WAL lets it read while the thread writes, and it sees each
 * batch once its write resolved.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import type { PhotoRecord } from './catalogue-schema.js';
import { WRITTEN, WRITTEN_NAMES, tagsUnread, toValues } from './photo-rows.js';

/** The statements a write runs, by name (prepared on the main connection and in the thread). */
export const WRITE_SQL = {
  upsert: `INSERT INTO photos (${WRITTEN}) VALUES (${WRITTEN_NAMES.map(() => '?').join()})
    ON CONFLICT(id) DO UPDATE SET ${WRITTEN_NAMES.slice(1)
      .map((c) => `${c} = excluded.${c}`)
      .join()}
    RETURNING seq`,
  setTags: `INSERT INTO photo_tags (seq, tags) VALUES (?, ?)
    ON CONFLICT(seq) DO UPDATE SET tags = excluded.tags`,
  // A record whose tags were never read: they are as stored, so the row keeps them.
  updateKeepingTags: `UPDATE photos SET ${WRITTEN_NAMES.slice(1)
    .map((c) => `${c} = ?`)
    .join()} WHERE id = ?`,
  // A row that still holds the path but is another record: that record was moved or removed
  // in memory, and its own change (later in this transaction) puts it where it now is.
  freePath: 'DELETE FROM photos WHERE path = ? AND id != ?',
  remove: 'DELETE FROM photos WHERE id = ?',
  setGeneration: `INSERT INTO embedding_files (pack, generation) VALUES (?, ?)
    ON CONFLICT(pack) DO UPDATE SET generation = excluded.generation`,
  forgetGeneration: 'DELETE FROM embedding_files WHERE pack = ?',
  setMeta: `INSERT INTO meta (key, value) VALUES (?, ?)
    ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
};

export type WriteStatements = Record<keyof typeof WRITE_SQL, Statement>;

/** One transaction's changes as plain values (what crosses to the writer thread). */
export interface WriteBatch {
  remove: string[];
  /** Each record's WRITTEN values, and its tags as JSON (null: unread, the row keeps them). */
  put: [values: unknown[], tags: string | null][];
  generations: [pack: string, generation: number | null][];
  meta: [key: string, value: string][];
}

/** The changes as a batch (read on this thread: a record's unread tags stay unread). */
export function toBatch(changes: {
  put: Iterable<PhotoRecord>;
  remove: Iterable<string>;
  generations?: ReadonlyMap<string, number | null>;
  meta?: Readonly<Record<string, string>>;
}): WriteBatch {
  return {
    remove: [...changes.remove],
    put: [...changes.put].map((photo) => [
      toValues(photo),
      tagsUnread(photo) ? null : JSON.stringify(photo.tags),
    ]),
    generations: [...(changes.generations ?? [])],
    meta: Object.entries(changes.meta ?? {}),
  };
}

/**
 * Runs a batch's statements (inside the caller's transaction). The writer thread runs the same
 * steps (APPLY_SOURCE below): keep the two alike.
 */
export function applyBatch(s: WriteStatements, batch: WriteBatch): void {
  for (const id of batch.remove) s.remove.run(id);
  for (const [values, tags] of batch.put) {
    s.freePath.run(values[1], values[0]);
    if (tags === null) s.updateKeepingTags.run(...values.slice(1), values[0]);
    else s.setTags.run((s.upsert.get(...values) as { seq: number }).seq, tags);
  }
  for (const [pack, generation] of batch.generations) {
    if (generation === null) s.forgetGeneration.run(pack);
    else s.setGeneration.run(pack, generation);
  }
  for (const [key, value] of batch.meta) s.setMeta.run(key, value);
}

/** The writer thread: its own connection (WAL, synchronous=FULL), one transaction a batch. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const s = {};
for (const [name, sql] of Object.entries(workerData.sql)) s[name] = db.prepare(sql);
const apply = db.transaction((batch) => {
  for (const id of batch.remove) s.remove.run(id);
  for (const [values, tags] of batch.put) {
    s.freePath.run(values[1], values[0]);
    if (tags === null) s.updateKeepingTags.run(...values.slice(1), values[0]);
    else s.setTags.run(s.upsert.get(...values).seq, tags);
  }
  for (const [pack, generation] of batch.generations) {
    if (generation === null) s.forgetGeneration.run(pack);
    else s.setGeneration.run(pack, generation);
  }
  for (const [key, value] of batch.meta) s.setMeta.run(key, value);
});
parentPort.on('message', (message) => {
  if (message.close) {
    db.close();
    parentPort.close();
    return;
  }
  try {
    apply(message.batch);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: error.message, code: error.code } });
  }
});
`;

interface Waiting {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Commits batches to `file` in a thread of its own, one after another, in the order given. */
export class PhotoWriter {
  private thread: { worker: Worker; waiting: Map<number, Waiting> } | undefined;
  private nextId = 0;

  constructor(private readonly file: string) {}

  /**
   * Resolves once the batch is committed (fsynced); rejects with SQLite's error (its `code`
   * kept: SQLITE_FULL, SQLITE_IOERR…) when the transaction failed, nothing of it applied.
   */
  write(batch: WriteBatch): Promise<void> {
    const { worker, waiting } = this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.ref(); // a write in flight keeps the process alive until it is on disk
      worker.postMessage({ id, batch });
    });
  }

  /**
   * Lets the thread close its connection and end, after the writes already sent; resolves once
   * it has (the last connection to close checkpoints the WAL into the file and removes it).
   */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    if (!thread) return;
    const ended = new Promise((resolve) => thread.worker.once('exit', resolve));
    thread.worker.ref();
    thread.worker.postMessage({ close: true });
    await ended;
  }

  /** Starts the thread now (a write is coming): the first write then does not wait for it. */
  prepare(): void {
    this.start();
  }

  private start(): NonNullable<PhotoWriter['thread']> {
    if (this.thread) return this.thread;
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { file: this.file, sqlite, sql: WRITE_SQL },
    });
    const thread = { worker, waiting: new Map<number, Waiting>() };
    worker.unref();
    worker.on('message', (reply: { id: number; error?: { message: string; code?: string } }) => {
      const waiting = thread.waiting.get(reply.id);
      thread.waiting.delete(reply.id);
      if (thread.waiting.size === 0) worker.unref();
      if (!reply.error) waiting?.resolve();
      else {
        const { message, code } = reply.error;
        waiting?.reject(Object.assign(new Error(message), { code }));
      }
    });
    const fail = (error: Error) => {
      if (this.thread === thread) this.thread = undefined;
      for (const waiting of thread.waiting.values()) waiting.reject(error);
      thread.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error(`The writer thread of ${this.file} ended.`)));
    this.thread = thread;
    return thread;
  }
}
