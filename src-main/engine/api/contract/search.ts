/** The contract's search area: queries, saved searches (smart albums) and completions. */
import { z } from 'zod';
import type { TermWhy } from '../../index/search.js';
import { filePath, takenPeriod, text } from './fields.js';
import type { PhotoSummary } from './photos.js';

export const searchInputSchemas = {
  /** Words and "phrases", AND by default, OR, -word / NOT, ( ); folder:, after:, before:. */
  search: z.strictObject({
    query: text(500),
    limit: z.number().int().min(1).max(10_000).default(50),
    /** Only photos under these folders (absolute paths). */
    folders: z.array(filePath).max(100).default([]),
    /** Only photos taken (or, lacking that, modified) on or after / before these dates. */
    after: z.iso.date().or(z.iso.datetime()).optional(),
    before: z.iso.date().or(z.iso.datetime()).optional(),
    /** Only photos taken in this year, month or day (or with no capture date: "none"). */
    taken: takenPeriod.optional(),
    /** Drop weaker results (photos that miss some word's threshold). */
    matchedOnly: z.boolean().default(false),
  }),
  /** Saved searches (smart albums), each with how many photos match it now. */
  listSavedSearches: z.strictObject({}),
  /** Saves a search as a smart album (again: renames it). */
  saveSearch: z.strictObject({ query: text(500), name: text(100).optional() }),
  removeSavedSearch: z.strictObject({ query: text(500) }),
  /** Search-bar completions: labels (names and aliases), then any known word, by prefix. */
  suggest: z.strictObject({
    prefix: z.string().trim().min(1).max(100),
    limit: z.number().int().min(1).max(100).default(10),
  }),
} as const;

/** Below this many matches an answer shows the closest weaker photos unasked. */
export const FEW_MATCHES = 3;

export interface SearchResult {
  query: string;
  /** Photos (within the filters) that match the whole query; `hits` lists them first. */
  matches: number;
  /** Photos (within the filters) a NOT term (`-word`) removed. */
  excluded: number;
  /** Words left out of the query as stopwords ("a", "the", "in" …). */
  dropped: string[];
  /**
   * Fewer than FEW_MATCHES matches: show the closest weaker photos too, apart from the matches
   * ("No photo matches 'owl' — closest:"). With more, show them only on request.
   */
  fewMatches: boolean;
  /**
   * The ranking: the matches (`matched: true`), then, up to `limit`, the closest photos that
   * miss some word's threshold (`matched: false`), never a photo a NOT removed.
   */
  hits: (PhotoSummary & {
    score: number;
    /** Passes every word's threshold (false: a weaker result, ranked after the matches). */
    matched: boolean;
    /** Per term: its score, threshold, the label (and alias) and matrix row that matched. */
    why: TermWhy[];
  })[];
}

export interface SavedSearch {
  query: string;
  name: string;
  /** Photos that match it now (every word's threshold passed); null when it cannot run. */
  matches: number | null;
}

export interface Suggestion {
  text: string;
  kind: 'label' | 'word';
  /** For a label's alias: the label it belongs to. */
  label?: string;
}

/** The search area's results, by method. */
export interface SearchMethodResults {
  search: SearchResult;
  listSavedSearches: { searches: SavedSearch[] };
  saveSearch: { searches: SavedSearch[] };
  removeSavedSearch: { searches: SavedSearch[] };
  suggest: { suggestions: Suggestion[] };
}
