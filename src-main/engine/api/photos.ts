/**
 * Photo reads: `listPhotos` (the catalogue page by page for the gallery when nothing is searched —
 * newest file first, optionally one folder's photos only) and `photoTags` (a photo's tags, and
 * extra labels scored now).
 */
import path from 'node:path';
import { roundScore, type RowScore } from '../index/scoring.js';
import { photosLike } from '../index/similar.js';
import { scoreMatrix } from '../index/tagger.js';
import { isInside } from '../paths.js';
import type { Handlers } from './api.js';
import { photoOf, photoSummaryOf } from './photo-summary.js';
import type { MatrixSource } from './sources.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { PhotoSort } from './contract.js';

/**
 * When a photo was taken, as far as the catalogue knows (ms since 1970): its capture time once
 * the catalogue records one, else its file's modification time. The one rule the gallery's
 * date orders use.
 */
export function photoTime(photo: PhotoRecord): number {
  return photo.mtimeMs;
}

const byPath = (a: PhotoRecord, b: PhotoRecord): number => a.path.localeCompare(b.path);
const byName = (a: PhotoRecord, b: PhotoRecord): number =>
  path.basename(a.path).localeCompare(path.basename(b.path), undefined, { numeric: true }) ||
  byPath(a, b);

/** The gallery's orders; ties fall back to the path, so pages never shuffle. */
const PHOTO_ORDERS: Record<PhotoSort, (a: PhotoRecord, b: PhotoRecord) => number> = {
  newest: (a, b) => photoTime(b) - photoTime(a) || byPath(a, b),
  oldest: (a, b) => photoTime(a) - photoTime(b) || byPath(a, b),
  name: byName,
  folder: byPath,
};

export function photoHandlers({
  catalogue,
  active,
  matrixOf,
}: MatrixSource): Handlers<'listPhotos' | 'photoTags' | 'similarPhotos'> {
  return {
    listPhotos: async ({ folder, offset, limit, sort }) => {
      const chosen = folder
        ? catalogue.photos().filter((p) => isInside(folder, p.path))
        : [...catalogue.photos()];
      chosen.sort(PHOTO_ORDERS[sort]);
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
