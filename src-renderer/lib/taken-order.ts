/**
 * The gallery's date order on the renderer's side, as the engine sorts (index/metadata-filter.ts
 * sortByTaken): newest or oldest taken first, ties by path, photos with no date (no `takenMs`:
 * not read yet, or unreadable) after every dated photo in both orders. Used to move one photo to
 * its place when indexing reads its date, without fetching the pages again.
 */
import type { PhotoSummary } from '../../src-main/engine/api/contract.js';

/**
 * The list with the photo at `at` moved to its place in date order (newest taken first, or
 * oldest first when `oldestFirst`, then by path; photos with no date last, as the server sorts:
 * metadata-filter.ts sortByTaken), or null when some photo is not loaded (its place is unknown).
 */
export function moveByTaken(
  photos: readonly (PhotoSummary | undefined)[],
  at: number,
  oldestFirst = false,
): (PhotoSummary | undefined)[] | null {
  if (photos.includes(undefined)) return null;
  const photo = photos[at]!;
  const rest = photos.toSpliced(at, 1) as PhotoSummary[];
  const sign = oldestFirst ? -1 : 1;
  // < 0: `photo` goes before `p`. Undated (no takenMs) after every dated photo.
  const compare = (p: PhotoSummary): number => {
    const [mine, theirs] = [photo.takenMs, p.takenMs];
    if (mine === undefined || theirs === undefined) {
      const undated = Number(mine === undefined) - Number(theirs === undefined);
      if (undated) return undated;
    } else if (mine !== theirs) return sign * (theirs - mine);
    return photo.path.localeCompare(p.path);
  };
  let to = rest.findIndex((p) => compare(p) < 0);
  if (to < 0) to = rest.length;
  return rest.toSpliced(to, 0, photo);
}
