/**
 * The thumbnail cache: JPEG files named by the photo's content hash, so a moved or renamed
 * photo keeps its thumbnail and two copies of one photo share it. Made during indexing, in the
 * same decode pass as the model input (image/decode.ts).
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export const THUMBNAIL_FOLDER = 'thumbnails';

export function thumbnailDir(dataDir: string): string {
  return path.join(dataDir, THUMBNAIL_FOLDER);
}

/** <dir>/<first two hex digits>/<hash>.jpg: at most 256 files per thousand photos per folder. */
export function thumbnailPath(dir: string, hash: string): string {
  return path.join(dir, hash.slice(0, 2), `${hash}.jpg`);
}

/**
 * Deletes thumbnails whose hash no photo has any more; returns how many went. Files written
 * after the prune began (a photo being indexed meanwhile) are kept.
 */
export async function pruneThumbnails(dir: string, keep: ReadonlySet<string>): Promise<number> {
  const started = Date.now();
  let removed = 0;
  for (const shard of await readdir(dir).catch(() => [] as string[])) {
    for (const name of await readdir(path.join(dir, shard)).catch(() => [] as string[])) {
      // <hash>.jpg (thumbnail) and <hash>.view.jpg (rendition, rendition.ts) go with the photo.
      if (keep.has(name.replace(/(\.view)?\.jpg$/, ''))) continue;
      const file = path.join(dir, shard, name);
      const info = await stat(file).catch(() => null);
      if (!info || info.mtimeMs >= started) continue;
      await unlink(file).catch(() => undefined);
      removed++;
    }
  }
  return removed;
}

/** Prunes the cache a moment after photos leave the library, when `ready()` (indexing idle). */
export class ThumbnailPruner {
  private removed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly hashes: () => Iterable<string | null>,
    private readonly ready: () => boolean,
    private readonly delayMs = 1000,
  ) {}

  photoRemoved(): void {
    this.removed++;
    this.schedule();
  }

  schedule(): void {
    if (this.timer || this.removed === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.ready()) void this.prune();
      else this.schedule();
    }, this.delayMs);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.removed = 0;
  }

  private async prune(): Promise<void> {
    this.removed = 0;
    const keep = new Set<string>();
    for (const hash of this.hashes()) if (hash) keep.add(hash);
    await pruneThumbnails(this.dir, keep).catch(() => 0);
  }
}
