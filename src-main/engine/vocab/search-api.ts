/**
 * The search handler of the API: a query's words resolved through the vocabulary (a label,
 * with its aliases and threshold, or any word of the table), scored against the index, and
 * narrowed by folder and date. Apart from the label handlers, which edit; this only reads.
 */
import path from 'node:path';
import type { ApiParsedInput, ApiResults, PhotoSummary } from '../api-contract.js';
import type { Engine } from '../engine.js';
import { parseQuery } from '../index/query.js';
import { evaluateQuery, type ResolvedTerm } from '../index/search.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { Vocabulary } from './vocabulary.js';

export function searchHandler(
  engine: Engine,
  summaryOf: (photo: PhotoRecord) => PhotoSummary,
): (input: ApiParsedInput<'search'>) => Promise<ApiResults['search']> {
  return async (input) => {
    const { vocabulary, searchIndex } = await engine.activePack();
    const parsed = parseQuery(input.query);
    const folders = [...input.folders, ...parsed.filters.folders].map((f) => path.resolve(f));
    const after = parsed.filters.after ?? input.after;
    const before = parsed.filters.before ?? input.before;
    const filter = photoFilter(engine, folders, after, before);
    const hits = await evaluateQuery(searchIndex, parsed, resolver(vocabulary), {
      limit: input.limit,
      matchedOnly: input.matchedOnly,
      ...(filter && { filter }),
    });
    return {
      query: input.query,
      hits: hits.flatMap((hit) => {
        const photo = engine.catalogue.photoById(hit.photoId);
        return photo
          ? [{ ...summaryOf(photo), score: hit.score, matched: hit.matched, why: hit.why }]
          : [];
      }),
    };
  };
}

/** A query word → a vocabulary label (with aliases and threshold) or any word of the table. */
export function resolver(vocabulary: Vocabulary): (text: string) => ResolvedTerm {
  const prior = vocabulary.calibrationInfo()?.prior;
  return (text) => {
    const entry = vocabulary.find(text);
    if (entry) {
      const label = vocabulary.scoringLabel(entry);
      const threshold = vocabulary.threshold(entry.key)?.value;
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
    return {
      key: `word:${term.text}`,
      text,
      source: 'word',
      vectors: [term.vector],
      ...(prior !== undefined && { prior: prior * vocabulary.scaleOf([term.vector]) }),
    };
  };
}

function photoFilter(
  engine: Engine,
  folders: string[],
  after: string | undefined,
  before: string | undefined,
): ((id: string) => boolean) | undefined {
  if (!folders.length && !after && !before) return undefined;
  const from = after ? Date.parse(after) : -Infinity;
  // A bare date includes its whole day.
  const to = before ? Date.parse(before) + (/T/.test(before) ? 0 : 86_400_000 - 1) : Infinity;
  return (id) => {
    const photo = engine.catalogue.photoById(id);
    if (!photo) return false;
    if (
      folders.length &&
      !folders.some((f) => photo.path.startsWith(f + path.sep) || photo.path === f)
    ) {
      return false;
    }
    const takenAt = (photo as { takenAt?: string }).takenAt;
    const time = takenAt ? Date.parse(takenAt) : photo.mtimeMs;
    return time >= from && time <= to;
  };
}
