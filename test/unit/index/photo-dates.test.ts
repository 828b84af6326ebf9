/**
 * The date browser's counts (index/photo-dates.ts) and the `taken:` filter they share one rule
 * with (metadata-filter.ts captureDay): the capture day as the photo wrote it, no date for a file
 * time or unread metadata, years → months → days newest first.
 */
import { describe, expect, it } from 'vitest';
import { countPhotoDates } from '../../../src-main/engine/index/photo-dates.js';
import {
  captureDay,
  metadataFilter,
  takenIn,
} from '../../../src-main/engine/index/metadata-filter.js';
import { isTakenPeriod, parseQuery } from '../../../src-main/engine/index/query.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';

let n = 0;
function photo(takenAt?: string, takenFrom: 'original' | 'gps' | 'file' = 'original') {
  const record: PhotoRecord = {
    id: `p${++n}`,
    path: `/pics/${n}.jpg`,
    size: 1,
    mtimeMs: Date.parse('2026-01-01T00:00:00Z'),
    hash: null,
    state: 'indexed',
    tags: [],
  };
  if (takenAt) record.meta = { takenAt, takenFrom, keywords: [] };
  return record;
}

// 23:30 on New Year's Eve at +02:00 is 21:30 UTC: still the 31st where it was taken.
const eve = photo('2023-12-31T23:30:00+02:00');
const photos = [
  eve,
  photo('2023-12-05T10:00:00'),
  photo('2023-05-17T08:00:00Z', 'gps'),
  photo('2024-01-01T00:10:00-05:00'),
  photo('2024-01-01T09:00:00'),
  photo('2026-01-01T00:00:00.000Z', 'file'), // a file time is no capture date
  photo(), // metadata not read yet
];

describe('countPhotoDates', () => {
  it('counts years, months and days newest first, and the undated apart', () => {
    expect(countPhotoDates(photos)).toEqual({
      total: 7,
      undated: 2,
      unreadable: 0,
      waiting: 0,
      years: [
        {
          year: '2024',
          photos: 2,
          months: [{ month: '2024-01', photos: 2, days: [{ day: '2024-01-01', photos: 2 }] }],
        },
        {
          year: '2023',
          photos: 3,
          months: [
            {
              month: '2023-12',
              photos: 2,
              days: [
                { day: '2023-12-31', photos: 1 },
                { day: '2023-12-05', photos: 1 },
              ],
            },
            { month: '2023-05', photos: 1, days: [{ day: '2023-05-17', photos: 1 }] },
          ],
        },
      ],
    });
    expect(countPhotoDates([])).toEqual({
      total: 0,
      undated: 0,
      unreadable: 0,
      waiting: 0,
      years: [],
    });
  });

  it('agrees with taken: for every year, month, day and none', () => {
    const dates = countPhotoDates(photos);
    const periods = dates.years.flatMap((y) => [
      [y.year, y.photos] as const,
      ...y.months.flatMap((m) => [
        [m.month, m.photos] as const,
        ...m.days.map((d) => [d.day, d.photos] as const),
      ]),
    ]);
    for (const [period, count] of [...periods, ['none', dates.undated] as const]) {
      const filter = metadataFilter(parseQuery(`taken:${period}`).filters)!;
      expect(photos.filter(filter).length, period).toBe(count);
    }
  });
});

describe('files with no date at all', () => {
  // A file that could not be read (its EXIF even kept from an earlier reading), one never read
  // yet, and one read before whose folder went offline (still dated) or whose file changed.
  const unreadable = photo('2023-07-14T10:00:00');
  Object.assign(unreadable, { state: 'error', error: { code: 'DECODE', message: 'not a jpeg' } });
  const waiting = Object.assign(photo(), { state: 'pending' as const });
  const offline = Object.assign(photo('2023-07-14T11:00:00'), {
    state: 'offline' as const,
    embedding: { pack: 'p', slot: 0 },
  });
  const changed = Object.assign(photo(), {
    state: 'pending' as const,
    embedding: { pack: 'p', slot: 1 },
  });
  const all = [unreadable, waiting, offline, changed];

  it('are counted apart, in no period, not even "No date"', () => {
    const dates = countPhotoDates(all);
    expect([dates.total, dates.unreadable, dates.waiting, dates.undated]).toEqual([4, 1, 1, 1]);
    expect(dates.years.map((y) => [y.year, y.photos])).toEqual([['2023', 1]]);
    for (const period of ['2023', '2023-07', '2023-07-14', 'none']) {
      expect(takenIn(unreadable, period), period).toBe(false);
      expect(takenIn(waiting, period), period).toBe(false);
    }
    expect(takenIn(offline, '2023-07-14')).toBe(true);
    expect(takenIn(changed, 'none')).toBe(true);
  });

  it('agree with taken: and after:/before:', () => {
    const dates = countPhotoDates(all);
    const keep = (query: string) => all.filter(metadataFilter(parseQuery(query).filters)!);
    expect(keep('taken:none')).toEqual([changed]);
    expect(keep('taken:none').length).toBe(dates.undated);
    expect(keep('taken:2023').length).toBe(dates.years[0]!.photos);
    expect(keep('after:1970-01-01')).toEqual([offline, changed]);
  });
});

describe('captureDay and taken:', () => {
  it('reads the day where the photo was taken, never a file time', () => {
    expect(captureDay(eve)).toBe('2023-12-31');
    expect(captureDay(photos[5]!)).toBeNull();
    expect(captureDay(photos[6]!)).toBeNull();
    expect(takenIn(eve, '2023')).toBe(true);
    expect(takenIn(eve, '2023-12')).toBe(true);
    expect(takenIn(eve, '2024')).toBe(false);
    expect(takenIn(eve, '202')).toBe(false);
    expect(takenIn(eve, 'none')).toBe(false);
    expect(takenIn(photos[6]!, 'none')).toBe(true);
  });

  it('accepts years, months, real days and none; refuses the rest by name', () => {
    for (const ok of ['2024', '2024-05', '2024-02-29', 'none'])
      expect(isTakenPeriod(ok)).toBe(true);
    for (const bad of ['24', '2024-13', '2023-02-29', '2024-5', 'None', 'today', '']) {
      expect(isTakenPeriod(bad), bad).toBe(false);
    }
    expect(parseQuery('heron taken:2024-05').filters.taken).toBe('2024-05');
    expect(parseQuery('taken:none').root).toBeNull();
    expect(() => parseQuery('taken:2024-13')).toThrow(/taken:2024-13 is not a year, month or day/);
  });
});
