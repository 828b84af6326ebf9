/** Content identity: which of some photos (by stored sha256) a file on disk is. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { PhotoRecord } from '../store/catalogue-schema.js';

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The candidate whose hash is the file's, or undefined (also when the file cannot be read). */
export async function sameContent(
  file: string,
  candidates: readonly PhotoRecord[],
): Promise<PhotoRecord | undefined> {
  if (!candidates.some((c) => c.hash)) return undefined;
  const hash = await hashFile(file).catch(() => null);
  return hash ? candidates.find((c) => c.hash === hash) : undefined;
}
