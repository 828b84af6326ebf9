/** Content identity: which of some photos (by stored sha256) a file on disk is. */
import type { PhotoRecord } from '../store/catalogue-schema.js';
import { sha256File } from '../store/file-hash.js';

/** The candidate whose hash is the file's, or undefined (also when the file cannot be read). */
export async function sameContent<P extends PhotoRecord>(
  file: string,
  candidates: readonly P[],
): Promise<P | undefined> {
  if (!candidates.some((c) => c.hash)) return undefined;
  const hash = await sha256File(file).catch(() => null);
  return hash ? candidates.find((c) => c.hash === hash) : undefined;
}
