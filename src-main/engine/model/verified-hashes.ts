/**
 * sha256 of pack files, remembered between runs: a pack's files (a 21 MB model, a 71 MB word
 * table) are hashed once, and later loads trust the remembered hash while the file's size,
 * mtime and inode are unchanged. The memory is a small JSON file in the data folder
 * ({ [absolute path]: { size, mtimeMs, ino, sha256 } }), written atomically; an unreadable one
 * is ignored (everything is hashed again), and a failed write only costs the next run a hash.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from '../store/file-hash.js';

interface Remembered {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

async function readMemory(cacheFile: string): Promise<Record<string, Remembered>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(cacheFile, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, Remembered>) : {};
  } catch {
    return {};
  }
}

/**
 * The sha256 of `file`: remembered in `cacheFile` when the file is unchanged since, else
 * computed (and remembered). Without `cacheFile` it is always computed. Errors reading `file`
 * (ENOENT…) propagate.
 */
export async function fileSha256(file: string, cacheFile?: string): Promise<string> {
  if (!cacheFile) return sha256File(file);
  const absolute = path.resolve(file);
  const info = await stat(absolute);
  const memory = await readMemory(cacheFile);
  const known = memory[absolute];
  if (
    known &&
    known.size === info.size &&
    known.mtimeMs === info.mtimeMs &&
    known.ino === info.ino &&
    /^[0-9a-f]{64}$/.test(known.sha256)
  ) {
    return known.sha256;
  }
  const sha256 = await sha256File(absolute);
  const after = await stat(absolute);
  if (after.size !== info.size || after.mtimeMs !== info.mtimeMs) return sha256; // changing now
  const fresh = await readMemory(cacheFile); // another thread may have added files meanwhile
  fresh[absolute] = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, sha256 };
  const temp = `${cacheFile}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(temp, JSON.stringify(fresh));
    await rename(temp, cacheFile);
  } catch {
    // Remembering is an optimisation: the next load hashes the file again.
  }
  return sha256;
}
