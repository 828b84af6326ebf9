/**
 * The date browser's counts: how many photos were taken in each year, month and day, by the
 * capture day each photo wrote (metadata-filter.ts `captureDay`, the rule `taken:` filters by),
 * and how many name no capture date. One pass over the photos into a day histogram, then the
 * days folded into months and years: O(photos + days), never a scan per year or month.
 */
import type { PhotoRecord } from '../store/catalogue-schema.js';
import { captureDay } from './metadata-filter.js';

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
  /** Photos that name no capture date (their metadata not read yet, or only a file time). */
  undated: number;
  /** Every photo counted (dated and undated). */
  total: number;
}

/** Counts `photos` by capture year, month and day (see the header). */
export function countPhotoDates(photos: Iterable<PhotoRecord>): PhotoDates {
  const byDay = new Map<string, number>();
  let undated = 0;
  let total = 0;
  for (const photo of photos) {
    total++;
    const day = captureDay(photo);
    if (day === null) undated++;
    else byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
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
  return { years, undated, total };
}
