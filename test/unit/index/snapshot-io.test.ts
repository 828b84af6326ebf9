import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cutPieces, readPieces, writePieces } from '../../../src-main/engine/index/snapshot-io.js';
import { tempDir } from '../../helpers/temp.js';

/** A shared buffer of `bytes` pseudo-random bytes after `offset` zero bytes. */
function sharedBytes(offset: number, bytes: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(offset + bytes);
  const view = new Uint8Array(buffer, offset);
  let x = 12345;
  for (let i = 0; i < bytes; i++) view[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return buffer;
}

describe('snapshot pieces on worker threads', () => {
  it('cuts a region into pieces, the last one shorter', () => {
    expect(cutPieces(4096, 64, 10, 4)).toEqual([
      { at: 4096, offset: 64, bytes: 4 },
      { at: 4100, offset: 68, bytes: 4 },
      { at: 4104, offset: 72, bytes: 2 },
    ]);
    expect(cutPieces(0, 0, 0, 4)).toEqual([]);
    expect(() => cutPieces(0, 0, 10, 0)).toThrow(RangeError);
  });

  it('writes and reads pieces in place with the CRC-32 of each', async () => {
    const file = path.join(await tempDir(), 'snapshot');
    const [offset, bytes, piece, at] = [128, 1_000_003, 65_536, 512];
    const source = sharedBytes(offset, bytes);
    await writeFile(file, Buffer.alloc(at + bytes));
    const pieces = cutPieces(at, offset, bytes, piece);
    const expected = pieces.map((p) => crc32(new Uint8Array(source, p.offset, p.bytes)));
    expect(await writePieces(file, source, pieces)).toEqual(expected);

    const target = new SharedArrayBuffer(offset + bytes);
    expect(await readPieces(file, target, pieces)).toEqual(expected);
    expect(Buffer.from(target).equals(Buffer.from(source))).toBe(true);
  });

  it('rejects a file shorter than its pieces, and stops when aborted', async () => {
    const file = path.join(await tempDir(), 'short');
    await writeFile(file, Buffer.alloc(1000));
    const target = new SharedArrayBuffer(4096);
    await expect(readPieces(file, target, cutPieces(0, 0, 2000, 512))).rejects.toThrow(/ended/);
    const stop = new AbortController();
    const reading = readPieces(file, target, cutPieces(0, 0, 1000, 100), stop.signal);
    stop.abort();
    await expect(reading).rejects.toThrow();
  });
});
