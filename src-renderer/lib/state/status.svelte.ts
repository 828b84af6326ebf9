/**
 * The library's status (photos, folders, pack, provider): loaded once, then kept current by the
 * engine's events — photos indexed or removed, folders changed — each burst
 * of them answered by one `status` request at most once a second (STATUS_EVENTS_MS), never by
 * polling. Other owners (packs) call `refresh` after changes they make themselves.
 */
import type { ApiEventName, StatusResult } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

/** How long events gather before the status is asked for again, in ms. */
export const STATUS_EVENTS_MS = 1000;
const EVENTS: readonly ApiEventName[] = ['photoIndexed', 'photoRemoved', 'folderChanged'];

export class LibraryStatus {
  current = $state<StatusResult | null>(null);
  error = $state<string | null>(null);
  loaded = $state(false);

  readonly isEmpty = $derived(
    this.current !== null && this.current.folders.length === 0 && this.current.photos.total === 0,
  );
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: ApiClient) {
    for (const event of EVENTS) {
      client.on(event, () => {
        this.timer ??= setTimeout(() => void this.refresh(), STATUS_EVENTS_MS);
      });
    }
  }

  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
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
