/**
 * The thumbnail cache: JPEG files named by the photo's content hash, so a moved or renamed
 * photo keeps its thumbnail and two copies of one photo share it. Made during indexing, in the
 * same decode pass as the model input (image/decode.ts).
 */
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';

export const THUMBNAIL_FOLDER = 'thumbnails';

export function thumbnailDir(dataDir: string): string {
  return path.join(dataDir, THUMBNAIL_FOLDER);
}

/** <dir>/<first two hex digits>/<hash>.jpg: at most 256 files per thousand photos per folder. */
export function thumbnailPath(dir: string, hash: string): string {
  return path.join(dir, hash.slice(0, 2), `${hash}.jpg`);
}

/** Deletes thumbnails whose hash no photo has any more; returns how many went. */
export async function pruneThumbnails(dir: string, keep: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  for (const shard of await readdir(dir).catch(() => [] as string[])) {
    for (const name of await readdir(path.join(dir, shard)).catch(() => [] as string[])) {
      const hash = name.replace(/\.jpg$/, '');
      if (!keep.has(hash)) {
        await unlink(path.join(dir, shard, name)).catch(() => undefined);
        removed++;
      }
    }
  }
  return removed;
}
