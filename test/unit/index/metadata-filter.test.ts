import { describe, expect, it } from 'vitest';
import {
  metadataFilter,
  sortByTaken,
  takenMs,
} from '../../../src-main/engine/index/metadata-filter.js';
import { parseQuery } from '../../../src-main/engine/index/query.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';

function photo(name: string, mtime: string, meta?: Partial<NonNullable<PhotoRecord['meta']>>) {
  const record: PhotoRecord = {
    id: name,
    path: `/photos/${name}`,
    size: 1,
    mtimeMs: Date.parse(mtime),
    hash: null,
    state: 'indexed',
    tags: [],
  };
  if (meta) record.meta = { takenAt: mtime, takenFrom: 'file', keywords: [], ...meta };
  return record;
}

const copiedToday = '2026-11-29T10:00:00Z';
const old = photo('old.jpg', copiedToday, {
  takenAt: '2009-05-06T07:08:09.123+02:00',
  takenFrom: 'original',
  make: 'Canon',
  model: 'Canon EOS 5D',
  lens: 'EF 50mm f/1.8 II',
  rating: 4,
  keywords: ['Heron', 'Paris'],
});
const recent = photo('recent.jpg', copiedToday, {
  takenAt: '2022-07-08T09:10:11Z',
  takenFrom: 'original',
  make: 'NIKON CORPORATION',
  model: 'NIKON D750',
  rating: 2,
});
const unread = photo('unread.png', '2018-01-01T00:00:00Z');
const all = [old, recent, unread];

const matching = (query: string): string[] => {
  const { filters } = parseQuery(query);
  const keep = metadataFilter(filters)!;
  return all.filter(keep).map((p) => p.id);
};

describe('metadata filters', () => {
  it('parse out of the words, quoted or not, and leave the words alone', () => {
    const parsed = parseQuery('heron camera:"eos 5d" lens:50mm rating:3+ keyword:Paris');
    expect(parsed.root).toEqual({ type: 'term', text: 'heron', phrase: false });
    expect(parsed.filters).toEqual({
      folders: [],
      camera: ['eos 5d'],
      lens: ['50mm'],
      rating: { min: 3, max: 5 },
      keyword: ['Paris'],
    });
    expect(parseQuery('rating:2-4').filters.rating).toEqual({ min: 2, max: 4 });
    expect(parseQuery('rating:-1').filters.rating).toEqual({ min: -1, max: -1 });
    expect(parseQuery('camera:nikon').root).toBeNull();
  });

  it('refuse a rating that is not one', () => {
    expect(() => parseQuery('rating:6')).toThrow(/not a rating/);
    expect(() => parseQuery('rating:4-2')).toThrow(/empty range/);
    expect(() => parseQuery('camera:')).toThrow(/needs a value/);
  });

  it('date photos by capture time, falling back to the file time', () => {
    expect(takenMs(old)).toBe(Date.parse('2009-05-06T05:08:09.123Z'));
    expect(takenMs(unread)).toBe(Date.parse('2018-01-01T00:00:00Z'));
    expect(matching('before:2010-01-01')).toEqual(['old.jpg']);
    expect(matching('before:2023-01-01')).toEqual(['old.jpg', 'recent.jpg', 'unread.png']);
    expect(matching('after:2026-01-01')).toEqual([]);
    expect(matching('after:2022-07-08 before:2022-07-08')).toEqual(['recent.jpg']);
    expect(sortByTaken(all).map((p) => p.id)).toEqual(['recent.jpg', 'unread.png', 'old.jpg']);
  });

  it('give a file not read, or unreadable, no date: last in both orders, never after:', () => {
    // Copied today, so its file time is the newest of all: it must not lead "newest first".
    const broken = Object.assign(photo('broken.jpg', copiedToday), {
      state: 'error' as const,
      error: { code: 'DECODE', message: 'not a jpeg' },
    });
    const waiting = Object.assign(photo('waiting.jpg', copiedToday), { state: 'pending' as const });
    const more = [...all, waiting, broken];
    expect(takenMs(broken)).toBeUndefined();
    expect(takenMs(waiting)).toBeUndefined();
    expect(sortByTaken(more, 'newest').map((p) => p.id)).toEqual([
      'recent.jpg',
      'unread.png',
      'old.jpg',
      'broken.jpg',
      'waiting.jpg',
    ]);
    expect(sortByTaken(more, 'oldest').map((p) => p.id)).toEqual([
      'old.jpg',
      'unread.png',
      'recent.jpg',
      'broken.jpg',
      'waiting.jpg',
    ]);
    expect(more.filter(metadataFilter(parseQuery('after:2000-01-01').filters)!)).toEqual(all);
  });

  it('match camera, lens, rating and keyword case-insensitively', () => {
    expect(matching('camera:nikon')).toEqual(['recent.jpg']);
    expect(matching('camera:canon camera:5d')).toEqual(['old.jpg']);
    expect(matching('lens:f/1.8')).toEqual(['old.jpg']);
    expect(matching('rating:2+')).toEqual(['old.jpg', 'recent.jpg']);
    expect(matching('rating:0')).toEqual(['unread.png']);
    expect(matching('keyword:heron')).toEqual(['old.jpg']);
    expect(matching('keyword:her')).toEqual([]);
    expect(metadataFilter({ folders: [] })).toBeUndefined();
  });
});
