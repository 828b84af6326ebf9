/**
 * The search: the query as typed, its answer — the matches, then (when few match, or on
 * request) the closest weaker photos — and words for what went wrong.
 */
import type { SearchResult } from '../../../src-main/engine/api/contract.js';
import { ApiError, describeError, type ApiClient } from '../api/client.js';

export type Hit = SearchResult['hits'][number];

/** Results fetched per search; the heading says "top" when there may be more. */
export const SEARCH_LIMIT = 2000;

export class SearchState {
  query = $state('');
  ranQuery = $state('');
  hits = $state.raw<Hit[]>([]);
  /** Photos that match the whole query (the answer), and how many a NOT removed. */
  matches = $state(0);
  excluded = $state(0);
  dropped = $state.raw<string[]>([]);
  fewMatches = $state(false);
  /** The user asked to see the closest weaker photos too. */
  closestAsked = $state(false);
  /** Bumped by every new query shown (not a re-run of the same one): the gallery goes to the top. */
  newSearches = $state(0);
  busy = $state(false);
  error = $state<string | null>(null);
  /** For an unknown word: the words the engine suggests instead ("did you mean"), per word. */
  corrections = $state.raw<{ word: string; suggestions: string[] }[]>([]);
  /** Set while the hits are "more like this" photo (its file name), not a query's. */
  likeName = $state<string | null>(null);
  private generation = 0;

  /** `scope`: the folder and capture period browsed, which a search stays within. */
  constructor(
    private readonly client: ApiClient,
    private readonly scope: () => { folder: string | null; taken: string | null } = () => ({
      folder: null,
      taken: null,
    }),
  ) {}

  /** The matches, in rank order. */
  get matched(): Hit[] {
    return this.hits.filter((h) => h.matched);
  }

  /** The closest weaker photos, shown apart: when few photos match, or when asked. */
  get closest(): Hit[] {
    return this.fewMatches || this.closestAsked ? this.hits.filter((h) => !h.matched) : [];
  }

  /** How many weaker photos there are to show on request. */
  get closestCount(): number {
    return this.hits.length - this.matched.length;
  }

  async run(query: string, limit = SEARCH_LIMIT): Promise<void> {
    const text = query.trim();
    this.query = query;
    this.likeName = null;
    const generation = ++this.generation;
    if (!text) {
      this.clear();
      this.ranQuery = '';
      this.error = null;
      return;
    }
    this.busy = true;
    try {
      const { folder, taken } = this.scope();
      const result = await this.client.call('search', {
        query: text,
        limit,
        ...(folder && { folders: [folder] }),
        ...(taken && { taken }),
      });
      if (generation !== this.generation) return;
      const fresh = text !== this.ranQuery;
      this.hits = result.hits;
      this.matches = result.matches;
      this.excluded = result.excluded;
      this.dropped = result.dropped;
      this.fewMatches = result.fewMatches;
      if (fresh) {
        this.closestAsked = false;
        this.newSearches++;
      }
      this.ranQuery = text;
      this.error = null;
      this.corrections = [];
    } catch (error) {
      if (generation !== this.generation) return;
      this.clear();
      this.ranQuery = text;
      this.error = describeError(error);
      this.corrections = correctionsOf(error);
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }

  /** "More like this": the photos nearest one photo by their embeddings, best first. */
  async runLike(photoId: string, name: string, limit = 200): Promise<void> {
    const generation = ++this.generation;
    this.query = '';
    this.busy = true;
    try {
      const result = await this.client.call('similarPhotos', { photo: photoId, limit });
      if (generation !== this.generation) return;
      this.clear();
      this.hits = result.hits.map((hit) => ({ ...hit, matched: true, why: [] }));
      this.matches = this.hits.length;
      this.newSearches++;
      this.likeName = name;
      this.ranQuery = `like ${name}`;
    } catch (error) {
      if (generation === this.generation) this.error = describeError(error);
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }

  private clear(): void {
    this.hits = [];
    this.matches = 0;
    this.excluded = 0;
    this.dropped = [];
    this.fewMatches = false;
    this.closestAsked = false;
    this.ranQuery = '';
    this.error = null;
    this.corrections = [];
  }
}

/** The engine's "did you mean" words of an UNKNOWN_WORD error (details.suggestions), per word. */
function correctionsOf(error: unknown): { word: string; suggestions: string[] }[] {
  if (!(error instanceof ApiError) || error.code !== 'UNKNOWN_WORD') return [];
  const found = error.details?.suggestions;
  if (!found || typeof found !== 'object') return [];
  return Object.entries(found as Record<string, unknown>).flatMap(([word, list]) => {
    const suggestions = Array.isArray(list) ? list.filter((w) => typeof w === 'string') : [];
    return suggestions.length ? [{ word, suggestions }] : [];
  });
}
