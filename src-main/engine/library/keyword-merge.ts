/**
 * How Anytag's tags join the keywords a photo already has, without touching the user's own:
 *   - hierarchical lists get `Anytag|tag` (lr:hierarchicalSubject) and `Anytag/tag` (digiKam
 *     TagsList): entries under the Anytag parent are ours, everything else is kept as it is;
 *   - flat lists (dc:subject, IPTC Keywords) get `tag` unless an entry already spells it (any
 *     case); a flat entry is removed later only if Anytag added it (`flat` remembers which);
 *   - a tag Anytag wrote before that is gone from the hierarchical list now was deleted by the
 *     user in another tool: it is declined, never written again.
 */
import type { KeywordLists } from '../image/xmp-keywords.js';
import { ANYTAG_PARENT } from '../image/photo-metadata.js';

export interface PreviousWrite {
  keywords: readonly string[];
  flat: readonly string[];
  declined?: readonly string[];
}

export interface MergedKeywords {
  lists: KeywordLists;
  /** The Anytag keywords written. */
  keywords: string[];
  /** Flat entries Anytag added (the user's own not among them). */
  flat: string[];
  declined: string[];
}

const HIERARCHY = { hierarchical: '|', tagsList: '/' } as const;

/** The lists to write for `tags`, given the lists the file holds now and the last write. */
export function mergeKeywords(
  current: KeywordLists,
  tags: readonly string[],
  previous: PreviousWrite | undefined,
  options: { iptc: boolean },
): MergedKeywords {
  const present = anytagLeaves(current.hierarchical, HIERARCHY.hierarchical);
  const declined = new Set(previous?.declined ?? []);
  for (const keyword of previous?.keywords ?? []) {
    if (!present.has(keyword)) declined.add(keyword);
  }
  const keywords = unique(tags).filter((t) => !declined.has(t));
  const lists: KeywordLists = {
    hierarchical: withOurs(current.hierarchical, keywords, HIERARCHY.hierarchical),
    tagsList: withOurs(current.tagsList, keywords, HIERARCHY.tagsList),
    subject: [],
    iptc: [],
  };
  const wanted = new Set(keywords.map((k) => k.toLowerCase()));
  const added = new Set((previous?.flat ?? []).map((k) => k.toLowerCase()));
  const flat = new Set<string>();
  const mergeFlat = (list: string[]): string[] => {
    // Ours that are no longer wanted go; everything the user had stays.
    const kept = list.filter((k) => !added.has(k.toLowerCase()) || wanted.has(k.toLowerCase()));
    const have = new Set(kept.map((k) => k.toLowerCase()));
    for (const keyword of keywords) {
      const key = keyword.toLowerCase();
      if (!have.has(key)) kept.push(keyword);
      if (!have.has(key) || added.has(key)) flat.add(keyword);
    }
    return kept;
  };
  lists.subject = mergeFlat(current.subject);
  lists.iptc = options.iptc ? mergeFlat(current.iptc) : current.iptc;
  return { lists, keywords, flat: [...flat], declined: [...declined] };
}

function anytagLeaves(list: readonly string[], separator: string): Set<string> {
  const prefix = ANYTAG_PARENT + separator;
  return new Set(list.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
}

function withOurs(
  list: readonly string[],
  keywords: readonly string[],
  separator: string,
): string[] {
  const prefix = ANYTAG_PARENT + separator;
  return [...list.filter((k) => !k.startsWith(prefix)), ...keywords.map((k) => prefix + k)];
}

function unique(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
}
