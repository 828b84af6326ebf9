/**
 * What a label change does to the library's tags: re-tag the changed label from stored
 * embeddings (recalibrating it when asked), drop tags of labels that are gone or hidden, and
 * count which photos' tags a recalibration changed. Kept apart from the handlers that call it.
 */
import type { Engine } from '../engine.js';
import type { Tagging } from '../index/tagging.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { LabelEntry } from './label-entry.js';
import type { Vocabulary } from './vocabulary.js';

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
export function prune(engine: Engine, vocabulary: Vocabulary): number {
  const live = new Set(
    vocabulary
      .labels()
      .filter((e) => !e.hidden)
      .map((e) => e.key),
  );
  let changed = 0;
  for (const photo of engine.catalogue.photos()) {
    const tags = photo.tags.filter((t) => t.key === undefined || live.has(t.key));
    if (tags.length !== photo.tags.length) {
      photo.tags = tags;
      changed++;
    }
  }
  if (changed) engine.catalogue.touched();
  return changed;
}

/** Every photo's tags, as a signature to compare after a change. */
export function snapshot(engine: Engine): Map<string, string> {
  return new Map(engine.catalogue.photos().map((p) => [p.id, tagSignature(p)]));
}

/** How many photos' tags differ from the snapshot. */
export function changedSince(engine: Engine, before: Map<string, string>): number {
  return engine.catalogue.photos().filter((p) => before.get(p.id) !== tagSignature(p)).length;
}

function tagSignature(photo: PhotoRecord): string {
  return photo.tags.map((t) => `${t.key ?? t.label}:${t.score}`).join('|');
}
