/** The library's status (photos, folders, pack, provider), refreshed on demand and by events. */
import type { StatusResult } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

export class LibraryStatus {
  current = $state<StatusResult | null>(null);
  error = $state<string | null>(null);
  loaded = $state(false);

  readonly isEmpty = $derived(
    this.current !== null && this.current.folders.length === 0 && this.current.photos.total === 0,
  );

  constructor(private readonly client: ApiClient) {}

  async refresh(): Promise<void> {
    try {
      this.current = await this.client.call('status', {});
      this.error = null;
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.loaded = true;
    }
  }
}
