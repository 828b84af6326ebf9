/**
 * Photo reads: `listPhotos` (the catalogue page by page for the gallery when nothing is searched —
 * newest taken first by default, or newest file, or by name; optionally one folder's photos only) and `photoTags` (a photo's tags, and
 * extra labels scored now).
 */
import { byTakenNewestFirst } from '../index/metadata-filter.js';
import { roundScore, type RowScore } from '../index/scoring.js';
import { scoreMatrix } from '../index/tagger.js';
import { isInside } from '../paths.js';
import type { Handlers } from './api.js';
import { photoOf, photoSummaryOf } from './photo-summary.js';
import type { MatrixSource } from './sources.js';

export function photoHandlers({
  catalogue,
  active,
  matrixOf,
}: MatrixSource): Handlers<'listPhotos' | 'photoTags'> {
  return {
    listPhotos: async ({ folder, offset, limit, sort }) => {
      let chosen = folder
        ? catalogue.photos().filter((p) => isInside(folder, p.path))
        : [...catalogue.photos()];
      if (sort === 'taken') chosen = byTakenNewestFirst(chosen);
      else if (sort === 'name') chosen.sort((a, b) => a.path.localeCompare(b.path));
      else chosen.sort((a, b) => b.mtimeMs - a.mtimeMs || a.path.localeCompare(b.path));
      return {
        total: chosen.length,
        offset,
        photos: chosen.slice(offset, offset + limit).map(photoSummaryOf),
      };
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
