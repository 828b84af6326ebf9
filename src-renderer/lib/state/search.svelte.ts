/** The search: the query as typed, its hits, and words for what went wrong. */
import type { SearchResult } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

export type Hit = SearchResult['hits'][number];

/** Results fetched per search; the heading says "top" when there may be more. */
export const SEARCH_LIMIT = 2000;

export class SearchState {
  query = $state('');
  ranQuery = $state('');
  hits = $state.raw<Hit[]>([]);
  busy = $state(false);
  error = $state<string | null>(null);
  /** Set while the hits are "more like this" photo (its file name), not a query's. */
  likeName = $state<string | null>(null);
  private generation = 0;

  constructor(private readonly client: ApiClient) {}

  async run(query: string, limit = SEARCH_LIMIT): Promise<void> {
    const text = query.trim();
    this.query = query;
    this.likeName = null;
    const generation = ++this.generation;
    if (!text) {
      this.hits = [];
      this.ranQuery = '';
      this.error = null;
      return;
    }
    this.busy = true;
    try {
      const result = await this.client.call('search', { query: text, limit });
      if (generation !== this.generation) return;
      this.hits = result.hits;
      this.ranQuery = text;
      this.error = null;
    } catch (error) {
      if (generation !== this.generation) return;
      this.hits = [];
      this.ranQuery = text;
      this.error = describeError(error);
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
      this.hits = result.hits.map((hit) => ({ ...hit, matched: true, why: [] }));
      this.likeName = name;
      this.ranQuery = `like ${name}`;
      this.error = null;
    } catch (error) {
      if (generation === this.generation) this.error = describeError(error);
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }
}
