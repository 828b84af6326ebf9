/**
 * `reviewQueue`: the photo–label pairs whose score sits closest to the label's threshold — where
 * one thumbs-up or -down teaches the most — for the user's labels (or one named label), leaving
 * out pairs already voted on. One pass over the stored matrices per label; no model run.
 */
import { roundScore, topIndices } from '../index/scoring.js';
import type { Handlers } from './api.js';
import { photoSummaryOf } from './photo-summary.js';
import type { CatalogueSource } from './sources.js';
import type { ReviewItem } from './contract.js';

export function reviewHandlers({ catalogue, active }: CatalogueSource): Handlers<'reviewQueue'> {
  return {
    reviewQueue: async ({ label, limit }) => {
      const { vocabulary, tagging, searchIndex } = await active();
      const only = label ? vocabulary.get(label).key : undefined;
      const labels = vocabulary
        .active()
        .filter((s) => (only ? s.entry.key === only : s.entry.kind === 'user'));
      const votes = vocabulary.votesByPhoto();
      const ids = searchIndex.ids;
      const found: ReviewItem[] = [];
      for (const scoring of labels) {
        const threshold = vocabulary.threshold(scoring.entry.key)?.value;
        if (threshold === undefined) continue;
        const { scores } = (await tagging.pass(scoring)).scores; // [photos], index order
        // Closeness to the threshold, as a key where larger is closer; voted pairs left out.
        const closeness = Float32Array.from(scores, (s, i) =>
          votes.get(ids[i]!)?.has(scoring.entry.key) ? -Infinity : -Math.abs(s - threshold),
        );
        for (const i of topIndices(closeness, limit)) {
          const photo = catalogue.photoById(ids[i]!);
          if (!photo) continue;
          found.push({
            ...photoSummaryOf(photo),
            label: scoring.entry.name,
            score: roundScore(scores[i]!),
            threshold: roundScore(threshold),
            tagged: scores[i]! >= threshold,
          });
        }
      }
      found.sort((a, b) => Math.abs(a.score - a.threshold) - Math.abs(b.score - b.threshold));
      return { items: found.slice(0, limit) };
    },
  };
}
