/**
 * The user's own keywords as feedback: a photo keyworded "bird" in Lightroom, digiKam or any
 * tool counts as a thumbs-up for the label "bird" (its name or an alias), so tagging keeps that
 * tag whatever its score. A vote cast in Anytag wins over a keyword (a thumbs-down on "bird"
 * drops the tag though the keyword stays in the file). Keywords do not move thresholds: only
 * votes cast in Anytag calibrate them.
 */
import type { PhotoRecord } from '../store/catalogue-schema.js';

type Votes = Map<string, Map<string, 'up' | 'down'>>;

/**
 * `votes` (per photo id, per label key) with an up-vote added for each label a photo's own
 * keyword names; `labelKey` maps a keyword to a label key, or undefined when no label has it.
 */
export function withKeywordVotes(
  votes: Votes,
  photos: readonly PhotoRecord[],
  labelKey: (keyword: string) => string | undefined,
): Votes {
  for (const photo of photos) {
    const keywords = photo.meta?.keywords;
    if (!keywords?.length) continue;
    for (const keyword of keywords) {
      const key = labelKey(keyword);
      if (key === undefined) continue;
      let mine = votes.get(photo.id);
      if (!mine) votes.set(photo.id, (mine = new Map()));
      if (!mine.has(key)) mine.set(key, 'up');
    }
  }
  return votes;
}
