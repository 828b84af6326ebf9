/**
 * A label as the API shows it: name, kind, aliases, threshold with its vote counts, how many
 * photos carry it, provenance. One place for that shape, so every label handler answers alike.
 */
import type { Engine } from '../engine.js';
import type { LabelEntry } from './label-entry.js';
import type { LabelSummary } from './vocabulary-contract.js';
import type { Vocabulary } from './vocabulary.js';

export function summarise(
  engine: Engine,
  vocabulary: Vocabulary,
  entry: LabelEntry,
  counts = tagCounts(engine),
): LabelSummary {
  const record = vocabulary.threshold(entry.key);
  const votes = vocabulary.votesOf(entry.key);
  const summary: LabelSummary = {
    key: entry.key,
    name: entry.name,
    kind: entry.kind,
    aliases: [...entry.aliases],
    hidden: entry.hidden,
    threshold: record
      ? {
          value: round(record.value),
          calibrated: round(record.calibrated),
          ...(record.manual !== undefined && { manual: record.manual }),
          votes: {
            up: votes.filter((v) => v.vote === 'up').length,
            down: votes.filter((v) => v.vote === 'down').length,
          },
        }
      : null,
    tagged: counts.get(entry.key) ?? 0,
    provenance: entry.provenance,
  };
  if (entry.aliasOf !== undefined) summary.aliasOf = entry.aliasOf;
  if (entry.specificity !== undefined) summary.specificity = entry.specificity;
  return summary;
}

/** Per label key: how many photos carry its tag. */
export function tagCounts(engine: Engine): Map<string, number> {
  const counts = new Map<string, number>();
  for (const photo of engine.catalogue.photos()) {
    for (const tag of photo.tags) if (tag.key) counts.set(tag.key, (counts.get(tag.key) ?? 0) + 1);
  }
  return counts;
}

/** Scores and thresholds as the API gives them: four decimals. */
export function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
