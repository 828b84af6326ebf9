/**
 * The catalogue's photo records in memory: the ones read so far, over the photo table. Opening
 * reads no record (a million photos open in milliseconds): a record is read from the table the
 * first time it is asked for (by id, path, hash, folder, state) and kept, so each record has one
 * object for as long as the catalogue is open, and changes made to it in memory (saved later by
 * the catalogue) are what every later lookup sees. `all()` reads every record once; from then on
 * every lookup is answered from memory, as before the table.
 *
 * A kept record wins over its row (the row may be older: the record changed, moved or was removed
 * since the last save), so every query skips rows of kept or removed records and adds the kept
 * records that match. Counts by state are kept up to date with every change, so `status` never
 * reads a record.
 */
import path from 'node:path';
import { isInside } from '../paths.js';
import type { PhotoRecord, PhotoState } from './catalogue-schema.js';
import { ID, SEQ } from './photo-rows.js';
import type { PhotoTable, Row } from './photo-table.js';

/**
 * Each kept record's seq (its row's, or for one added since opening, one after every row's), in
 * a property of the record that nothing else sees (not enumerable: spreading, JSON and
 * comparisons skip it; cheaper than a map of a million records).
 */
const SEQ_OF = Symbol('seq');

function seqOf(photo: PhotoRecord): number {
  return (photo as unknown as Record<typeof SEQ_OF, number>)[SEQ_OF];
}

/**
 * The size of the next slice of a reading done in slices that give the thread back: `size` scaled
 * toward `sliceMs` by what the last slice (`tookMs`) cost, within [min, max], and at most double
 * the last (one quick slice says little about the next).
 */
function nextSlice(size: number, tookMs: number, sliceMs: number, min: number, max: number) {
  const toward = Math.round((size * sliceMs) / Math.max(1, tookMs));
  return Math.min(2 * size, max, Math.max(min, toward));
}

/** A record's embedding slot: [id, slot, seq]. */
export type EmbeddingSlot = [id: string, slot: number, seq?: number];

export class PhotoSet {
  /** Records read (or added) so far, by id: while kept, a record is the one object for its id. */
  private readonly kept = new Map<string, PhotoRecord>();
  /**
   * Records whose path changed since opening (added or moved), by their new path, and whose
   * content hash did, by their new hash: the table's rows may not say so yet. Other lookups by
   * path and hash go through the table's indexes (no map of a million paths is built).
   */
  private readonly movedTo = new Map<string, PhotoRecord>();
  private readonly rehashedTo = new Map<string, PhotoRecord[]>();
  private nextSeq: number;
  /** Ids removed since opening: their rows (until saved) no longer count. */
  private readonly removedIds = new Set<string>();
  /** Every record, oldest first, once all() read them (removed ones until the next compact). */
  private list: PhotoRecord[] | undefined;
  private removedFromList = 0;
  /** Rows below this seq were in the table at open; records added since have higher seqs. */
  private readonly openedAt: number;
  /** Reading every record (all(), warm()): the records of the rows read so far, oldest first. */
  private readSoFar: PhotoRecord[] = [];
  /** The seq of the last row read into readSoFar. */
  private readUpTo = 0;
  /** Records added since open, until all() has read every record. */
  private added: PhotoRecord[] = [];
  /** warm() stops at its next slice. */
  private stopped = false;
  /** The one reading in slices (warm()'s callers share it). */
  private warming: Promise<void> | undefined;
  private total: number;
  private readonly states: Map<PhotoState, number>;

  constructor(private readonly table: PhotoTable) {
    this.total = table.count();
    this.states = table.stateCounts();
    this.nextSeq = table.lastSeq() + 1;
    this.openedAt = this.nextSeq;
  }

  /** How many records there are (answered from counts kept up to date, no record read). */
  get size(): number {
    return this.total;
  }

  /** How many records are in each state. */
  countsByState(): ReadonlyMap<PhotoState, number> {
    return this.states;
  }

  /** Every record, oldest first (the first call reads every record not read yet). */
  all(): readonly PhotoRecord[] {
    let list = this.list;
    while (!list) list = this.readSlice(10_000) ? undefined : this.list!;
    if (this.removedFromList > 0) {
      list = this.list = list.filter((p) => this.isLive(p));
      this.removedFromList = 0;
    }
    return list;
  }

  /**
   * Reads every record not read yet in slices of about `sliceMs`, giving the thread back between
   * them (all() then answers from memory without blocking). A call of all() meanwhile reads the
   * rest at once. Resolves when every record is read, or once stop() was called; callers share
   * the one reading.
   */
  warm(sliceMs = 20): Promise<void> {
    this.warming ??= this.readInSlices(sliceMs);
    return this.warming;
  }

  private async readInSlices(sliceMs: number): Promise<void> {
    let rows = 500;
    while (!this.list && !this.stopped) {
      const started = performance.now();
      if (!this.readSlice(rows)) return;
      rows = nextSlice(rows, performance.now() - started, sliceMs, 100, 50_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Ends warm() (the table is closing). */
  stop(): void {
    this.stopped = true;
  }

  /** The records kept in memory (every one that changed since opening is among them). */
  keptRecords(): IterableIterator<PhotoRecord> {
    return this.kept.values();
  }

  byId(id: string): PhotoRecord | undefined {
    const found = this.kept.get(id);
    if (found || this.list || this.removedIds.has(id)) return found;
    const row = this.table.rowById(id);
    return row && this.keep(row);
  }

  atPath(file: string): PhotoRecord | undefined {
    const moved = this.movedTo.get(file);
    if (moved && this.isLive(moved) && moved.path === file) return moved;
    const row = this.table.rowByPath(file);
    // The row's record may have moved away since (and been kept): its row is then out of date.
    const photo = row && (this.kept.get(row[ID]) ?? this.fromRow(row));
    return photo?.path === file ? photo : undefined;
  }

  /** Records with this content hash, oldest first. */
  withHash(hash: string): PhotoRecord[] {
    const found = new Set<PhotoRecord>();
    const rehashed = this.rehashedTo.get(hash)?.filter((p) => this.isLive(p) && p.hash === hash);
    if (rehashed?.length) this.rehashedTo.set(hash, rehashed);
    else this.rehashedTo.delete(hash);
    for (const photo of rehashed ?? []) found.add(photo);
    for (const row of this.table.rowsWithHash(hash)) {
      const photo = this.kept.get(row[ID]) ?? this.fromRow(row);
      if (photo?.hash === hash) found.add(photo);
    }
    return this.oldestFirst([...found]);
  }

  /** Records whose path lies under `folder` (not the folder itself), oldest first. */
  under(folder: string): PhotoRecord[] {
    const inside = (p: PhotoRecord) => p.path !== folder && isInside(folder, p.path);
    // Windows compares paths without case: byte order (the table's) cannot pick them out there.
    if (process.platform === 'win32') return this.all().filter(inside);
    const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
    if (this.list) return this.all().filter((p) => p.path.startsWith(prefix) && inside(p));
    return this.query(this.table.rowsWithPrefix(prefix), inside);
  }

  /**
   * Every live record's content hash, exactly: the kept records' hashes, and the rows' but of
   * kept or removed records (a row is older than its kept record until saved). No record read.
   */
  hashes(): Set<string> {
    const found = new Set<string>();
    if (!this.list) {
      for (const [id, hash] of this.table.hashes())
        if (!this.kept.has(id) && !this.removedIds.has(id)) found.add(hash);
    }
    for (const photo of this.list ? this.all() : this.kept.values())
      if (photo.hash) found.add(photo.hash);
    return found;
  }

  /** Records in this state, oldest first. */
  inState(state: PhotoState): PhotoRecord[] {
    const match = (p: PhotoRecord) => p.state === state;
    if (this.list) return this.all().filter(match);
    return this.query(this.table.rowsInState(state), match);
  }

  /** Indexed records without an embedding of this pack, oldest first. */
  toReembed(packId: string): PhotoRecord[] {
    const match = (p: PhotoRecord) => p.state === 'indexed' && p.embedding?.pack !== packId;
    if (this.list) return this.all().filter(match);
    return this.query(this.table.rowsToReembed(packId), match);
  }

  /**
   * [id, slot, seq] of every record with an embedding of this pack, oldest first; no record is
   * read for it (the rows' ids and slots only).
   */
  embeddingSlots(packId: string): EmbeddingSlot[] {
    return this.slotsWith(packId, this.list ? [] : this.table.embeddingSlots(packId));
  }

  /**
   * embeddingSlots() read in slices of about `sliceMs` that give the thread back (a million
   * photos' slots take seconds to read).
   */
  async embeddingSlotsInSlices(packId: string, sliceMs = 20): Promise<EmbeddingSlot[]> {
    // Rows above `end` are of records added since open: those are kept, and counted from memory.
    const end = this.nextSeq;
    const rows: EmbeddingSlot[] = [];
    let span = 5_000;
    for (let from = 0; from < end && !this.list;) {
      const started = performance.now();
      const to = Math.min(end, from + span);
      for (const row of this.table.embeddingSlotsBetween(packId, from, to)) rows.push(row);
      from = to;
      span = nextSlice(span, performance.now() - started, sliceMs, 1000, Infinity);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return this.slotsWith(packId, this.list ? [] : rows);
  }

  /** The rows (but of kept or removed records) with the kept records' slots, oldest first. */
  private slotsWith(packId: string, rows: EmbeddingSlot[]): EmbeddingSlot[] {
    const has = (p: PhotoRecord) => p.embedding?.pack === packId;
    const slotOf = (p: PhotoRecord): EmbeddingSlot => [p.id, p.embedding!.slot, seqOf(p)];
    if (this.list) return this.all().flatMap((p) => (has(p) ? [slotOf(p)] : []));
    // Nothing kept or removed (a library just opened): the rows are the answer.
    if (this.kept.size === 0 && this.removedIds.size === 0) return rows;
    const kept = this.oldestFirst([...this.kept.values()].filter(has));
    const slots: EmbeddingSlot[] = [];
    let next = 0;
    for (const row of rows) {
      for (; next < kept.length && seqOf(kept[next]!) < row[2]!; next++) {
        slots.push(slotOf(kept[next]!));
      }
      if (!this.kept.has(row[0]) && !this.removedIds.has(row[0])) slots.push(row);
    }
    for (const p of kept.slice(next)) slots.push(slotOf(p));
    return slots;
  }

  isLive(photo: PhotoRecord): boolean {
    return this.kept.get(photo.id) === photo;
  }

  /** A new record (added since opening). */
  add(photo: PhotoRecord): void {
    this.removedIds.delete(photo.id);
    this.index(photo, this.nextSeq++);
    this.movedTo.set(photo.path, photo);
    if (photo.hash) this.rehashed(photo, photo.hash);
    (this.list ?? this.added).push(photo);
    this.total++;
    this.countState(photo.state, 1);
  }

  /** Takes a record out; false when it was not in the set (removed already). */
  remove(photo: PhotoRecord): boolean {
    if (!this.isLive(photo)) return false;
    this.kept.delete(photo.id);
    this.removedIds.add(photo.id);
    if (this.movedTo.get(photo.path) === photo) this.movedTo.delete(photo.path);
    this.removedFromList++;
    this.total--;
    this.countState(photo.state, -1);
    return true;
  }

  /** Gives a kept record a new path (the record at `to`, if any, was removed first). */
  move(photo: PhotoRecord, to: string): void {
    if (this.movedTo.get(photo.path) === photo) this.movedTo.delete(photo.path);
    photo.path = to;
    this.movedTo.set(to, photo);
  }

  /** Gives a kept record a new content hash. */
  rehash(photo: PhotoRecord, hash: string | null): void {
    photo.hash = hash;
    if (hash) this.rehashed(photo, hash);
  }

  /** A kept record's state is about to change from its current one to `to`. */
  changeState(photo: PhotoRecord, to: PhotoState): void {
    if (!this.isLive(photo) || photo.state === to) return;
    this.countState(photo.state, -1);
    this.countState(to, 1);
  }

  /** Counts states again from every record (after records were changed in place). */
  recount(): void {
    this.states.clear();
    for (const photo of this.all()) this.countState(photo.state, 1);
  }

  private countState(state: PhotoState, by: number): void {
    const count = (this.states.get(state) ?? 0) + by;
    if (count === 0) this.states.delete(state);
    else this.states.set(state, count);
  }

  /** The rows' records not kept or removed, with the kept records that `match`, oldest first. */
  private query(rows: Row[], match: (photo: PhotoRecord) => boolean): PhotoRecord[] {
    const found: PhotoRecord[] = [];
    for (const photo of this.kept.values()) if (match(photo)) found.push(photo);
    for (const row of rows) {
      // Undefined for a row of a record kept (checked above) or removed: the row says nothing.
      const photo = this.fromRow(row);
      if (photo && match(photo)) found.push(photo);
    }
    return this.oldestFirst(found);
  }

  /** The record of a row not kept yet (read and kept now); undefined for kept or removed ids. */
  private fromRow(row: Row): PhotoRecord | undefined {
    const id = row[ID];
    if (this.kept.has(id) || this.removedIds.has(id)) return undefined;
    return this.keep(row);
  }

  private keep(row: Row): PhotoRecord {
    const photo = this.table.record(row);
    this.index(photo, row[SEQ]);
    return photo;
  }

  /**
   * Reads up to `limit` more rows (of those in the table at open) into readSoFar; once none is
   * left, makes the list of every record and returns false.
   */
  private readSlice(limit: number): boolean {
    const rows = this.table.rowsBetween(this.readUpTo, this.openedAt, limit);
    for (const row of rows) {
      const kept = this.kept.get(row[ID]);
      // (A record added since open under an id of an older row is among `added`.)
      if (kept) {
        if (seqOf(kept) < this.openedAt) this.readSoFar.push(kept);
      } else if (!this.removedIds.has(row[ID])) this.readSoFar.push(this.keep(row));
    }
    if (rows.length === limit) {
      this.readUpTo = rows.at(-1)![SEQ];
      return true;
    }
    // Records removed meanwhile leave at the next compaction (removedFromList counts them).
    this.list = this.readSoFar.concat(this.added);
    this.readSoFar = [];
    this.added = [];
    return false;
  }

  private index(photo: PhotoRecord, seq: number): void {
    this.kept.set(photo.id, photo);
    Object.defineProperty(photo, SEQ_OF, { value: seq, writable: true, configurable: true });
  }

  private oldestFirst(photos: PhotoRecord[]): PhotoRecord[] {
    return photos.sort((a, b) => seqOf(a) - seqOf(b));
  }

  private rehashed(photo: PhotoRecord, hash: string): void {
    const found = this.rehashedTo.get(hash);
    if (!found) this.rehashedTo.set(hash, [photo]);
    else if (!found.includes(photo)) found.push(photo);
  }
}
