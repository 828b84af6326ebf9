/**
 * A label as the API shows it: name, kind, aliases, threshold with its vote counts, how many
 * photos carry it, provenance. One place for that shape, so every label handler answers alike.
 */
import { roundScore } from '../index/scoring.js';
import type { Catalogue } from '../store/catalogue.js';
import type { LabelEntry } from '../vocab/label-entry.js';
import type { LabelSummary } from './contract.js';
import type { Vocabulary } from '../vocab/vocabulary.js';

export function summarise(
  catalogue: Catalogue,
  vocabulary: Vocabulary,
  entry: LabelEntry,
  counts = tagCounts(catalogue),
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
          value: roundScore(record.value),
          calibrated: roundScore(record.calibrated),
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
export function tagCounts(catalogue: Catalogue): Map<string, number> {
  const counts = new Map<string, number>();
  for (const photo of catalogue.photos()) {
    for (const tag of photo.tags) if (tag.key) counts.set(tag.key, (counts.get(tag.key) ?? 0) + 1);
  }
  return counts;
}
