/**
 * The search index on disk, beside the embedding file it was built from (`<store>.aem.index`),
 * in the layout the kernel scans: opening a library reads it straight into the index's memory
 * instead of decoding and quantising every stored matrix again (4.4 s at 100k photos before).
 *
 * File: "ASX1" · u32 header length · header JSON · the photo ids ("\n"-separated, UTF-8) · each
 * photo's slot in the embedding file (u32, little-endian; 2³²−1: none) · the index's chunks
 * byte for byte (SearchIndex.snapshotRegion), starting at a 4096-byte boundary. The header
 * records k, d, the photo count, the chunk size, the embedding file's size and mtime when it was
 * written, and CRC-32s of the ids, of the slots and of every PIECE bytes of the chunks.
 *
 * It is used only when it still describes the library exactly: same k, d and chunk size, the
 * embedding file unchanged since (any put rewrites it; a compaction makes another file), the
 * catalogue naming exactly the same photos (each saved slot holds, in the catalogue, a photo of
 * the index with the saved id; as many photos; no slot twice: checked by number and one string
 * comparison a photo, no table of 1M ids), and the file whole (its exact length, every CRC).
 * Anything else, or any read error, gives null and the caller rebuilds from the embedding file.
 * Written atomically (temp file + rename).
 *
 * Loading: the chunks are read on worker threads straight into the index's memory
 * (snapshot-io.ts) while this thread reads and checks the photo ids, so a 1M-photo library
 * costs about the longer of the two, not their sum.
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { SearchIndex } from './search-index.js';
import { cutPieces, readPieces, writePieces } from './snapshot-io.js';

const MAGIC = 'ASX1';
const ALIGN = 4096;
/** Bytes per CRC-32 (and per read or write on a snapshot thread). */
const PIECE = 4 << 20;
/** Far above any real header (a CRC per 4 MiB: ~5 kB at 1M photos): a larger length is damage. */
const MAX_HEADER = 16 << 20;

interface Header {
  format: 2;
  k: number;
  d: number;
  count: number;
  bytesPerChunk: number;
  idsAt: number;
  idsBytes: number;
  idsCrc: number;
  slotsAt: number;
  slotsCrc: number;
  dataAt: number;
  dataBytes: number;
  pieceBytes: number;
  /** CRC-32 of each pieceBytes-long piece of the chunks, in order. */
  crcs: number[];
  store: { size: number; mtimeMs: number };
}

type FileHandle = Awaited<ReturnType<typeof open>>;

/** The photos a saved index must hold exactly (the caller's records). */
export interface ExpectedPhotos {
  count: number;
  /** The id of the photo whose record is in `slot`, when it is one the index should hold. */
  idOf(slot: number): string | undefined;
}

/** A saved slot meaning "none" (SearchIndex.set without a slot). */
const NO_SLOT = 0xffffffff;

/** Where the index of an embedding file is kept. */
export function indexFileFor(storeFile: string): string {
  return `${storeFile}.index`;
}

/** Writes `index` as the snapshot of `storeFile` in its current state (call with no put pending). */
export async function saveSearchIndex(index: SearchIndex, storeFile: string): Promise<void> {
  const file = indexFileFor(storeFile);
  const info = await stat(storeFile);
  const ids = Buffer.from(index.ids.join('\n'), 'utf8');
  const slots = Buffer.from(Uint32Array.from(index.slots, (slot) => slot >>> 0).buffer);
  const data = index.snapshotRegion();
  const pieceCount = Math.ceil(data.bytes / PIECE);
  const draft: Header = {
    format: 2,
    k: index.k,
    d: index.d,
    count: index.size,
    bytesPerChunk: index.bytesPerChunk,
    idsAt: 0,
    idsBytes: ids.length,
    idsCrc: crc32(ids),
    slotsAt: 0,
    slotsCrc: crc32(slots),
    dataAt: 0,
    dataBytes: data.bytes,
    pieceBytes: PIECE,
    crcs: new Array<number>(pieceCount).fill(0xffffffff),
    store: { size: info.size, mtimeMs: info.mtimeMs },
  };
  // Header length depends on the offsets and CRCs it holds: size it with the largest values.
  const far = { idsAt: 1e15, slotsAt: 1e15, dataAt: 1e15 };
  const headerRoom = Buffer.byteLength(JSON.stringify({ ...draft, ...far }));
  const idsAt = 8 + headerRoom;
  const slotsAt = idsAt + ids.length;
  const dataAt = Math.ceil((slotsAt + slots.length) / ALIGN) * ALIGN;
  const temp = `${file}.tmp-${process.pid}`;
  let handle: FileHandle | undefined = await open(temp, 'w');
  try {
    await handle.truncate(dataAt + data.bytes);
    const pieces = cutPieces(dataAt, data.offset, data.bytes, PIECE);
    const crcs = await writePieces(temp, data.buffer, pieces);
    const header: Header = { ...draft, idsAt, slotsAt, dataAt, crcs };
    const head = Buffer.alloc(idsAt, 0x20); // the header JSON, padded with spaces
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(headerRoom, 4);
    head.write(JSON.stringify(header), 8, 'utf8');
    await handle.write(head, 0, head.length, 0);
    await handle.write(ids, 0, ids.length, idsAt);
    await handle.write(slots, 0, slots.length, slotsAt);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close();
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * The index saved for `storeFile`, if it is whole and still describes it and exactly the
 * `expected` photos (the catalogue's for this pack, by slot, each id once); otherwise null.
 */
export async function loadSearchIndex(
  storeFile: string,
  k: number,
  d: number,
  expected: ExpectedPhotos,
): Promise<SearchIndex | null> {
  let handle: FileHandle;
  const file = indexFileFor(storeFile);
  try {
    handle = await open(file, 'r');
  } catch {
    return null;
  }
  const index = new SearchIndex(k, d);
  const stop = new AbortController();
  let reading: Promise<number[]> | undefined;
  try {
    const header = await readHeader(handle);
    const [info, own] = await Promise.all([stat(storeFile), handle.stat()]);
    const count = expected.count;
    const fits =
      header !== null &&
      header.k === k &&
      header.d === d &&
      header.count === count &&
      header.bytesPerChunk === index.bytesPerChunk &&
      Number.isSafeInteger(header.pieceBytes) &&
      header.pieceBytes > 0 &&
      header.store.size === info.size &&
      header.store.mtimeMs === info.mtimeMs &&
      own.size === header.dataAt + header.dataBytes; // a shorter file was cut off
    if (!fits) throw new Error('stale');
    // The chunks stream in on worker threads while this thread checks the ids.
    const target = index.reserve(count);
    if (target.bytes !== header.dataBytes) throw new Error('snapshot size differs');
    const pieces = cutPieces(header.dataAt, target.offset, target.bytes, header.pieceBytes);
    if (pieces.length !== header.crcs.length) throw new Error('damaged header');
    reading = readPieces(file, target.buffer, pieces, stop.signal);
    reading.catch(() => undefined); // awaited below; a stale id list may stop it first
    const idBytes = Buffer.alloc(header.idsBytes);
    await readFully(handle, idBytes, header.idsAt);
    const slotBytes = new Uint8Array(count * 4);
    await readFully(handle, slotBytes, header.slotsAt);
    if (crc32(idBytes) !== header.idsCrc || crc32(slotBytes) !== header.slotsCrc) {
      throw new Error('damaged ids');
    }
    const ids = count === 0 ? [] : idBytes.toString('utf8').split('\n');
    const slots = Array.from(new Uint32Array(slotBytes.buffer, 0, count));
    if (!samePhotos(ids, slots, expected)) throw new Error('other photos');
    index.adopt(ids, slots);
    const crcs = await reading;
    if (crcs.some((crc, p) => crc !== header.crcs[p])) throw new Error('damaged chunks');
    return index;
  } catch {
    stop.abort();
    await reading?.catch(() => undefined);
    await index.close();
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * True when position p of the saved index holds the photo the caller keeps in slots[p], with
 * the id ids[p], for every p, no slot twice, and as many photos as expected: then the saved
 * photos are exactly the expected ones (distinct slots are distinct photos).
 */
function samePhotos(ids: string[], slots: number[], expected: ExpectedPhotos): boolean {
  if (ids.length !== expected.count || slots.length !== ids.length) return false;
  let top = 0;
  for (let p = 0; p < ids.length; p++) {
    const slot = slots[p]!;
    // (A slot the caller has: so `seen` below is no larger than its records.)
    if (slot === NO_SLOT || expected.idOf(slot) !== ids[p]) return false;
    top = Math.max(top, slot + 1);
  }
  const seen = new Uint8Array(top);
  for (const slot of slots) {
    if (seen[slot]) return false;
    seen[slot] = 1;
  }
  return true;
}

async function readHeader(handle: FileHandle): Promise<Header | null> {
  const start = Buffer.alloc(8);
  await readFully(handle, start, 0);
  const length = start.readUInt32LE(4);
  if (start.toString('latin1', 0, 4) !== MAGIC || length > MAX_HEADER) return null;
  const text = Buffer.alloc(length);
  await readFully(handle, text, 8);
  const header = JSON.parse(text.toString('utf8')) as Header;
  return header.format === 2 && Array.isArray(header.crcs) ? header : null;
}

async function readFully(handle: FileHandle, into: Uint8Array, position: number): Promise<void> {
  for (let at = 0; at < into.length;) {
    const { bytesRead } = await handle.read(into, at, into.length - at, position + at);
    if (bytesRead === 0) throw new Error('the index file ended early');
    at += bytesRead;
  }
}
