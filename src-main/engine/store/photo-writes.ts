/**
 * The catalogue's write path for photo records: which records changed and which were removed
 * since the last save, and the save itself, written to the photo table (committed by its writer
 * thread) in transactions of about TRANSACTION_MS of this thread's time, giving the thread back
 * in between (so a save of every record never blocks it for long). A compaction's changes (a new embedding file generation) go in one transaction
 * with its slots. What a failed save did not write is kept for the next one.
 */
import type { PhotoRecord } from './catalogue-schema.js';
import type { PhotoSet } from './photo-set.js';
import type { PhotoTable } from './photo-table.js';

/** A save of many photo records writes them in transactions of about this long (ms). */
const TRANSACTION_MS = 20;
/** Records in a save's first transaction; the next ones are sized to TRANSACTION_MS. */
const FIRST_TRANSACTION_RECORDS = 200;

export class PhotoWrites {
  /** Records changed since the last save, to write. */
  private readonly changed = new Set<PhotoRecord>();
  /** Ids of records removed since the last save, to delete. */
  private readonly gone = new Set<string>();
  /** Embedding file generations to set (null: the pack was forgotten). */
  private readonly generations = new Map<string, number | null>();
  /** Photo records the last save wrote or deleted (a save costs O(changed records)). */
  lastSaveRecords = 0;

  constructor(
    private readonly table: PhotoTable,
    private readonly set: PhotoSet,
  ) {}

  changedRecord(photo: PhotoRecord): void {
    this.changed.add(photo);
  }

  removedRecord(photo: PhotoRecord): void {
    this.changed.delete(photo);
    this.gone.add(photo.id);
  }

  /** A pack's embedding file generation changed (null: forgotten). */
  changedGeneration(packId: string, generation: number | null): void {
    this.generations.set(packId, generation);
  }

  /** Writes the changed and removed records; throws the table's error (IO, …). */
  async save(): Promise<void> {
    const remove = [...this.gone];
    const generations = new Map(this.generations);
    let put = [...this.changed];
    this.gone.clear();
    this.generations.clear();
    this.changed.clear();
    let chunk = generations.size > 0 ? put.length : FIRST_TRANSACTION_RECORDS;
    this.lastSaveRecords = remove.length + put.length;
    try {
      // Transactions are sized by the time they take on this thread (with the writer thread,
      // making the batch: the commit and its fsync happen there).
      let started = performance.now();
      let written = this.table.write({ put: put.slice(0, chunk), remove, generations });
      let took = performance.now() - started;
      await written;
      put = put.slice(chunk);
      while (put.length > 0) {
        // Toward TRANSACTION_MS, at most doubling (one quick batch says little about the next).
        const sized = Math.round((chunk * TRANSACTION_MS) / Math.max(1, took));
        chunk = Math.min(2 * chunk, 10_000, Math.max(20, sized));
        await new Promise((resolve) => setImmediate(resolve));
        started = performance.now();
        const live = put.slice(0, chunk).filter((p) => this.set.isLive(p));
        written = this.table.write({ put: live, remove: [] });
        took = performance.now() - started;
        await written;
        put = put.slice(chunk);
      }
    } catch (error) {
      // Put back what was not written (changes made meanwhile are in the sets already).
      for (const id of remove) if (!this.set.byId(id)) this.gone.add(id);
      for (const [pack, generation] of generations) {
        if (!this.generations.has(pack)) this.generations.set(pack, generation);
      }
      for (const photo of put) if (this.set.isLive(photo)) this.changed.add(photo);
      throw error;
    }
  }
}
