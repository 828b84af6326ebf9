/**
 * Photo reads: `listPhotos` (the catalogue page by page for the gallery when nothing is searched —
 * newest taken first by default, or oldest taken, newest file, by name or folder by folder;
 * optionally one folder's photos, one capture period's, or those in one state: the unreadable
 * ones), `similarPhotos` and `photoTags` (a photo's tags, and extra
 * labels scored now).
 */
import path from 'node:path';
import { metadataFilter, sortByTaken } from '../index/metadata-filter.js';
import { roundScore, type RowScore } from '../index/scoring.js';
import { photosLike } from '../index/similar.js';
import { scoreMatrix } from '../index/tagger.js';
import type { Handlers } from './api.js';
import { photoOf, photoSummaryOf } from './photo-summary.js';
import type { MatrixSource } from './sources.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { PhotoSort } from './contract.js';

const byPath = (a: PhotoRecord, b: PhotoRecord): number => a.path.localeCompare(b.path);
const byName = (a: PhotoRecord, b: PhotoRecord): number =>
  path.basename(a.path).localeCompare(path.basename(b.path), undefined, { numeric: true }) ||
  byPath(a, b);

/** The gallery's orders other than by date taken; ties fall back to the path, so pages never shuffle. */
const PHOTO_ORDERS: Record<
  Exclude<PhotoSort, 'taken-desc' | 'taken-asc'>,
  (a: PhotoRecord, b: PhotoRecord) => number
> = {
  modified: (a, b) => b.mtimeMs - a.mtimeMs || byPath(a, b),
  name: byName,
  folder: byPath,
};

/**
 * `photos` in the gallery order `sort`. The date orders follow metadata-filter.ts sortByTaken
 * (capture time, else file time; photos with no date — not read yet, or unreadable — last).
 */
function sortPhotos(photos: readonly PhotoRecord[], sort: PhotoSort): PhotoRecord[] {
  if (sort === 'taken-desc') return sortByTaken(photos, 'newest');
  if (sort === 'taken-asc') return sortByTaken(photos, 'oldest');
  return [...photos].sort(PHOTO_ORDERS[sort]);
}

export function photoHandlers({
  catalogue,
  active,
  matrixOf,
}: MatrixSource): Handlers<'listPhotos' | 'photoTags' | 'similarPhotos'> {
  return {
    listPhotos: async ({ folder, taken, offset, limit, sort, state }) => {
      // The photo table answers the date and file-time orders (store/photo-order.ts); Windows
      // compares paths without case, which its folder scope does not.
      const tableSort = sort === 'name' || sort === 'folder' ? undefined : sort;
      const fromTable = tableSort && !(folder && process.platform === 'win32');
      const order = fromTable ? await catalogue.savedOrder() : undefined;
      if (order && tableSort) {
        const { total, ids } = order.page({ sort: tableSort, offset, limit, folder, taken, state });
        const photos = ids.flatMap((id) => catalogue.photoById(id) ?? []);
        return { total, offset, photos: photos.map(photoSummaryOf) };
      }
      const within = metadataFilter({ folders: folder ? [folder] : [], ...(taken && { taken }) });
      const all = await catalogue.allPhotos();
      const wanted = all.filter((p) => (!within || within(p)) && (!state || p.state === state));
      const chosen = sortPhotos(wanted, sort);
      return {
        total: chosen.length,
        offset,
        photos: chosen.slice(offset, offset + limit).map(photoSummaryOf),
      };
    },
    similarPhotos: async ({ photo: ref, limit }) => {
      const photo = photoOf(catalogue, ref);
      const { searchIndex } = await active();
      const like = await photosLike(searchIndex, await matrixOf(photo.id), photo.id, limit);
      const hits = like.flatMap(({ id, score }) => {
        const found = catalogue.photoById(id);
        return found ? [{ ...photoSummaryOf(found), score: roundScore(score) }] : [];
      });
      return { photo: photoSummaryOf(photo), hits };
    },
    photoTags: async ({ photo: ref, labels }) => {
      const photo = photoOf(catalogue, ref);
      const { pack, terms } = await active();
      const extra = [];
      if (labels.length > 0) {
        const matrix = await matrixOf(photo.id);
        const { k, d } = pack.manifest.output;
        for (const label of labels) {
          const term = terms.resolve(label);
          const [{ score, row }] = scoreMatrix(matrix, k, d, [{ vectors: [term.vector] }]) as [
            RowScore,
          ];
          extra.push({
            label: term.text,
            score: roundScore(score),
            seen: term.source === 'seen',
            row,
          });
        }
      }
      return { photo: photoSummaryOf(photo), pack: pack.manifest.id, tags: photo.tags, extra };
    },
  };
}
