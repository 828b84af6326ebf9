/**
 * Photos whose file went missing while their folder is online. A move or rename shows up as a
 * file gone plus a file new; the photo waits here, so the new file (same content hash) can
 * claim it with its id and tags. Once the queue is quiet and the grace time is over, a photo
 * still unclaimed — and still missing — leaves the library.
 */
import { existsSync } from 'node:fs';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import { isInside } from '../paths.js';
import { CANNOT_OPEN_FOLDER, type ScanResult } from './scan.js';

export class Limbo {
  private readonly since = new Map<PhotoRecord, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly graceMs: number,
    private readonly quiet: () => boolean,
    private readonly expire: (photo: PhotoRecord) => void,
  ) {}

  get size(): number {
    return this.since.size;
  }

  add(photo: PhotoRecord): void {
    if (photo.state === 'offline' || this.since.has(photo)) return;
    this.since.set(photo, performance.now());
    this.schedule(this.graceMs);
  }

  release(photo: PhotoRecord): void {
    this.since.delete(photo);
  }

  /** The first of `candidates` that is waiting here, taken out; undefined when none is. */
  claim(candidates: readonly PhotoRecord[] | PhotoRecord | undefined): PhotoRecord | undefined {
    const list =
      candidates === undefined ? [] : Array.isArray(candidates) ? candidates : [candidates];
    const found = (list as PhotoRecord[]).find((photo) => this.since.has(photo));
    if (found) this.since.delete(found);
    return found;
  }

  withSize(size: number): PhotoRecord[] {
    return [...this.since.keys()].filter((photo) => photo.size === size);
  }

  /**
   * Lets expired photos go, if the queue is quiet (a move's new file may still be queued).
   * `now`: no grace — every file was looked at (a full scan is done and its queue drained).
   */
  check(now = false): void {
    if (this.since.size === 0 || !this.quiet()) return;
    const at0 = performance.now();
    let soonest = Infinity;
    for (const [photo, at] of this.since) {
      const left = now ? 0 : at + this.graceMs - at0;
      if (left > 0) soonest = Math.min(soonest, left);
      else {
        this.since.delete(photo);
        if (!existsSync(photo.path)) this.expire(photo);
      }
    }
    if (soonest < Infinity) this.schedule(soonest);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), ms + 5);
    this.timer.unref();
  }
}

/**
 * Catalogue photos a scan did not find. Photos under a sub-folder the scan could not open
 * (permissions, an I/O error) are not missing: we cannot see them, so they must not be expired.
 */
export function missingPhotos(
  known: readonly PhotoRecord[],
  found: readonly string[],
  skipped: ScanResult['skipped'],
): PhotoRecord[] {
  const present = new Set(found);
  const unreadable = skipped
    .filter((s) => s.reason.startsWith(CANNOT_OPEN_FOLDER))
    .map((s) => s.path);
  return known.filter(
    (photo) => !present.has(photo.path) && !unreadable.some((dir) => isInside(dir, photo.path)),
  );
}
