/**
 * The photos the user keyworded with a word (their own tags, read from the files), for search.
 * Walking every record per query term costs ~5–10 ms a term at 100k photos with 5 keywords
 * each; a lookup from each keyword (lower-cased, as `hasKeyword` compares them) to its photos'
 * ids answers in microseconds but costs ~25 ms to build. So: a question at a catalogue state
 * (Catalogue.photoChanges) seen for the first time walks the records; one at a state already
 * seen builds the lookup, which then answers until a record changes. While photos keep
 * changing (indexing) each question costs a walk, as before; on a quiet library, nothing.
 */
import { hasKeyword } from '../index/metadata-filter.js';
import type { Catalogue } from '../store/catalogue.js';

interface KeywordIndex {
  /** Catalogue.photoChanges when last asked (and when byKeyword was built, if it is). */
  changes: number;
  byKeyword?: Map<string, string[]>;
}

const indexes = new WeakMap<Catalogue, KeywordIndex>();

/** Ids of the photos keyworded `text` (case-insensitive), in catalogue order. */
export function keywordHolders(catalogue: Catalogue, text: string): ReadonlySet<string> {
  const changes = catalogue.photoChanges;
  const kept = indexes.get(catalogue);
  if (kept?.changes !== changes) {
    indexes.set(catalogue, { changes });
    const ids = new Set<string>();
    for (const photo of catalogue.photos()) if (hasKeyword(photo, text)) ids.add(photo.id);
    return ids;
  }
  kept.byKeyword ??= buildIndex(catalogue);
  return new Set(kept.byKeyword.get(text.toLowerCase()));
}

function buildIndex(catalogue: Catalogue): Map<string, string[]> {
  const byKeyword = new Map<string, string[]>();
  for (const photo of catalogue.photos()) {
    const keywords = photo.meta?.keywords;
    if (!keywords) continue;
    const id = photo.id;
    for (let i = 0; i < keywords.length; i++) {
      const keyword = keywords[i]!.toLowerCase();
      const ids = byKeyword.get(keyword);
      if (!ids) byKeyword.set(keyword, [id]);
      else if (ids[ids.length - 1] !== id) ids.push(id); // a photo keyworded twice: once
    }
  }
  return byKeyword;
}
