/**
 * `labelPhotos`: one vote on one label for many photos at once — the gallery's bulk "add a
 * label" (up), "remove a label" (down) and Undo (the votes each photo had before, or clear). The
 * votes are recorded one by one, then the label re-tags the library once. Each vote moves the
 * label's threshold as a single thumbs-up or -down does; the result says by how much and how
 * many photos' tags changed, and what each photo's vote was before (for Undo).
 */
import { scoreMatrix } from '../index/tagger.js';
import type { Handlers } from './api.js';
import { summarise } from './label-summary.js';
import { photoOf } from './photo-summary.js';
import type { MatrixSource } from './sources.js';

export function photoLabelHandlers({
  catalogue,
  active,
  matrixOf,
}: MatrixSource): Handlers<'labelPhotos'> {
  return {
    labelPhotos: async ({ photos: refs, label, vote }) => {
      const { vocabulary, tagging, searchIndex } = await active();
      const photos = [...new Set(refs.map((ref) => photoOf(catalogue, ref)))];
      return tagging.serial(async () => {
        const entry = vocabulary.get(label);
        const scoring = vocabulary.scoringLabel(entry);
        const before = vocabulary.threshold(entry.key)?.value ?? null;
        const votes = vocabulary.votesByPhoto();
        const previous = photos.map((photo) => ({
          photo: photo.id,
          vote: votes.get(photo.id)?.get(entry.key) ?? null,
        }));
        for (const photo of photos) {
          if (vote === 'clear') {
            vocabulary.clearVote(entry.key, photo.id);
            continue;
          }
          // The same matrix and rule as tagFeedback: one score for a label on a photo.
          const matrix = await matrixOf(photo.id);
          const { score } = scoreMatrix(matrix, searchIndex.k, searchIndex.d, [scoring])[0]!;
          vocabulary.vote(entry.key, photo.id, vote, score);
        }
        const retagged = await tagging.retag([scoring]);
        return {
          label: summarise(catalogue, vocabulary, entry),
          vote,
          photos: photos.length,
          previous,
          threshold: { before, after: vocabulary.threshold(entry.key)?.value ?? null },
          retagged,
        };
      });
    },
  };
}
