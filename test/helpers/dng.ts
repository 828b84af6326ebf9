/**
 * Writes a minimal DNG for tests: a little-endian TIFF whose IFD0 is a small RGB thumbnail with
 * DNGVersion, Make/Model and Orientation, and (optionally) a SubIFD holding a full-size JPEG
 * preview (NewSubfileType 1, Compression 7) — how cameras and Adobe's converter store the preview
 * that exiftool lists as PreviewImage. There is no sensor data: the file stands for a RAW whose
 * only viewable picture is its embedded preview, which is what Anytag reads.
 */
import { writeFile } from 'node:fs/promises';

interface Entry {
  tag: number;
  type: 1 | 2 | 3 | 4;
  values: number[] | string;
}

const TYPE_SIZE = { 1: 1, 2: 1, 3: 2, 4: 4 } as const;

export interface DngOptions {
  /** The preview JPEG; none: a RAW with only its tiny thumbnail. */
  preview?: { jpeg: Buffer; width: number; height: number };
  /** EXIF orientation of the RAW (1–8). */
  orientation?: number;
  /** RGB thumbnail in IFD0 (tw × th × 3 bytes). */
  thumb: { rgb: Buffer; width: number; height: number };
}

export async function writeDng(file: string, options: DngOptions): Promise<void> {
  const blobs: Buffer[] = [];
  let cursor = 8;
  const place = (bytes: Buffer): number => {
    const at = cursor;
    blobs.push(bytes);
    cursor += bytes.length + (bytes.length % 2);
    if (bytes.length % 2) blobs.push(Buffer.alloc(1));
    return at;
  };
  const thumbAt = place(options.thumb.rgb);
  const previewAt = options.preview ? place(options.preview.jpeg) : 0;
  const ifd = (entries: Entry[], next: number): Buffer => {
    entries.sort((a, b) => a.tag - b.tag);
    const size = 2 + entries.length * 12 + 4;
    const at = cursor;
    const extra: Buffer[] = [];
    let extraAt = at + size;
    const head = Buffer.alloc(size);
    head.writeUInt16LE(entries.length, 0);
    entries.forEach((e, i) => {
      const raw =
        typeof e.values === 'string'
          ? Buffer.from(`${e.values}\0`, 'latin1')
          : Buffer.concat(
              e.values.map((v) => {
                const b = Buffer.alloc(TYPE_SIZE[e.type]);
                if (e.type === 3) b.writeUInt16LE(v);
                else if (e.type === 4) b.writeUInt32LE(v);
                else b.writeUInt8(v);
                return b;
              }),
            );
      const count = typeof e.values === 'string' ? raw.length : e.values.length;
      const o = 2 + i * 12;
      head.writeUInt16LE(e.tag, o);
      head.writeUInt16LE(e.type, o + 2);
      head.writeUInt32LE(count, o + 4);
      if (raw.length <= 4) raw.copy(head, o + 8);
      else {
        head.writeUInt32LE(extraAt, o + 8);
        const padded = raw.length % 2 ? Buffer.concat([raw, Buffer.alloc(1)]) : raw;
        extra.push(padded);
        extraAt += padded.length;
      }
    });
    head.writeUInt32LE(next, size - 4);
    const all = Buffer.concat([head, ...extra]);
    blobs.push(all);
    cursor += all.length;
    return all;
  };
  const { thumb, preview } = options;
  let subAt = 0;
  if (preview) {
    subAt = cursor;
    ifd(
      [
        { tag: 254, type: 4, values: [0] },
        { tag: 256, type: 4, values: [preview.width] },
        { tag: 257, type: 4, values: [preview.height] },
        { tag: 258, type: 3, values: [8, 8, 8] },
        { tag: 259, type: 3, values: [7] },
        { tag: 262, type: 3, values: [6] },
        { tag: 273, type: 4, values: [previewAt] },
        { tag: 277, type: 3, values: [3] },
        { tag: 278, type: 4, values: [preview.height] },
        { tag: 279, type: 4, values: [preview.jpeg.length] },
      ],
      0,
    );
    // NewSubfileType 1 (a reduced-resolution copy) marks it as the preview.
    blobs[blobs.length - 1]!.writeUInt32LE(1, 2 + 8);
  }
  const ifd0At = cursor;
  ifd(
    [
      { tag: 254, type: 4, values: [1] },
      { tag: 256, type: 4, values: [thumb.width] },
      { tag: 257, type: 4, values: [thumb.height] },
      { tag: 258, type: 3, values: [8, 8, 8] },
      { tag: 259, type: 3, values: [1] },
      { tag: 262, type: 3, values: [2] },
      { tag: 271, type: 2, values: 'Anytag' },
      { tag: 272, type: 2, values: 'Test Camera' },
      { tag: 273, type: 4, values: [thumbAt] },
      { tag: 274, type: 3, values: [options.orientation ?? 1] },
      { tag: 277, type: 3, values: [3] },
      { tag: 278, type: 4, values: [thumb.height] },
      { tag: 279, type: 4, values: [thumb.rgb.length] },
      ...(preview ? [{ tag: 330, type: 4 as const, values: [subAt] }] : []),
      { tag: 50706, type: 1, values: [1, 4, 0, 0] },
      { tag: 50708, type: 2, values: 'Anytag Test Camera' },
    ],
    0,
  );
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(ifd0At, 4);
  await writeFile(file, Buffer.concat([header, ...blobs]));
}
