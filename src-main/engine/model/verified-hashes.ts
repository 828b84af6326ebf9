/**
 * sha256 of pack files, remembered between runs: a pack's files (a 21 MB model, a 71 MB word
 * table) are hashed once, and later loads trust the remembered hash while the file's size,
 * mtime and inode are unchanged. The memory is a small JSON file in the data folder
 * ({ [absolute path]: { size, mtimeMs, ino, sha256 } }), written atomically; an unreadable one
 * is ignored (everything is hashed again), and a failed write only costs the next run a hash.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256File, sha256FileSync } from '../store/file-hash.js';

interface Remembered {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

function parseMemory(text: string): Record<string, Remembered> {
  const parsed: unknown = JSON.parse(text);
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, Remembered>) : {};
}

async function readMemory(cacheFile: string): Promise<Record<string, Remembered>> {
  try {
    return parseMemory(await readFile(cacheFile, 'utf8'));
  } catch {
    return {};
  }
}

function readMemorySync(cacheFile: string): Record<string, Remembered> {
  try {
    return parseMemory(readFileSync(cacheFile, 'utf8'));
  } catch {
    return {};
  }
}

/** The remembered hash of a file as `info` describes it now, if it is unchanged since. */
function remembered(
  memory: Record<string, Remembered>,
  absolute: string,
  info: Stats,
): string | undefined {
  const known = memory[absolute];
  const same =
    known &&
    known.size === info.size &&
    known.mtimeMs === info.mtimeMs &&
    known.ino === info.ino &&
    /^[0-9a-f]{64}$/.test(known.sha256);
  return same ? known.sha256 : undefined;
}

function entry(info: Stats, sha256: string): Remembered {
  return { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, sha256 };
}

/**
 * fileSha256 on the calling thread, synchronously: for a file checked when it is first read
 * by synchronous code (a pack's word table, model/pack.ts).
 */
export function fileSha256Sync(file: string, cacheFile?: string): string {
  if (!cacheFile) return sha256FileSync(file);
  const absolute = path.resolve(file);
  const info = statSync(absolute);
  const known = remembered(readMemorySync(cacheFile), absolute, info);
  if (known) return known;
  const sha256 = sha256FileSync(absolute);
  const after = statSync(absolute);
  if (after.size !== info.size || after.mtimeMs !== info.mtimeMs) return sha256; // changing now
  const fresh = readMemorySync(cacheFile);
  fresh[absolute] = entry(info, sha256);
  const temp = `${cacheFile}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    writeFileSync(temp, JSON.stringify(fresh));
    renameSync(temp, cacheFile);
  } catch {
    // Remembering is an optimisation: the next load hashes the file again.
  }
  return sha256;
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
  const known = remembered(await readMemory(cacheFile), absolute, info);
  if (known) return known;
  const sha256 = await sha256File(absolute);
  const after = await stat(absolute);
  if (after.size !== info.size || after.mtimeMs !== info.mtimeMs) return sha256; // changing now
  const fresh = await readMemory(cacheFile); // another thread may have added files meanwhile
  fresh[absolute] = entry(info, sha256);
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
