/**
 * Sorted, scoped gallery pages straight from the photo table (no record read but the page's):
 * the date orders (taken-desc / taken-asc: `taken_ms`, the capture time else the file time in
 * ms since 1970, NULL for a photo with no date: photo-dating.ts takenMs) and the file time order
 * (`mtime_ms`, newest first), within a folder (path prefix), a capture period (`capture_day`,
 * YYYY-MM-DD as photo-dating.ts captureDay, or "none") and a state. The order is exactly the
 * in-memory one (index/metadata-filter.ts sortByTaken; api/photos.ts): by key, photos with no
 * date last in both directions, ties by `path.localeCompare`. SQLite cannot compare paths that
 * way, so SQL orders by the key only and every tie group a page touches is read whole (ids, paths
 * and keys only) and ordered here: a page costs its rows plus its ties; pages among the photos
 * with no date read all of those (one tie group). Byte-prefix folder matching: callers on Windows
 * (paths compared without case) use the in-memory order instead.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { PhotoRecord, PhotoState } from './catalogue-schema.js';
import { orderValues } from './photo-rows.js';

/** The orders answered here (api/contract/browse.ts PHOTO_SORTS). */
export type TableSort = 'taken-desc' | 'taken-asc' | 'modified';

export interface PageQuery {
  sort: TableSort;
  /** Only photos at or under this absolute folder path. */
  folder?: string;
  /** Only photos taken in this year, month or day (YYYY, YYYY-MM, YYYY-MM-DD), or "none". */
  taken?: string;
  state?: PhotoState;
  offset: number;
  limit: number;
}

/** A page: how many photos are in scope, and the ids of the page's, in order. */
export interface IdPage {
  total: number;
  ids: string[];
}

/** Same as `a.localeCompare(b)` (default locale and options), without a collator per call. */
const collator = new Intl.Collator();

/** Photos per capture day (YYYY-MM-DD) and the counts apart (see PhotoOrder.dayCounts). */
export interface DayCounts {
  byDay: Map<string, number>;
  undated: number;
  unreadable: number;
  waiting: number;
  total: number;
}

/** A row of a tie group: its key, then its path, then its seq order it (see compare in page). */
type Keyed = [id: string, path: string, key: number, seq: number];

/** Answers PageQuery from one connection (statements prepared once per scope shape). */
export class PhotoOrder {
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  page(query: PageQuery): IdPage {
    const column = query.sort === 'modified' ? 'mtime_ms' : 'taken_ms';
    const descending = query.sort !== 'taken-asc';
    const [where, params] = scope(query);
    const count = (extra: string, ...more: unknown[]) =>
      this.get(`SELECT count(*) FROM photos WHERE ${where}${extra}`)
        .pluck(true)
        .get(...params, ...more) as number;
    const total = count('');
    const dated = column === 'mtime_ms' ? total : count(' AND taken_ms IS NOT NULL');
    const { offset, limit } = query;
    const ids: string[] = [];
    // By key, then path; paths the locale holds equal (rare: one name in two Unicode forms) by
    // seq, oldest first, as the in-memory order's stable sort of records read oldest first.
    const compare = (a: Keyed, b: Keyed) =>
      (a[2] === b[2] ? 0 : descending ? b[2] - a[2] : a[2] - b[2]) ||
      collator.compare(a[1], b[1]) ||
      a[3] - b[3];
    if (offset < dated) {
      const dir = descending ? 'DESC' : 'ASC';
      const keyed = `FROM photos WHERE ${where} AND ${column} IS NOT NULL`;
      const keys = this.get(`SELECT ${column} ${keyed} ORDER BY ${column} ${dir} LIMIT ? OFFSET ?`)
        .pluck(true)
        .all(...params, limit, offset) as number[];
      const first = keys[0]!;
      const last = keys.at(-1)!;
      // Rows before the page's first key; the tie groups at both ends are read whole.
      const before = count(` AND ${column} ${descending ? '>' : '<'} ?`, first);
      const rows = this.get(
        `SELECT id, path, ${column}, seq ${keyed} AND ${column} BETWEEN ? AND ?`,
      )
        .raw(true)
        .all(...params, Math.min(first, last), Math.max(first, last)) as Keyed[];
      const from = offset - before;
      for (const row of rows.sort(compare).slice(from, from + keys.length)) ids.push(row[0]);
    }
    if (column === 'taken_ms' && offset + limit > dated) {
      // No date: one tie group, by path.
      const rows = this.get(
        `SELECT id, path, 0, seq FROM photos WHERE ${where} AND taken_ms IS NULL`,
      )
        .raw(true)
        .all(...params) as Keyed[];
      const from = Math.max(0, offset - dated);
      const to = offset + limit - dated;
      for (const row of firstInOrder(rows, to, compare).slice(from, to)) ids.push(row[0]);
    }
    return { total, ids };
  }

  /**
   * The date browser's counts (index/photo-dates.ts photoDatesOf) of the photos at or under
   * `folder` (all when undefined): photos per capture day, and apart those read that name none
   * (undated), the unreadable and the ones not read yet (waiting), and all of them.
   */
  dayCounts(folder?: string): DayCounts {
    const [where, params] = scope({ sort: 'taken-desc', offset: 0, limit: 0, folder });
    const sql = `SELECT capture_day, taken_ms IS NULL, error_code IS NOT NULL, count(*)
      FROM photos WHERE ${where} GROUP BY 1, 2, 3`;
    const groups = this.get(sql)
      .raw(true)
      .all(...params) as [string | null, 0 | 1, 0 | 1, number][];
    const counts: DayCounts = { byDay: new Map(), undated: 0, unreadable: 0, waiting: 0, total: 0 };
    for (const [day, unread, unreadable, photos] of groups) {
      counts.total += photos;
      // photo-dating.ts: a photo not read has no date (taken_ms NULL); an error makes it unread.
      if (unread) counts[unreadable ? 'unreadable' : 'waiting'] += photos;
      else if (day === null) counts.undated += photos;
      else counts.byDay.set(day, photos);
    }
    return counts;
  }

  /**
   * Photos counted in their own folder (the `folder` column: path.dirname of the path, as
   * library/folder-tree.ts counts them): all of them, the offline and the unreadable (state
   * error), by folder path.
   */
  folderCounts(): Map<string, { photos: number; offline: number; failed: number }> {
    const sql = `SELECT folder, count(*), sum(state = 'offline'), sum(state = 'error')
      FROM photos GROUP BY folder`;
    const rows = this.get(sql).raw(true).all() as [string, number, number, number][];
    return new Map(
      rows.map(([folder, photos, offline, failed]) => [folder, { photos, offline, failed }]),
    );
  }

  private get(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) this.prepared.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

/**
 * The first `count` of `items` in the order of `compare`, in that order. Fewer than a quarter of
 * them (an early page of a large group): kept in a bounded max-heap, most items then cost one
 * comparison with its top instead of a place in a whole sort; otherwise sorted whole.
 */
export function firstInOrder<T>(items: T[], count: number, compare: (a: T, b: T) => number): T[] {
  if (count * 4 >= items.length) return items.sort(compare).slice(0, count);
  const heap: T[] = []; // heap[0] is the last of the first `count` so far
  const above = (i: number, j: number) => compare(heap[i]!, heap[j]!) > 0;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && above(i, (i - 1) >> 1); i = (i - 1) >> 1) {
        swap(i, (i - 1) >> 1);
      }
    } else if (count > 0 && compare(item, heap[0]!) < 0) {
      heap[0] = item;
      for (let i = 0; ;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let top = i;
        if (l < count && above(l, top)) top = l;
        if (r < count && above(r, top)) top = r;
        if (top === i) break;
        swap(i, top);
        i = top;
      }
    }
  }
  return heap.sort(compare);
}

/** The WHERE clause of a query's scope, and its parameters. */
function scope(query: PageQuery): [string, unknown[]] {
  const clauses = ['1'];
  const params: unknown[] = [];
  if (query.folder !== undefined) {
    // metadata-filter.ts isInside: the folder itself and every path below it.
    const folder = path.resolve(query.folder);
    const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    clauses.push('(path = ? OR (path >= ? AND path < ?))');
    params.push(folder, prefix, end);
  }
  if (query.taken !== undefined) {
    // metadata-filter.ts takenIn: read photos only; their capture day is the period or inside it.
    clauses.push('taken_ms IS NOT NULL');
    if (query.taken === 'none') clauses.push('capture_day IS NULL');
    else {
      clauses.push('(capture_day = ? OR (capture_day >= ? AND capture_day < ?))');
      params.push(query.taken, `${query.taken}-`, `${query.taken}.`);
    }
  }
  if (query.state !== undefined) {
    clauses.push('state = ?');
    params.push(query.state);
  }
  return [clauses.join(' AND '), params];
}

/**
 * Fills `taken_ms` and `capture_day` of every row from its record (the layout 2 → 3 upgrade, run
 * inside its transaction). A row without `extra` has no metadata: its keys are its file time when
 * read (photo-dating.ts hasBeenRead: no error, indexed or with an embedding) and no capture day,
 * set by one UPDATE; the others are read 10,000 at a time, with the fields the keys use only.
 */
export function fillOrderColumns(db: Database.Database): void {
  db.exec(`UPDATE photos SET capture_day = NULL, taken_ms = CASE
    WHEN error_code IS NULL AND (state = 'indexed' OR embedding_pack IS NOT NULL) THEN mtime_ms
    END WHERE extra IS NULL`);
  const slice = db
    .prepare(
      `SELECT seq, state, mtime_ms, error_code, embedding_pack, extra FROM photos
       WHERE seq > ? AND extra IS NOT NULL ORDER BY seq LIMIT 10000`,
    )
    .raw(true);
  const update = db.prepare('UPDATE photos SET taken_ms = ?, capture_day = ? WHERE seq = ?');
  type Keys = [number, PhotoState, number, string | null, string | null, string];
  for (let after = 0; ;) {
    const rows = slice.all(after) as Keys[];
    for (const [seq, state, mtimeMs, errorCode, pack, extra] of rows) {
      // As photo-rows.ts reads a record: the extra fields first, the columns over them.
      const photo = { ...(JSON.parse(extra) as object), state, mtimeMs } as PhotoRecord;
      if (errorCode !== null) photo.error = { code: errorCode, message: '' };
      if (pack !== null) photo.embedding = { pack, slot: 0 };
      update.run(...orderValues(photo), seq);
    }
    if (rows.length < 10_000) return;
    after = rows.at(-1)![0];
  }
}
