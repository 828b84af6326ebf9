/** Saved searches shown as smart albums: their queries and how many photos match each now. */
import type { SavedSearch } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

export class Albums {
  list = $state.raw<SavedSearch[]>([]);
  error = $state<string | null>(null);

  constructor(private readonly client: ApiClient) {}

  /** Counts afresh (after indexing, the albums may have grown). */
  async refresh(): Promise<void> {
    await this.run(() => this.client.call('listSavedSearches', {}));
  }

  has(query: string): boolean {
    return this.list.some((a) => a.query === query);
  }

  async save(query: string): Promise<void> {
    await this.run(() => this.client.call('saveSearch', { query }));
  }

  async remove(query: string): Promise<void> {
    await this.run(() => this.client.call('removeSavedSearch', { query }));
  }

  private async run(call: () => Promise<{ searches: SavedSearch[] }>): Promise<void> {
    try {
      this.list = (await call()).searches;
      this.error = null;
    } catch (error) {
      this.error = describeError(error);
    }
  }
}
