/**
 * Search suggestions for the word being typed: labels the engine knows (when it offers a
 * suggestion method) and always the word itself, since any word can be searched.
 */
import type { ApiClient } from '../api/client.js';
import { lastTerm, replaceLastTerm } from '../words.js';

export interface Suggestion {
  text: string;
  kind: 'label' | 'word' | 'any word' | 'phrase';
  /** For an alias: the label it belongs to. */
  label?: string;
}

export class Suggestions {
  items = $state.raw<Suggestion[]>([]);
  private generation = 0;

  constructor(private readonly client: ApiClient) {}

  /** The query with its last term replaced by `text` (quoted when it has spaces). */
  apply(query: string, text: string): string {
    return replaceLastTerm(query, text);
  }

  async update(query: string): Promise<void> {
    const term = lastTerm(query).trim().toLowerCase();
    const generation = ++this.generation;
    if (!term) {
      this.items = [];
      return;
    }
    const own: Suggestion = { text: term, kind: term.includes(' ') ? 'phrase' : 'any word' };
    const known: Suggestion[] = await this.client.call('suggest', { prefix: term, limit: 8 }).then(
      (r) => r.suggestions,
      () => [],
    );
    if (generation !== this.generation) return;
    const exact = known.find((s) => s.text === term);
    this.items = [exact ?? own, ...known.filter((s) => s.text !== term)].slice(0, 9);
  }
}
