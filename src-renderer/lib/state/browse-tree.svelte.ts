/**
 * What the folder and date browsers show: the folder tree (folderTree) and the photo counts per
 * capture year, month and day (photoDates, within the folder browsed, so a date's count is what
 * clicking it shows). Fetched when first shown, and again — at most once per REFRESH_MS — when
 * photos are indexed or removed or a folder changes (goes offline, comes back, is added).
 */
import type { FolderTree, PhotoDates } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

/** How long news gathers before the counts are fetched again, ms. */
export const REFRESH_MS = 1500;

export class BrowseTree {
  folders = $state.raw<FolderTree | null>(null);
  dates = $state.raw<PhotoDates | null>(null);
  error = $state<string | null>(null);
  /** The folder the date counts are within (null: the whole library). */
  private datesFolder: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(private readonly client: ApiClient) {
    const soon = (): void => this.refreshSoon();
    client.on('photoIndexed', soon);
    client.on('photoRemoved', soon);
    client.on('folderChanged', soon);
  }

  /** Fetches both; the dates within `folder` (null: all photos). */
  async load(folder: string | null = this.datesFolder): Promise<void> {
    this.datesFolder = folder;
    const generation = ++this.generation;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      const [folders, dates] = await Promise.all([
        this.client.call('folderTree', {}),
        this.client.call('photoDates', folder ? { folder } : {}),
      ]);
      if (generation !== this.generation) return;
      this.folders = folders;
      this.dates = dates;
      this.error = null;
    } catch (error) {
      if (generation === this.generation) this.error = describeError(error);
    }
  }

  private refreshSoon(): void {
    // Nothing shown yet: the first load fetches everything anyway.
    if (this.folders === null) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.load();
    }, REFRESH_MS);
  }
}
