/**
 * All photos of the library (newest taken first by default; see PHOTO_SORTS), for the gallery
 * when nothing is searched, optionally one folder's and/or one capture period's only (the scope
 * the folder and date browsers choose; a search runs within it too). Loaded a page at a time as the gallery scrolls, so a 100k-photo library costs only what is on screen.
 *
 * Events are applied, not refetched: `photoIndexed` for a photo on a loaded page replaces it in
 * place (its state, size, error), `photoRemoved` of a loaded photo takes it out. Only news of a
 * photo this list has not loaded (found by the watcher, or removed off screen) leaves its place
 * unknown; then the pages on screen are fetched again, at most once a second (RESYNC_MS). Events
 * that arrive while pages are on their way are applied once the pages land.
 */
import type { PhotoSort, PhotoSummary } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';
import { moveByTaken } from '../taken-order.js';

export const PAGE_SIZE = 500;
/** How long news of unloaded photos gathers before the pages on screen are fetched again, ms. */
export const RESYNC_MS = 1000;

type PhotoEvent = { kind: 'indexed'; photo: PhotoSummary } | { kind: 'removed'; id: string };

export class Browse {
  /** One slot per photo; undefined until its page has loaded. */
  photos = $state.raw<(PhotoSummary | undefined)[]>([]);
  total = $state(0);
  error = $state<string | null>(null);
  /** Only the photos under this folder (absolute path), or all. */
  folder = $state<string | null>(null);
  /** Only the photos in this state (error: the unreadable ones), or all. */
  state = $state<PhotoSummary['state'] | null>(null);
  /** Only the photos taken in this year, month or day (YYYY[-MM[-DD]]; "none": undated), or all. */
  taken = $state<string | null>(null);
  /** The order (date taken both ways, file date, name, folder; see PHOTO_SORTS). */
  sort = $state<PhotoSort>('taken-desc');
  // Bookkeeping only, never rendered: a plain Set on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly loading = new Set<number>();
  /** Each folder's last known reachability (from folderChanged). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly online = new Map<string, boolean>();
  private visible = { start: 0, end: PAGE_SIZE };
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Events that came while a refresh was on its way (null: none is). */
  private held: PhotoEvent[] | null = null;

  constructor(private readonly client: ApiClient) {
    client.on('photoIndexed', (photo) => this.apply({ kind: 'indexed', photo }));
    client.on('photoRemoved', ({ id }) => this.apply({ kind: 'removed', id }));
    // A folder going offline or coming back changes its photos' states without an event each.
    client.on('folderChanged', (folder) => {
      const was = this.online.get(folder.path);
      this.online.set(folder.path, folder.online);
      if (was === undefined ? !folder.online : was !== folder.online) this.resyncSoon();
    });
  }

  /** Shows only the photos under `folder` (null: all photos), and only those in `state` (null:
   * any; 'error': the unreadable ones), from the top. */
  async setFolder(
    folder: string | null,
    state: PhotoSummary['state'] | null = null,
  ): Promise<void> {
    await this.setScope(folder, null, state);
  }

  /**
   * Shows only the photos under `folder` taken in `taken` (null: any), in `state` (null: any),
   * from the top.
   */
  async setScope(
    folder: string | null,
    taken: string | null,
    state: PhotoSummary['state'] | null = null,
  ): Promise<void> {
    if (folder === this.folder && taken === this.taken && state === this.state) return;
    this.folder = folder;
    this.taken = taken;
    this.state = state;
    this.photos = [];
    this.total = 0;
    this.visible = { start: 0, end: PAGE_SIZE };
    await this.refresh();
  }

  /** Shows the photos in another order, from the top. */
  async setSort(sort: PhotoSort): Promise<void> {
    if (sort === this.sort) return;
    this.sort = sort;
    this.photos = [];
    this.visible = { start: 0, end: PAGE_SIZE };
    await this.refresh();
  }

  /** Reloads the pages on screen (and the first), replacing everything else. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.loading.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = [];
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
    } finally {
      if (generation === this.generation) {
        const held = this.held ?? [];
        this.held = null;
        for (const event of held) this.apply(event);
      }
    }
  }

  /** One photo's news, applied to the loaded pages (see the header). */
  private apply(event: PhotoEvent): void {
    if (this.held) {
      this.held.push(event);
      return;
    }
    const id = event.kind === 'indexed' ? event.photo.id : event.id;
    const at = this.photos.findIndex((photo) => photo?.id === id);
    if (at < 0) return this.resyncSoon();
    if (event.kind === 'removed') {
      this.photos = this.photos.toSpliced(at, 1);
      this.total = Math.max(0, this.total - 1);
    } else if (this.state && event.photo.state !== this.state) {
      this.resyncSoon(); // no longer in the state shown (a rescan read it after all)
    } else if (event.photo.path === this.photos[at]!.path) {
      const before = this.photos[at]!;
      const next = this.photos.with(at, event.photo);
      // Indexing read its capture date: in date order, the photo may have to move.
      const byTaken = this.sort === 'taken-desc' || this.sort === 'taken-asc';
      if (byTaken && event.photo.takenMs !== before.takenMs) {
        const moved = moveByTaken(next, at, this.sort === 'taken-asc');
        if (moved) this.photos = moved;
        else this.resyncSoon(); // neighbours not loaded: the server knows where it goes
      } else this.photos = next;
    } else {
      this.resyncSoon(); // moved: its place in the order may have changed
    }
  }

  private resyncSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, RESYNC_MS);
  }

  /** Makes sure the photos in [start, end) are loaded (the gallery calls this as it scrolls). */
  async ensure(start: number, end: number): Promise<void> {
    this.visible = { start, end };
    const generation = this.generation;
    if (start >= this.total) return;
    // A page with any hole on screen (a removal shifts a neighbour's first photo into its end).
    const missing = this.pagesOf(start, Math.min(end, this.total)).filter(
      (page) =>
        !this.loading.has(page) &&
        this.photos
          .slice(Math.max(start, page * PAGE_SIZE), Math.min(end, (page + 1) * PAGE_SIZE))
          .includes(undefined),
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
    return this.client.call('listPhotos', {
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
      ...(this.folder && { folder: this.folder }),
      ...(this.state && { state: this.state }),
      ...(this.taken && { taken: this.taken }),
      sort: this.sort,
    });
  }

  private place(into: (PhotoSummary | undefined)[], page: number, photos: PhotoSummary[]): void {
    photos.forEach((photo, i) => {
      if (page * PAGE_SIZE + i < into.length) into[page * PAGE_SIZE + i] = photo;
    });
  }
}
