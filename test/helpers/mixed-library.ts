/**
 * A mixed photo library for the gallery order tests: photos dated by their capture time (ties
 * included), by their file time, read with a capture time named from the file, not read yet,
 * read before and waiting again, unreadable; paths whose `localeCompare` order differs from their
 * byte order (case, accents, punctuation, numbers), or that it holds equal; and the in-memory gallery order those tests
 * compare the photo table's pages with (api/photos.ts before store/photo-order.ts).
 */
import { metadataFilter, sortByTaken } from '../../src-main/engine/index/metadata-filter.js';
import type { PhotoRecord, PhotoState } from '../../src-main/engine/store/catalogue-schema.js';

const FOLDERS = ['/lib/a', '/lib/a/sub', '/lib/B', '/lib/a b', '/lib/a-b', '/lib/a_b', '/lib/é'];
/** 'Ä.jpg' twice: composed and decomposed, two paths `localeCompare` holds equal. */
const NAMES = [
  'IMG_1.jpg',
  'img_2.jpg',
  'Ä.jpg',
  '_x.jpg',
  'x.jpg',
  '10.jpg',
  '9.jpg',
  'A\u0308.jpg',
];
/** Few distinct times, so many photos tie on one. */
const TAKEN = [
  '2024-05-17T10:00:00',
  '2024-05-17T10:00:00',
  '2024-05-02T08:30:00',
  '2023-12-31T23:59:59',
  '2024-11-01T00:00:00Z',
  'not a date',
];
const MTIMES = [1_700_000_000_000, 1_700_000_000_000.5, 1_600_000_000_000, 1_710_000_000_000];

/** Photo `i` of the library (deterministic; `i` picks its folder, name, kind and times). */
export function mixedPhoto(i: number): PhotoRecord {
  const folder = FOLDERS[i % FOLDERS.length]!;
  const name = NAMES[Math.floor(i / FOLDERS.length) % NAMES.length]!;
  const round = Math.floor(i / (FOLDERS.length * NAMES.length));
  const base = {
    id: `id-${i}`,
    path: `${folder}/${round ? `${round}-` : ''}${name}`,
    size: 100 + i,
    mtimeMs: MTIMES[(i * 5) % MTIMES.length]!,
    hash: `h${i}`,
    tags: [],
  };
  const meta = (takenFrom: 'original' | 'file') => ({
    takenAt: TAKEN[(i * 3) % TAKEN.length]!,
    takenFrom,
    keywords: [],
  });
  const embedding = { pack: 'starter', slot: i };
  switch (i % 8) {
    case 0:
    case 1:
    case 2:
      return { ...base, state: 'indexed', embedding, meta: meta('original') };
    case 3:
      return { ...base, state: 'indexed', embedding }; // read before metadata was kept
    case 4:
      return { ...base, state: 'indexed', embedding, meta: meta('file') };
    case 5:
      return { ...base, hash: null, state: 'pending' }; // not read yet
    case 6:
      // Read before, waiting to be read again (dated), or offline.
      return {
        ...base,
        state: i % 16 === 6 ? 'pending' : 'offline',
        embedding,
        meta: meta('original'),
      };
    default:
      return {
        ...base,
        state: 'error',
        error: { code: 'DECODE_FAILED', message: 'bad file' },
      };
  }
}

export interface GalleryQuery {
  sort: 'taken-desc' | 'taken-asc' | 'modified';
  folder?: string;
  taken?: string;
  state?: PhotoState;
}

/** The gallery's order of `photos` in memory, as api/photos.ts listPhotos ordered it. */
export function inMemoryOrder(photos: readonly PhotoRecord[], query: GalleryQuery): PhotoRecord[] {
  const { folder, taken, state, sort } = query;
  const within = metadataFilter({ folders: folder ? [folder] : [], ...(taken && { taken }) });
  const wanted = photos.filter((p) => (!within || within(p)) && (!state || p.state === state));
  if (sort === 'taken-desc') return sortByTaken(wanted, 'newest');
  if (sort === 'taken-asc') return sortByTaken(wanted, 'oldest');
  return [...wanted].sort((a, b) => b.mtimeMs - a.mtimeMs || a.path.localeCompare(b.path));
}

/** Every scope the tests try: none, each folder, periods, each state, and some together. */
export function galleryScopes(): Omit<GalleryQuery, 'sort'>[] {
  const periods = ['2024', '2024-05', '2024-05-17', '2023-12', '2025', 'none'];
  return [
    {},
    ...FOLDERS.map((folder) => ({ folder })),
    { folder: '/lib' },
    { folder: '/lib/a/' },
    ...periods.map((taken) => ({ taken })),
    ...(['pending', 'indexed', 'error', 'offline'] as const).map((state) => ({ state })),
    { folder: '/lib/a', taken: '2024', state: 'indexed' },
  ];
}
