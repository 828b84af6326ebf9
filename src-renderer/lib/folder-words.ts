/** Words for a library folder's state: what a folder row says, honestly, in each case. */
import type { FolderInfo } from '../../src-main/engine/api/contract.js';

/** "1 photo", "2,345 photos". */
export function photoCount(n: number): string {
  return `${n.toLocaleString('en')} ${n === 1 ? 'photo' : 'photos'}`;
}

/**
 * The row's counts: an offline folder keeps its photos (not "0 of 400 indexed"); an online one
 * says how far indexing is and how many files could not be read (unless `unreadable` is false:
 * the Folders page says that part as a link to them).
 */
export function describeFolderCounts(folder: FolderInfo, { unreadable = true } = {}): string {
  const { total, indexed, pending, failed, offline } = folder.photos;
  if (!folder.online) {
    return `Offline: ${photoCount(offline || total)} kept with their tags; they come back when the folder is reachable again`;
  }
  const parts = [
    pending === 0 && failed === 0
      ? `${photoCount(total)}, all indexed`
      : `${indexed.toLocaleString('en')} of ${photoCount(total)} indexed`,
  ];
  if (failed > 0 && unreadable) parts.push(`${failed.toLocaleString('en')} unreadable`);
  return parts.join(', ');
}
