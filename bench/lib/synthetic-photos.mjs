/** Synthetic photo records for catalogue benches: what the indexer leaves for a camera photo. */

/**
 * Photo `i` of a synthetic library: indexed, a 3 MB 4000×3000 JPEG under ~/Pictures/<year>/<n>/,
 * its matrix in slot `i` of `pack`'s embeddings, tagged by `pack` with `tags`, thumbnail made.
 */
export function indexedPhoto(i, pack, tags) {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    path: `/home/user/Pictures/${2000 + (i % 25)}/${i % 12}/IMG_${i}.jpg`,
    size: 3_000_000 + i,
    mtimeMs: 1_700_000_000_000 + i,
    hash: (i.toString(16) + 'f'.repeat(64)).slice(0, 64),
    width: 4000,
    height: 3000,
    format: 'jpeg',
    state: 'indexed',
    embedding: { pack, slot: i },
    tags,
    taggedBy: { pack, at: '2026-11-26T00:00:00.000Z' },
    thumb: true,
  };
}
