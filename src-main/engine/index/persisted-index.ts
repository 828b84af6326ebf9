/**
 * The search index on disk, beside the embedding file it was built from (`<store>.aem.index`),
 * in the layout the kernel scans: opening a library reads it straight into the index's memory
 * instead of decoding and quantising every stored matrix again (4.4 s at 100k photos before).
 *
 * File: "ASX1" · u32 header length · header JSON · the photo ids ("\n"-separated, UTF-8) · the
 * index's chunks byte for byte (search-index.ts chunkBytes), starting at a 4096-byte boundary.
 * The header records k, d, the photo count, the chunk size, and the embedding file's size and
 * mtime when it was written.
 *
 * It is used only when it still describes the library exactly: same k, d and chunk size, the
 * embedding file unchanged since (any put rewrites it; a compaction makes another file), and
 * the catalogue naming exactly the same photos. Anything else, or any read error, gives null and
 * the caller rebuilds from the embedding file. Written atomically (temp file + rename).
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import { SearchIndex } from './search-index.js';

const MAGIC = 'ASX1';
const ALIGN = 4096;
/** Read and write in pieces well under the 2 GB limit of one read. */
const PIECE = 64 << 20;

interface Header {
  format: 1;
  k: number;
  d: number;
  count: number;
  bytesPerChunk: number;
  idsAt: number;
  idsBytes: number;
  dataAt: number;
  dataBytes: number;
  store: { size: number; mtimeMs: number };
}

/** Where the index of an embedding file is kept. */
export function indexFileFor(storeFile: string): string {
  return `${storeFile}.index`;
}

/** Writes `index` as the snapshot of `storeFile` in its current state (call with no put pending). */
export async function saveSearchIndex(index: SearchIndex, storeFile: string): Promise<void> {
  const file = indexFileFor(storeFile);
  const info = await stat(storeFile);
  const ids = Buffer.from(index.ids.join('\n'), 'utf8');
  const data = index.chunkBytes();
  const draft: Header = {
    format: 1,
    k: index.k,
    d: index.d,
    count: index.size,
    bytesPerChunk: index.bytesPerChunk,
    idsAt: 0,
    idsBytes: ids.length,
    dataAt: 0,
    dataBytes: data.length,
    store: { size: info.size, mtimeMs: info.mtimeMs },
  };
  // Header length depends on the offsets it holds: size it with generous placeholders first.
  const headerRoom = Buffer.byteLength(JSON.stringify({ ...draft, idsAt: 1e15, dataAt: 1e15 }));
  const idsAt = 8 + headerRoom;
  const header: Header = {
    ...draft,
    idsAt,
    dataAt: Math.ceil((idsAt + ids.length) / ALIGN) * ALIGN,
  };
  const head = Buffer.alloc(idsAt, 0x20); // the header JSON, padded with spaces
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(headerRoom, 4);
  head.write(JSON.stringify(header), 8, 'utf8');
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, 'w');
  try {
    await handle.write(head, 0, head.length, 0);
    await handle.write(ids, 0, ids.length, idsAt);
    for (let at = 0; at < data.length; at += PIECE) {
      const piece = data.subarray(at, Math.min(at + PIECE, data.length));
      await handle.write(piece, 0, piece.length, header.dataAt + at);
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
}

/**
 * The index saved for `storeFile`, if it still describes it and exactly the photos `expected`
 * (ids); otherwise null.
 */
export async function loadSearchIndex(
  storeFile: string,
  k: number,
  d: number,
  expected: ReadonlySet<string>,
): Promise<SearchIndex | null> {
  let handle;
  try {
    handle = await open(indexFileFor(storeFile), 'r');
  } catch {
    return null;
  }
  const index = new SearchIndex(k, d);
  try {
    const header = await readHeader(handle);
    const info = await stat(storeFile);
    const fits =
      header !== null &&
      header.k === k &&
      header.d === d &&
      header.count === expected.size &&
      header.bytesPerChunk === index.bytesPerChunk &&
      header.store.size === info.size &&
      header.store.mtimeMs === info.mtimeMs;
    if (!fits) throw new Error('stale');
    const idBytes = Buffer.alloc(header.idsBytes);
    await readFully(handle, idBytes, header.idsAt);
    const ids = header.count === 0 ? [] : idBytes.toString('utf8').split('\n');
    const same =
      ids.length === expected.size &&
      ids.every((id) => expected.has(id)) &&
      new Set(ids).size === ids.length;
    if (!same) throw new Error('other photos');
    let filled: Promise<void> = Promise.resolve();
    index.restore(ids, (chunks) => {
      if (chunks.length !== header.dataBytes) throw new Error('snapshot size differs');
      filled = readFully(handle, chunks, header.dataAt);
    });
    await filled;
    return index;
  } catch {
    await index.close();
    return null;
  } finally {
    await handle.close();
  }
}

async function readHeader(handle: Awaited<ReturnType<typeof open>>): Promise<Header | null> {
  const start = Buffer.alloc(8);
  await readFully(handle, start, 0);
  if (start.toString('latin1', 0, 4) !== MAGIC) return null;
  const text = Buffer.alloc(start.readUInt32LE(4));
  await readFully(handle, text, 8);
  const header = JSON.parse(text.toString('utf8')) as Header;
  return header.format === 1 ? header : null;
}

async function readFully(
  handle: Awaited<ReturnType<typeof open>>,
  into: Uint8Array,
  position: number,
): Promise<void> {
  for (let at = 0; at < into.length;) {
    const length = Math.min(PIECE, into.length - at);
    const { bytesRead } = await handle.read(into, at, length, position + at);
    if (bytesRead === 0) throw new Error('the index file ended early');
    at += bytesRead;
  }
}
