/**
 * A photo record as a row of the photo table and back: the columns a record is read and written
 * with, and the record a row becomes (its tags read from `photo_tags` on first use). Used only by
 * photo-table.ts; no SQL runs here.
 */
import path from 'node:path';
import { captureDay, takenMs } from './photo-dating.js';
import type { PhotoRecord, Tag } from './catalogue-schema.js';

/** The columns every record is read with (all but the tags), in the order of Row. */
export const COLUMNS = `seq, id, path, hash, state, size, mtime_ms, width, height, format,
  error_code, error_message, embedding_pack, embedding_slot, tagged_by_pack, tagged_by_at, thumb,
  damaged, extra`;

/** A row as read with COLUMNS (better-sqlite3 raw mode). */
export type Row = [
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

/** Row positions of the seq and the id. */
export const SEQ = 0;
export const ID = 1;

/** Columns of Row whose values many records share (state, format, error code, packs, time). */
const SHARED_COLUMNS = [4, 9, 10, 12, 14, 15] as const;

/** The columns a change writes, in the order of `toValues`. */
export const WRITTEN = `id, path, folder, hash, state, size, mtime_ms, width, height, format,
  error_code, error_message, embedding_pack, embedding_slot, tagged_by_pack, tagged_by_at, thumb,
  damaged, extra, taken_ms, capture_day`;
export const WRITTEN_NAMES = WRITTEN.split(',').map((name) => name.trim());

/**
 * Turns rows into records, keeping one copy of each value many records share (a million records
 * then hold a handful of state and pack strings, not a million of each).
 */
export class RowReader {
  private readonly shared = new Map<string, string>();
  /**
   * Every record's `tags` until first used: one getter and setter shared by all records (read
   * through `this`), so a million records share one shape instead of holding closures each.
   * Enumerable, so spreading, cloning and JSON see the tags as if they had always been there.
   */
  private readonly lazyTags: PropertyDescriptor;

  constructor(
    /** The tags stored for the row of a record's id (read when its `tags` is first used). */
    tagsOf: (id: string) => Tag[],
  ) {
    this.lazyTags = {
      get(this: PhotoRecord) {
        return settleTags(this, tagsOf(this.id));
      },
      set(this: PhotoRecord, tags: Tag[]) {
        settleTags(this, tags);
      },
      enumerable: true,
      configurable: true,
    };
  }

  record(row: Row): PhotoRecord {
    for (const column of SHARED_COLUMNS) row[column] = this.intern(row[column]) as never;
    const photo = fromRow(row);
    Object.defineProperty(photo, 'tags', this.lazyTags);
    return photo;
  }

  private intern(text: string | number | null): string | number | null {
    if (typeof text !== 'string') return text;
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    this.shared.set(text, text);
    return text;
  }
}

/** The values of WRITTEN for a record. */
export function toValues(photo: PhotoRecord): unknown[] {
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
    ...orderValues(photo),
  ];
}

/**
 * The gallery's sort and scope keys of a record (photo-order.ts): `taken_ms`, when it was taken
 * (ms since 1970, its capture time else its file time; null when it has no date: not read yet or
 * unreadable) and `capture_day` (YYYY-MM-DD as it wrote it; null when it names none), by the one
 * dating rule of photo-dating.ts. Derived from the record, never read back into it.
 */
export function orderValues(
  photo: PhotoRecord,
): [takenMs: number | null, captureDay: string | null] {
  return [takenMs(photo) ?? null, captureDay(photo)];
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

/** The record of a row, all but its tags. */
function fromRow(row: Row): PhotoRecord {
  const [, id, file, hash, state, size, mtimeMs, width, height, format, errorCode] = row;
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
  return photo;
}

/** Makes `tags` an ordinary property of the record (its tags read or set). */
function settleTags(photo: PhotoRecord, tags: Tag[]): Tag[] {
  Object.defineProperty(photo, 'tags', {
    value: tags,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return tags;
}

/** The record's tags were never read since it was loaded (so they are as stored). */
export function tagsUnread(photo: PhotoRecord): boolean {
  return Object.getOwnPropertyDescriptor(photo, 'tags')?.get !== undefined;
}
