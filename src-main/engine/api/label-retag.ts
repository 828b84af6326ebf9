/**
 * What a label change does to the library's tags: re-tag the changed label from stored
 * embeddings (recalibrating it when asked), drop tags of labels that are gone or hidden, and
 * count which photos' tags a recalibration changed. Kept apart from the handlers that call it.
 */
import type { Tagging } from '../index/tagging.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { LabelEntry } from '../vocab/label-entry.js';
import type { Vocabulary } from '../vocab/vocabulary.js';

/** After a change: recalibrate the label when asked (or when it has no threshold), re-tag it. */
export async function refresh(
  tagging: Tagging,
  vocabulary: Vocabulary,
  entry: LabelEntry,
  options: { recalibrate?: boolean },
): Promise<number> {
  const current = vocabulary.find(entry.key);
  if (!current || current.hidden) return 0;
  const label = vocabulary.scoringLabel(current);
  const pass = await tagging.pass(label);
  if (options.recalibrate || !vocabulary.threshold(current.key)) tagging.calibrateFrom(pass);
  return tagging.retag([label], { passes: [pass] });
}

/** Drops tags of labels that are gone or hidden. */
export function prune(catalogue: Catalogue, vocabulary: Vocabulary): number {
  const live = new Set(
    vocabulary
      .labels()
      .filter((e) => !e.hidden)
      .map((e) => e.key),
  );
  let changed = 0;
  for (const photo of catalogue.photos()) {
    const tags = photo.tags.filter((t) => t.key === undefined || live.has(t.key));
    if (tags.length !== photo.tags.length) {
      catalogue.setTags(photo, tags);
      changed++;
    }
  }
  return changed;
}

/** Every photo's tags, as a signature to compare after a change. */
export function snapshot(catalogue: Catalogue): Map<string, string> {
  return new Map(catalogue.photos().map((p) => [p.id, tagSignature(p)]));
}

/** How many photos' tags differ from the snapshot. */
export function changedSince(catalogue: Catalogue, before: Map<string, string>): number {
  return catalogue.photos().filter((p) => before.get(p.id) !== tagSignature(p)).length;
}

function tagSignature(photo: PhotoRecord): string {
  return photo.tags.map((t) => `${t.key ?? t.label}:${t.score}`).join('|');
}
