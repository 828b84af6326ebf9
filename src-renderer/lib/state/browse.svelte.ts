/**
 * All photos of the library, newest first, for the gallery when nothing is searched. Loaded a
 * page at a time as the gallery scrolls, so a 100k-photo library costs only what is on screen.
 */
import type { PhotoSummary } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

export const PAGE_SIZE = 500;

export class Browse {
  /** One slot per photo; undefined until its page has loaded. */
  photos = $state.raw<(PhotoSummary | undefined)[]>([]);
  total = $state(0);
  error = $state<string | null>(null);
  // Bookkeeping only, never rendered: a plain Set on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly loading = new Set<number>();
  private visible = { start: 0, end: PAGE_SIZE };
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: ApiClient) {
    // New and removed photos show up while indexing runs, at most once a second.
    const soon = (): void => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.refresh();
      }, 1000);
    };
    client.on('photoIndexed', soon);
    client.on('photoRemoved', soon);
  }

  /** Reloads the pages on screen (and the first), replacing everything else. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.loading.clear();
    const pages = [0, ...this.pagesOf(this.visible.start, this.visible.end).filter((p) => p > 0)];
    try {
      const results = await Promise.all(pages.map((page) => this.fetchPage(page)));
      if (generation !== this.generation) return;
      const total = results.at(-1)!.total;
      const next = new Array<PhotoSummary | undefined>(total);
      results.forEach((result, i) => this.place(next, pages[i]!, result.photos));
      this.photos = next;
      this.total = total;
      this.error = null;
    } catch (error) {
      this.error = describeError(error);
    }
  }

  /** Makes sure the photos in [start, end) are loaded (the gallery calls this as it scrolls). */
  async ensure(start: number, end: number): Promise<void> {
    this.visible = { start, end };
    const generation = this.generation;
    if (start >= this.total) return;
    const missing = this.pagesOf(start, Math.min(end, this.total)).filter(
      (page) => !this.loading.has(page) && this.photos[page * PAGE_SIZE] === undefined,
    );
    for (const page of missing) this.loading.add(page);
    try {
      for (const page of missing) {
        const result = await this.fetchPage(page);
        if (generation !== this.generation) return;
        if (result.total !== this.total) {
          await this.refresh();
          return;
        }
        const next = this.photos.slice();
        this.place(next, page, result.photos);
        this.photos = next;
      }
    } catch (error) {
      this.error = describeError(error);
    } finally {
      for (const page of missing) this.loading.delete(page);
    }
  }

  private pagesOf(start: number, end: number): number[] {
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.max(first, Math.floor((Math.max(start + 1, end) - 1) / PAGE_SIZE));
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }

  private fetchPage(page: number): Promise<{ total: number; photos: PhotoSummary[] }> {
    return this.client.call('listPhotos', { offset: page * PAGE_SIZE, limit: PAGE_SIZE });
  }

  private place(into: (PhotoSummary | undefined)[], page: number, photos: PhotoSummary[]): void {
    photos.forEach((photo, i) => {
      if (page * PAGE_SIZE + i < into.length) into[page * PAGE_SIZE + i] = photo;
    });
  }
}
