/**
 * The search handler of the API: a query's words resolved through the vocabulary (a label,
 * with its aliases and threshold, or any word of the table) and matched against the user's own
 * keywords, scored against the index, and narrowed by folder, capture date, camera, lens,
 * rating and keyword. Unlike the label handlers, which edit, this only reads.
 */
import path from 'node:path';
import { hasKeyword, metadataFilter } from '../index/metadata-filter.js';
import { parseQuery } from '../index/query.js';
import { evaluateQuery, type ResolvedTerm } from '../index/search.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import type { Handlers } from './api.js';
import { photoSummaryOf } from './photo-summary.js';
import type { CatalogueSource } from './sources.js';

export function searchHandlers({ catalogue, active }: CatalogueSource): Handlers<'search'> {
  return {
    search: async (input) => {
      const { vocabulary, searchIndex } = await active();
      const parsed = parseQuery(input.query);
      const folders = [...input.folders, ...parsed.filters.folders].map((f) => path.resolve(f));
      const after = parsed.filters.after ?? input.after;
      const before = parsed.filters.before ?? input.before;
      const matches = metadataFilter({
        ...parsed.filters,
        folders,
        ...(after && { after }),
        ...(before && { before }),
      });
      const filter = matches && ((id: string) => photoMatches(catalogue, id, matches));
      const hits = await evaluateQuery(searchIndex, parsed, resolver(vocabulary), {
        limit: input.limit,
        matchedOnly: input.matchedOnly,
        ...(filter && { filter }),
        keywordHolders: (text) => keywordHolders(catalogue, text),
      });
      return {
        query: input.query,
        hits: hits.flatMap((hit) => {
          const photo = catalogue.photoById(hit.photoId);
          return photo
            ? [{ ...photoSummaryOf(photo), score: hit.score, matched: hit.matched, why: hit.why }]
            : [];
        }),
      };
    },
  };
}

/** A query word → a vocabulary label (with aliases and threshold) or any word of the table. */
export function resolver(vocabulary: Vocabulary): (text: string) => ResolvedTerm {
  return (text) => {
    const entry = vocabulary.find(text);
    if (entry) {
      const label = vocabulary.scoringLabel(entry);
      const threshold = vocabulary.threshold(entry.key)?.value;
      const prior = vocabulary.scaledPrior(label.vectors, entry.kind === 'seen');
      return {
        key: `${vocabulary.version}:${entry.key}`,
        text,
        source: entry.kind,
        label: entry.name,
        vectors: label.vectors,
        members: label.members,
        ...(threshold !== undefined && { threshold }),
        ...(prior !== undefined && { prior }),
      };
    }
    const term = vocabulary.terms.resolve(text);
    const prior = vocabulary.scaledPrior([term.vector], false);
    return {
      key: `word:${term.text}`,
      text,
      source: 'word',
      vectors: [term.vector],
      ...(prior !== undefined && { prior }),
    };
  };
}

function photoMatches(
  catalogue: Catalogue,
  id: string,
  matches: (photo: PhotoRecord) => boolean,
): boolean {
  const photo = catalogue.photoById(id);
  return photo !== undefined && matches(photo);
}

/** Ids of the photos the user keyworded `text` (their own tags, read from the files). */
function keywordHolders(catalogue: Catalogue, text: string): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const photo of catalogue.photos()) if (hasKeyword(photo, text)) ids.add(photo.id);
  return ids;
}
