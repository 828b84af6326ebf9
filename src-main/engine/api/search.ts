/**
 * The search handler of the API: a query's words resolved through the vocabulary (a label,
 * with its aliases and threshold, or any word of the table) and matched against the user's own
 * keywords, scored against the index, and narrowed by folder, capture date, camera, lens,
 * rating and keyword. Unlike the label handlers, which edit, this only reads.
 */
import os from 'node:os';
import path from 'node:path';
import { metadataFilter } from '../index/metadata-filter.js';
import { readQuery } from '../index/query-words.js';
import { parseQuery, termsOf } from '../index/query.js';
import { runQuery, type ResolvedTerm } from '../index/search.js';
import type { Catalogue } from '../store/catalogue.js';
import { findTerm, namesLabel, wordsToRead, type Lemmas } from '../vocab/term-finder.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import { isStopword, lemmatizer } from '../vocab/word-forms.js';
import type { Handlers } from './api.js';
import { FEW_MATCHES } from './contract.js';
import { keywordHolders } from './keyword-holders.js';
import { photoSummaryOf } from './photo-summary.js';
import type { CatalogueSource } from './sources.js';

export function searchHandlers({ catalogue, active }: CatalogueSource): Handlers<'search'> {
  return {
    search: async (input) => {
      const { vocabulary, searchIndex } = await active();
      const parsed = parseQuery(input.query);
      const folders = [...input.folders, ...parsed.filters.folders].map(expandFolder);
      const after = parsed.filters.after ?? input.after;
      const before = parsed.filters.before ?? input.before;
      const taken = parsed.filters.taken ?? input.taken;
      const matches = metadataFilter({
        ...parsed.filters,
        folders,
        ...(after && { after }),
        ...(before && { before }),
        ...(taken && { taken }),
      });
      const filter = matches && ((id: string) => photoMatches(catalogue, id, matches));
      const lemmas = await lemmatizer.lemmas(wordsToRead(termsOf(parsed.root).keys()));
      const read = readQuery(parsed, {
        namesLabel: (text) => namesLabel(vocabulary, text, lemmas),
        isStopword,
      });
      const answer = await runQuery(searchIndex, read.query, resolver(vocabulary, lemmas), {
        limit: input.limit,
        matchedOnly: input.matchedOnly,
        ...(filter && { filter }),
        keywordHolders: (text) => keywordHolders(catalogue, text),
      });
      return {
        query: input.query,
        matches: answer.matches,
        excluded: answer.excluded,
        dropped: read.dropped,
        fewMatches: answer.matches < FEW_MATCHES,
        hits: answer.hits.flatMap((hit) => {
          const photo = catalogue.photoById(hit.photoId);
          return photo
            ? [{ ...photoSummaryOf(photo), score: hit.score, matched: hit.matched, why: hit.why }]
            : [];
        }),
      };
    },
  };
}

/** `~` or `~/…` → the home folder; then an absolute path. */
function expandFolder(folder: string): string {
  const home = /^~(?=$|[/\\])/.test(folder) ? os.homedir() + folder.slice(1) : folder;
  return path.resolve(home);
}

/**
 * A query term → a vocabulary label (with aliases and threshold) or words of the table, read
 * as vocab/term-finder.ts says (stopwords, base forms, spellings, accents).
 */
export function resolver(
  vocabulary: Vocabulary,
  lemmas: Lemmas = new Map(),
): (text: string) => ResolvedTerm {
  return (text) => {
    const found = findTerm(vocabulary, text, lemmas);
    const read = found.read !== undefined ? { read: found.read } : {};
    const entry = found.entry;
    if (entry) {
      const label = vocabulary.scoringLabel(entry);
      const threshold = vocabulary.threshold(entry.key)?.value;
      const votes = new Map(vocabulary.votesOf(entry.key).map((v) => [v.photo, v.vote] as const));
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
        ...(votes.size > 0 && { votes }),
        ...read,
      };
    }
    const term = found.word!;
    const prior = vocabulary.scaledPrior([term.vector], false);
    return {
      key: `word:${term.text}`,
      text,
      source: 'word',
      vectors: [term.vector],
      ...(prior !== undefined && { prior }),
      ...read,
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
