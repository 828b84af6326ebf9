/**
 * The renderer's address (lib/route.ts) keeps the folder and capture period browsed, and the
 * period names (lib/periods.ts) the date browser and the gallery heading show.
 */
import { describe, expect, it } from 'vitest';
import { formatRoute, onlyPhotoDiffers, parseRoute } from '../../../src-renderer/lib/route.js';
import { emptyScopeText, periodName, shortPeriodName } from '../../../src-renderer/lib/periods.js';

describe('route with a folder and a capture period', () => {
  it('round-trips folder, taken, query and photo', () => {
    const route = {
      view: 'photos' as const,
      query: 'red car',
      photo: 'p1',
      folder: '/home/me/2023 Trip',
      taken: '2023-07',
      state: null,
    };
    const hash = formatRoute(route);
    expect(hash).toBe('#/photos?q=red+car&folder=%2Fhome%2Fme%2F2023+Trip&taken=2023-07&photo=p1');
    expect(parseRoute(hash)).toEqual(route);
    expect(parseRoute('#/photos')).toMatchObject({ folder: null, taken: null });
  });

  it('leaves out a capture period the engine would refuse (an address edited by hand)', () => {
    for (const taken of ['garbage', '2023-13', '2023-02-30', '2023-7', '23', '2023-07-1']) {
      expect(parseRoute(`#/photos?taken=${taken}`).taken).toBeNull();
    }
    for (const taken of ['2023', '2023-12', '2024-02-29', 'none']) {
      expect(parseRoute(`#/photos?taken=${taken}`).taken).toBe(taken);
    }
  });

  it('makes a new history entry when only the period changes', () => {
    const a = parseRoute('#/photos?taken=2023&photo=x');
    expect(onlyPhotoDiffers(a, parseRoute('#/photos?taken=2023&photo=y'))).toBe(true);
    expect(onlyPhotoDiffers(a, parseRoute('#/photos?taken=2024&photo=y'))).toBe(false);
  });
});

describe('period names', () => {
  it('names years, months, days and no date, as the photos wrote them', () => {
    const july = new Date(Date.UTC(2023, 6, 1)).toLocaleDateString(undefined, {
      timeZone: 'UTC',
      month: 'long',
    });
    expect(periodName('2023')).toBe('2023');
    expect(periodName('2023-07')).toContain(july);
    expect(periodName('2023-07')).toContain('2023');
    expect(periodName('none')).toBe('No date');
    expect(shortPeriodName('2023-07')).toBe(july);
    // The 14th of July 2023 was a Friday, wherever the reader is.
    const friday = new Date(Date.UTC(2023, 6, 14)).toLocaleDateString(undefined, {
      timeZone: 'UTC',
      weekday: 'short',
    });
    expect(shortPeriodName('2023-07-14')).toBe(`${friday} 14`);
    expect(shortPeriodName('none')).toBe('No date');
  });
});

describe('an empty gallery in words', () => {
  it('says the chosen folder or period holds no photo, not that the library is empty', () => {
    const empty = 'No photos yet. Add a folder in Folders.';
    expect(emptyScopeText({ folder: null, taken: null, state: null })).toBe(empty);
    expect(emptyScopeText({ folder: '/Trips', taken: null })).toBe('No photo in /Trips.');
    expect(emptyScopeText({ folder: null, taken: '1999' })).toBe('No photo taken in 1999.');
    expect(emptyScopeText({ folder: '/Trips', taken: '1999-02' })).toBe(
      `No photo in /Trips taken in ${periodName('1999-02')}.`,
    );
    expect(emptyScopeText({ folder: null, taken: 'none' })).toBe(
      'No photo without a capture date.',
    );
    expect(emptyScopeText({ folder: '/Trips', taken: null, state: 'error' })).toBe(
      'No unreadable photo in /Trips.',
    );
  });
});
