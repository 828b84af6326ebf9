/**
 * The search handler of the API: a query's words resolved through the vocabulary (a label,
 * with its aliases and threshold, or any word of the table), scored against the index, and
 * narrowed by folder and date. Unlike the label handlers, which edit, this only reads.
 */
import path from 'node:path';
import { parseQuery } from '../index/query.js';
import { evaluateQuery, type ResolvedTerm } from '../index/search.js';
import { isInside } from '../paths.js';
import type { Catalogue } from '../store/catalogue.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import type { Handlers } from './api.js';
import { photoSummaryOf } from './photo-summary.js';
import type { CatalogueSource } from './sources.js';

/** A bare date (no time) in `before` includes its whole day. */
const DAY_MS = 86_400_000;

export function searchHandlers({ catalogue, active }: CatalogueSource): Handlers<'search'> {
  return {
    search: async (input) => {
      const { vocabulary, searchIndex } = await active();
      const parsed = parseQuery(input.query);
      const folders = [...input.folders, ...parsed.filters.folders].map((f) => path.resolve(f));
      const after = parsed.filters.after ?? input.after;
      const before = parsed.filters.before ?? input.before;
      const filter = photoFilter(catalogue, folders, after, before);
      const hits = await evaluateQuery(searchIndex, parsed, resolver(vocabulary), {
        limit: input.limit,
        matchedOnly: input.matchedOnly,
        ...(filter && { filter }),
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

function photoFilter(
  catalogue: Catalogue,
  folders: string[],
  after: string | undefined,
  before: string | undefined,
): ((id: string) => boolean) | undefined {
  if (!folders.length && !after && !before) return undefined;
  const from = after ? Date.parse(after) : -Infinity;
  // A bare date includes its whole day.
  const to = before ? Date.parse(before) + (/T/.test(before) ? 0 : DAY_MS - 1) : Infinity;
  return (id) => {
    const photo = catalogue.photoById(id);
    if (!photo) return false;
    if (folders.length && !folders.some((f) => isInside(f, photo.path))) return false;
    const takenAt = (photo as { takenAt?: string }).takenAt;
    const time = takenAt ? Date.parse(takenAt) : photo.mtimeMs;
    return time >= from && time <= to;
  };
}
