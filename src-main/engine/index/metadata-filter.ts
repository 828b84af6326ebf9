/**
 * The filters of a query that read the catalogue rather than the index: folder:, after: and
 * before: (by capture time — see capture-time.ts — or, for a photo whose metadata was never
 * read, its file time), camera: and lens: (case-insensitive substrings of "make model" and the
 * lens name), rating: (an inclusive star range) and keyword: (one of the user's own keywords,
 * case-insensitive), taken: (the capture date's year, month or day, or none). Also the one
 * capture-time rule the gallery sorts by, and the one capture-day rule the date browser counts by.
 *
 * The one dating rule: a photo has dates once the app has read its file (hasBeenRead). Then its
 * capture day is the date it wrote (none when it wrote none: a scan, a screenshot), and its time
 * taken is that capture time, else its file's time. A file not read yet, or one that could not be
 * read, has no date at all: no `taken:` period holds it (not even `none`, which means "read, and
 * names no capture date"), after:/before: never match it, and date orders put it last. Search
 * covers only photos it can score, which are the ones read, so the date browser's counts, the
 * gallery's periods and `taken:` in a search all cover the same photos.
 */
import { isInside } from '../paths.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import { captureDay, hasBeenRead, takenMs } from '../store/photo-dating.js';
import type { QueryFilters } from './query.js';

// The dating rule lives with the records (the photo table keeps its keys as columns).
export { captureDay, hasBeenRead, takenMs };

/** A bare date (no time) in `before` includes its whole day. */
const DAY_MS = 86_400_000;

/**
 * Whether a photo was taken in `period` (YYYY, YYYY-MM, YYYY-MM-DD; 'none': read, and names no
 * capture date). A photo not read, or unreadable, is in no period.
 */
export function takenIn(photo: PhotoRecord, period: string): boolean {
  if (!hasBeenRead(photo)) return false;
  const day = captureDay(photo);
  if (period === 'none') return day === null;
  return day !== null && (day === period || day.startsWith(`${period}-`));
}

/**
 * Photos by time taken, newest first (or oldest first), ties by path; photos with no date (not
 * read yet, or unreadable) last in both orders, by path. Each time is read once, not per compare.
 */
export function sortByTaken(
  photos: readonly PhotoRecord[],
  order: 'newest' | 'oldest' = 'newest',
): PhotoRecord[] {
  const sign = order === 'newest' ? -1 : 1;
  const keyed = photos.map((photo) => ({ photo, ms: takenMs(photo) }));
  keyed.sort((a, b) => {
    if (a.ms === undefined || b.ms === undefined) {
      const undated = Number(a.ms === undefined) - Number(b.ms === undefined);
      if (undated) return undated;
    } else if (a.ms !== b.ms) return sign * (a.ms - b.ms);
    return a.photo.path.localeCompare(b.photo.path);
  });
  return keyed.map((k) => k.photo);
}

/** Whether a photo carries `keyword` among its own keywords (case-insensitive). */
export function hasKeyword(photo: PhotoRecord, keyword: string): boolean {
  const wanted = keyword.toLowerCase();
  return photo.meta?.keywords.some((k) => k.toLowerCase() === wanted) ?? false;
}

/**
 * A predicate for the filters (folders as absolute paths); undefined when there are none.
 * Dates: YYYY-MM-DD or ISO timestamps, inclusive.
 */
export function metadataFilter(
  filters: Omit<QueryFilters, 'folders'> & { folders: readonly string[] },
): ((photo: PhotoRecord) => boolean) | undefined {
  const { folders, after, before, camera, lens, keyword, rating, taken } = filters;
  if (!folders.length && !after && !before && !camera && !lens && !keyword && !rating && !taken) {
    return undefined;
  }
  const from = after ? Date.parse(after) : -Infinity;
  const to = before ? Date.parse(before) + (/T/.test(before) ? 0 : DAY_MS - 1) : Infinity;
  const cameras = camera?.map((c) => c.toLowerCase());
  const lenses = lens?.map((l) => l.toLowerCase());
  return (photo) => {
    if (folders.length && !folders.some((f) => isInside(f, photo.path))) return false;
    if (after || before) {
      const time = takenMs(photo);
      if (time === undefined || time < from || time > to) return false;
    }
    if (taken && !takenIn(photo, taken)) return false;
    const meta = photo.meta;
    if (cameras) {
      const name = `${meta?.make ?? ''} ${meta?.model ?? ''}`.toLowerCase();
      if (!cameras.every((c) => name.includes(c))) return false;
    }
    if (lenses && !lenses.every((l) => (meta?.lens ?? '').toLowerCase().includes(l))) {
      return false;
    }
    if (rating) {
      const stars = meta?.rating ?? 0;
      if (stars < rating.min || stars > rating.max) return false;
    }
    return !keyword || keyword.every((k) => hasKeyword(photo, k));
  };
}
