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

export class PhotoSet {
  /** Records read (or added) so far, by id: while kept, a record is the one object for its id. */
  private readonly kept = new Map<string, PhotoRecord>();
  /** Kept records by path. */
  private readonly byPath = new Map<string, PhotoRecord>();
  /** Kept records by content hash: the one record with it, or (copies) all of them. */
  private readonly byHash = new Map<string, PhotoRecord | PhotoRecord[]>();
  /** Each kept record's seq: its row's, or (added since opening) one after every row's. */
  private readonly seqs = new WeakMap<PhotoRecord, number>();
  private nextSeq: number;
  /** Ids removed since opening: their rows (until saved) no longer count. */
  private readonly removedIds = new Set<string>();
  /** Every record, oldest first, once all() read them (removed ones until the next compact). */
  private list: PhotoRecord[] | undefined;
  private removedFromList = 0;
  private total: number;
  private readonly states: Map<PhotoState, number>;

  constructor(private readonly table: PhotoTable) {
    this.total = table.count();
    this.states = table.stateCounts();
    this.nextSeq = table.lastSeq() + 1;
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
    if (!this.list) this.list = this.readAll();
    if (this.removedFromList > 0) {
      this.list = this.list.filter((p) => this.isLive(p));
      this.removedFromList = 0;
    }
    return this.list;
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
    const found = this.byPath.get(file);
    if (found || this.list) return found;
    const row = this.table.rowByPath(file);
    return row && this.fromRow(row);
  }

  /** Records with this content hash, oldest first. */
  withHash(hash: string): PhotoRecord[] {
    if (!this.list) for (const row of this.table.rowsWithHash(hash)) this.fromRow(row);
    const found = this.byHash.get(hash);
    if (found === undefined) return [];
    return Array.isArray(found) ? this.oldestFirst([...found]) : [found];
  }

  /** Records whose path lies under `folder` (not the folder itself), oldest first. */
  under(folder: string): PhotoRecord[] {
    const inside = (p: PhotoRecord) => p.path !== folder && isInside(folder, p.path);
    // Windows compares paths without case: the table's byte order cannot pick them out there.
    if (this.list || process.platform === 'win32') return this.all().filter(inside);
    const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
    return this.query(this.table.rowsWithPrefix(prefix), inside);
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

  isLive(photo: PhotoRecord): boolean {
    return this.kept.get(photo.id) === photo;
  }

  /** A new record (added since opening). */
  add(photo: PhotoRecord): void {
    this.removedIds.delete(photo.id);
    this.index(photo, this.nextSeq++);
    this.list?.push(photo);
    this.total++;
    this.countState(photo.state, 1);
  }

  /** Takes a record out; false when it was not in the set (removed already). */
  remove(photo: PhotoRecord): boolean {
    if (!this.isLive(photo)) return false;
    this.kept.delete(photo.id);
    this.removedIds.add(photo.id);
    if (photo.hash) this.unhash(photo, photo.hash);
    if (this.byPath.get(photo.path) === photo) this.byPath.delete(photo.path);
    if (this.list) this.removedFromList++;
    this.total--;
    this.countState(photo.state, -1);
    return true;
  }

  /** Gives a kept record a new path (the record at `to`, if any, was removed first). */
  move(photo: PhotoRecord, to: string): void {
    if (this.byPath.get(photo.path) === photo) this.byPath.delete(photo.path);
    photo.path = to;
    this.byPath.set(to, photo);
  }

  /** Gives a kept record a new content hash. */
  rehash(photo: PhotoRecord, hash: string | null): void {
    if (photo.hash) this.unhash(photo, photo.hash);
    photo.hash = hash;
    if (hash) this.hash(photo);
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

  private readAll(): PhotoRecord[] {
    const list: PhotoRecord[] = [];
    const seen = new Set<PhotoRecord>();
    for (const row of this.table.rows()) {
      const kept = this.kept.get(row[ID]);
      if (kept) {
        list.push(kept);
        seen.add(kept);
      } else if (!this.removedIds.has(row[ID])) list.push(this.keep(row));
    }
    // Records added since opening (or not saved yet) come last, in the order they were added.
    if (list.length < this.kept.size) {
      list.push(...this.oldestFirst([...this.kept.values()].filter((p) => !seen.has(p))));
    }
    return list;
  }

  private index(photo: PhotoRecord, seq: number): void {
    this.kept.set(photo.id, photo);
    this.seqs.set(photo, seq);
    this.byPath.set(photo.path, photo);
    if (photo.hash) this.hash(photo);
  }

  private oldestFirst(photos: PhotoRecord[]): PhotoRecord[] {
    return photos.sort((a, b) => this.seqs.get(a)! - this.seqs.get(b)!);
  }

  private hash(photo: PhotoRecord): void {
    const hash = photo.hash!;
    const found = this.byHash.get(hash);
    if (found === undefined) this.byHash.set(hash, photo);
    else if (Array.isArray(found)) {
      if (!found.includes(photo)) found.push(photo);
    } else if (found !== photo) this.byHash.set(hash, [found, photo]);
  }

  private unhash(photo: PhotoRecord, hash: string): void {
    const found = this.byHash.get(hash);
    if (found === photo) this.byHash.delete(hash);
    else if (Array.isArray(found)) {
      const rest = found.filter((other) => other !== photo);
      if (rest.length === 0) this.byHash.delete(hash);
      else this.byHash.set(hash, rest.length === 1 ? rest[0]! : rest);
    }
  }
}
