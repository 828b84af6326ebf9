/**
 * Catalogue files as Anytag wrote them before the photo table (schemaVersion 3: every photo
 * record in catalogue.json), for the migration tests. Records carry every field a v3 writer set.
 */
import type { PhotoRecord } from '../../src-main/engine/store/catalogue-schema.js';
import { emptyVocabulary } from '../../src-main/engine/store/vocabulary-schema.js';

/** Photo `i` of a v3 catalogue: indexed with tags and a slot, or pending / error every few. */
export function v3Photo(i: number): PhotoRecord {
  const base = {
    id: `id-${i}`,
    path: `/photos/${Math.floor(i / 100)}/p${i}.jpg`,
    size: 1000 + i,
    mtimeMs: 1_700_000_000_000 + i,
  };
  if (i % 7 === 3) return { ...base, hash: null, state: 'pending', tags: [] };
  if (i % 7 === 5) {
    return {
      ...base,
      hash: `hash-${i}`,
      state: 'error',
      error: { code: 'DECODE_FAILED', message: `bad file ${i}` },
      tags: [],
    };
  }
  return {
    ...base,
    hash: `hash-${i % 50 === 0 ? 0 : i}`,
    width: 640,
    height: 480,
    format: 'jpeg',
    state: 'indexed',
    embedding: { pack: 'starter', slot: i },
    tags: [
      { label: 'cat', score: 0.91, seen: true, row: 0, pack: 'starter', key: 'cat', at: 't' },
      { label: 'sofa', score: 0.4, seen: false, row: 2, vote: 'up' },
    ],
    taggedBy: { pack: 'starter', at: '2026-11-01T00:00:00.000Z' },
    thumb: true,
  };
}

/** A whole v3 catalogue document with `count` photos. */
export function v3Catalogue(count: number): Record<string, unknown> {
  return {
    schemaVersion: 3,
    settings: { activePack: 'starter', runtime: 'cpu' },
    folders: [
      { path: '/photos', addedAt: '2026-01-01T00:00:00.000Z', polling: false, online: true },
    ],
    photos: Array.from({ length: count }, (_, i) => v3Photo(i)),
    embeddingFiles: { starter: { generation: 2 } },
    vocabulary: {
      ...emptyVocabulary(),
      votes: [{ pack: 'starter', label: 'cat', photo: 'id-0', vote: 'up', score: 0.9, at: 't' }],
    },
  };
}
