// The store bench's synthetic library (bench/store/index.mjs): photo `i` as the indexer leaves it
// (indexed, 10 tags with provenance; dated by its file time, bench/lib/synthetic-photos.mjs) and a
// photo table of `count` of them, built in batches (setup; never measured).
import { importBuilt } from '../lib/build.mjs';
import { indexedPhoto } from '../lib/synthetic-photos.mjs';

export const PACK = 'starter-mobilenetv2-glove100';

export const idOf = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Photo `i`: indexed, 10 tags with provenance, as the indexer leaves it. */
export function photo(i) {
  return indexedPhoto(i, PACK, tagsFor(i, 0));
}

/** Photo `i`'s tags after relabelling round `round`. */
export function tagsFor(i, round) {
  return Array.from({ length: 10 }, (_, t) => ({
    label: `label-${(i + t + round) % 900}`,
    score: 0.5 + t / 100,
    seen: true,
    row: t % 16,
    pack: PACK,
    key: `label-${(i + t) % 900}`,
  }));
}

/** Builds a photo table of `count` records in `dir` in batches of 10,000. */
export async function buildTable(dir, count) {
  const { PhotoTable } = await importBuilt('store/photo-table.js');
  const table = PhotoTable.open(dir);
  for (let start = 0; start < count; start += 10_000) {
    const put = [];
    for (let i = start; i < Math.min(count, start + 10_000); i++) put.push(photo(i));
    table.apply({ put, remove: [], generations: start === 0 ? new Map([[PACK, 1]]) : undefined });
  }
  await table.close();
}
