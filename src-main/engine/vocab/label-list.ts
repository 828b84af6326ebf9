/**
 * Builds the label list of one pack from what is stored: the pack's seen labels in pack order
 * with the user's changes laid over them, then the user's labels in the order added, and the
 * name lookup that answers to keys, shown names and aliases. Pure, so the Vocabulary can cache
 * the result per version and rebuild it after any change.
 */
import { emptyRecord } from '../store/keyed-record.js';
import type { ModelPack } from '../model/pack.js';
import type { LabelEntry } from './label-entry.js';
import { normaliseLabel } from './label-text.js';
import type { SeenChange, VocabularyData } from '../store/vocabulary-schema.js';

export interface LabelList {
  /** Every label, seen first in pack order, then the user's in the order added. */
  entries: LabelEntry[];
  /** Normalised key, shown name or alias → the label it names. */
  byName: Map<string, LabelEntry>;
  /** The same names by spelling (spellingKey): "hot dog", "hot-dog" and "hotdog" meet. */
  bySpelling: Map<string, LabelEntry>;
}

/**
 * What the spellings of one name share: normalised, accents folded, without spaces, hyphens,
 * apostrophes and dots ("Hot-Dog" and "hot dog" → "hotdog", "Café" → "cafe").
 */
export function spellingKey(text: string): string {
  return normaliseLabel(text)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\s\-_'’.]+/g, '');
}

export function buildLabelList(data: VocabularyData, pack: ModelPack): LabelList {
  const seen = data.seen[pack.manifest.id] ?? emptyRecord<SeenChange>();
  const entries: LabelEntry[] = pack.labels.map((label, i) => {
    const key = normaliseLabel(label.name);
    const change: SeenChange | undefined = seen[key];
    const entry: LabelEntry = {
      key,
      name: change?.rename ?? key,
      kind: 'seen',
      aliases: change?.aliases ?? [],
      hidden: change?.hidden ?? false,
      seenIndex: i,
      provenance: change?.changed ?? { by: 'pack', at: '' },
    };
    if (label.specificity !== undefined) entry.specificity = label.specificity;
    if (label.broader?.length) entry.broader = label.broader.map(normaliseLabel);
    if (change?.aliasOf !== undefined) entry.aliasOf = change.aliasOf;
    return entry;
  });
  for (const label of data.labels) {
    entries.push({
      key: label.text,
      name: label.text,
      kind: 'user',
      aliases: label.aliases,
      hidden: label.hidden,
      provenance: label.added,
    });
  }
  const byName = new Map<string, LabelEntry>();
  // Names a user typed win over pack names; merged labels answer to their new owner.
  for (const entry of entries) if (!byName.has(entry.key)) byName.set(entry.key, entry);
  for (const entry of entries) {
    for (const name of [entry.name, ...entry.aliases]) byName.set(name, entry);
  }
  const bySpelling = new Map<string, LabelEntry>();
  for (const [name, entry] of byName) {
    const key = spellingKey(name);
    if (!bySpelling.has(key) || byName.get(key) === entry) bySpelling.set(key, entry);
  }
  return { entries, byName, bySpelling };
}

/** Label names (shown names and aliases) starting with `prefix`, shortest first. */
export function suggestLabels(
  labels: readonly LabelEntry[],
  find: (text: string) => LabelEntry | undefined,
  prefix: string,
  limit: number,
): { text: string; label: string }[] {
  const start = normaliseLabel(prefix);
  const found: { text: string; label: string }[] = [];
  for (const entry of labels) {
    if (entry.hidden && entry.aliasOf === undefined) continue;
    const owner = entry.aliasOf ? find(entry.aliasOf) : entry;
    if (!owner || owner.hidden) continue;
    for (const text of entry.aliasOf ? [entry.key] : [entry.name, ...entry.aliases]) {
      if (text.startsWith(start)) found.push({ text, label: owner.name });
    }
  }
  found.sort((a, b) => a.text.length - b.text.length || a.text.localeCompare(b.text));
  return found.filter((f, i) => found.findIndex((g) => g.text === f.text) === i).slice(0, limit);
}
