/**
 * The date browser's counts: how many photos were taken in each year, month and day, by the
 * capture day each photo wrote (metadata-filter.ts `captureDay`, the rule `taken:` filters by),
 * and how many name no capture date. Files not read yet or unreadable have no date at all (the
 * dating rule of metadata-filter.ts): they are counted apart, in no period, so each period's count
 * is what `taken:` shows in the gallery and in a search. One pass over the photos into a day histogram, then the
 * days folded into months and years: O(photos + days), never a scan per year or month.
 */
import type { PhotoRecord } from '../store/catalogue-schema.js';
import { captureDay, hasBeenRead } from './metadata-filter.js';

export interface DayCount {
  /** YYYY-MM-DD. */
  day: string;
  photos: number;
}

export interface MonthCount {
  /** YYYY-MM. */
  month: string;
  photos: number;
  /** Newest first. */
  days: DayCount[];
}

export interface YearCount {
  /** YYYY. */
  year: string;
  photos: number;
  /** Newest first. */
  months: MonthCount[];
}

export interface PhotoDates {
  /** Newest first. */
  years: YearCount[];
  /**
   * Photos read that name no capture date (only a file time, or metadata from before v4 not
   * read yet): the "No date" period, `taken:none`.
   */
  undated: number;
  /** Files that could not be read: no date at all, in no period. */
  unreadable: number;
  /** Files not read yet (waiting to be indexed): no date yet, in no period. */
  waiting: number;
  /** Every photo counted (dated, undated, unreadable and waiting). */
  total: number;
}

/** Counts `photos` by capture year, month and day (see the header). */
export function countPhotoDates(photos: Iterable<PhotoRecord>): PhotoDates {
  const byDay = new Map<string, number>();
  const counts = { undated: 0, unreadable: 0, waiting: 0, total: 0 };
  for (const photo of photos) {
    counts.total++;
    if (!hasBeenRead(photo)) {
      if (photo.error) counts.unreadable++;
      else counts.waiting++;
      continue;
    }
    const day = captureDay(photo);
    if (day === null) counts.undated++;
    else byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
  return photoDatesOf(byDay, counts);
}

/**
 * The date browser's counts from photos per capture day (YYYY-MM-DD) and the counts apart (as
 * countPhotoDates makes them, or the photo table counts them: store/photo-order.ts dayCounts).
 */
export function photoDatesOf(
  byDay: ReadonlyMap<string, number>,
  counts: Omit<PhotoDates, 'years'>,
): PhotoDates {
  const years: YearCount[] = [];
  // Days newest first; each new year or month opens a group, so the groups come out in order.
  for (const day of [...byDay.keys()].sort().reverse()) {
    const photos = byDay.get(day)!;
    const [year, month] = [day.slice(0, 4), day.slice(0, 7)];
    let y = years.at(-1);
    if (y?.year !== year) years.push((y = { year, photos: 0, months: [] }));
    let m = y.months.at(-1);
    if (m?.month !== month) y.months.push((m = { month, photos: 0, days: [] }));
    m.days.push({ day, photos });
    m.photos += photos;
    y.photos += photos;
  }
  return { years, ...counts };
}
