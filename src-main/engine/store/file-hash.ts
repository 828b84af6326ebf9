/** A file's content identity: the one file-hashing function (photos, packs, checkpoints). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of the file's bytes, as lowercase hex; streams, so any size. Rejects as fs does. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
