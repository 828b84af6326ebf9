/**
 * A generated corpus of hostile and unusual images, indexed in one run: every bad file is
 * recorded with its reason, the good ones are indexed, nothing stops the run, and a bad file
 * that changes is retried.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine.js';
import { openTinyEngine, tinyLibrary } from '../../helpers/engine-fixture.js';

/** A PNG that claims width × height but holds a few bytes: a decompression bomb's header. */
function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const noise = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp(Buffer.from(Array.from({ length: width * height * channels }, (_, i) => (i * 97) % 256)), {
    raw: { width, height, channels },
  });

const asRoot = process.getuid?.() === 0;

describe('a corpus of hostile images', () => {
  let photos: string;
  let engine: Engine;
  const cases: Record<string, { make: (file: string) => Promise<unknown>; expect: RegExp }> = {
    'good.jpg': { make: (f) => noise(64, 48).jpeg().toFile(f), expect: /^indexed$/ },
    'png-named.jpg': { make: (f) => noise(32, 32).png().toFile(f), expect: /^indexed$/ },
    'alpha-16bit.png': {
      make: (f) => noise(40, 30, 4).toColourspace('rgb16').png().toFile(f),
      expect: /^indexed$/,
    },
    'cmyk.jpg': {
      make: (f) => noise(40, 30).toColourspace('cmyk').jpeg().toFile(f),
      expect: /^indexed$/,
    },
    'rotated-exif.jpg': {
      make: (f) => noise(60, 20).jpeg().withMetadata({ orientation: 6 }).toFile(f),
      expect: /^indexed$/,
    },
    'tiny-1x1.png': { make: (f) => noise(1, 1).png().toFile(f), expect: /^indexed$/ },
    'strip-1x20000.png': { make: (f) => noise(1, 20000).png().toFile(f), expect: /^indexed$/ },
    'animated.gif': {
      make: (f) =>
        sharp(Buffer.alloc(16 * 16 * 3 * 3, 120), {
          raw: { width: 16, height: 48, channels: 3 },
        })
          .gif()
          .toFile(f),
      expect: /^indexed$/,
    },
    'photo.webp': { make: (f) => noise(50, 40).webp().toFile(f), expect: /^indexed$/ },
    'photo.avif': { make: (f) => noise(50, 40).avif().toFile(f), expect: /^indexed$/ },
    'photo.tiff': { make: (f) => noise(50, 40).tiff().toFile(f), expect: /^indexed$/ },
    'av1-in.heic': {
      make: (f) => noise(50, 40).heif({ compression: 'av1' }).toFile(f),
      expect: /^indexed$/,
    },
    'empty.jpg': { make: (f) => writeFile(f, ''), expect: /^error IMAGE_UNREADABLE .*empty/ },
    'text.jpg': {
      make: (f) => writeFile(f, 'this is not a photo\n'),
      expect: /^error IMAGE_UNSUPPORTED/,
    },
    'truncated.jpg': {
      make: async (f) => {
        const full = await noise(256, 256).jpeg({ quality: 95 }).toBuffer();
        await writeFile(f, full.subarray(0, Math.floor(full.length / 2)));
      },
      // Damaged but shown by a lenient decode: indexed, with the decoder's reason as a note.
      expect: /^indexed damaged: .*premature end of JPEG/,
    },
    'IMG_0001.CR2': {
      make: (f) => writeFile(f, 'raw'),
      // A RAW is read through its embedded preview; this one has none to read.
      expect: /^error IMAGE_(UNSUPPORTED|UNREADABLE) IMG_0001.CR2: .*(exiftool|preview)/,
    },
    'bomb.png': {
      make: (f) => writeFile(f, bombPng(60_000, 60_000)),
      expect: /^error IMAGE_TOO_LARGE/,
    },
    'header-only.png': {
      make: async (f) => writeFile(f, bombPng(64, 64).subarray(0, 40)),
      expect: /^error IMAGE_UNREADABLE/,
    },
    'locked.jpg': {
      make: async (f) => {
        await noise(20, 20).jpeg().toFile(f);
        await chmod(f, 0o000);
      },
      // root reads any file, so there the file is simply indexed.
      expect: asRoot ? /^indexed$/ : /^error IO .*EACCES/,
    },
  };

  beforeAll(async () => {
    const lib = await tinyLibrary();
    photos = lib.photos;
    for (const [name, { make }] of Object.entries(cases)) await make(path.join(photos, name));
    await writeFile(path.join(photos, 'layers.psd'), 'psd');
    await writeFile(path.join(photos, 'IMG_0001.xmp'), '<x/>');
    ({ engine } = await openTinyEngine(lib, { thumbnails: true }));
  });
  afterAll(() => engine?.close());

  it('records every bad file with its reason and indexes the rest', async () => {
    const result = await engine.indexPaths([photos]);
    const table: Record<string, string> = {};
    for (const name of Object.keys(cases)) {
      const photo = engine.catalogue.photoByPath(path.join(photos, name));
      table[name] = photo?.error
        ? `${photo.state} ${photo.error.code} ${photo.error.message.replace(photos + path.sep, '')}`
        : photo?.damaged
          ? `${photo.state} damaged: ${photo.damaged}`
          : (photo?.state ?? 'missing');
    }
    console.log(JSON.stringify(table, null, 2));
    for (const [name, { expect: pattern }] of Object.entries(cases)) {
      expect(table[name], name).toMatch(pattern);
    }
    const bad = Object.values(cases).filter((c) => c.expect.source.startsWith('^error')).length;
    expect(result).toMatchObject({ total: Object.keys(cases).length, failed: bad });
    expect(engine.catalogue.photoByPath(path.join(photos, 'layers.psd'))).toBeUndefined();
    const raw = await (await import('../../../src-main/engine/library/scan.js')).scanFolder(photos);
    expect(raw.skipped).toEqual([
      { path: path.join(photos, 'layers.psd'), reason: expect.stringMatching(/Photoshop/) },
    ]);
  });

  it('retries a bad file once it changes, and only then', async () => {
    const again = await engine.indexPaths([photos]);
    expect(again.indexed).toBe(0);
    const empty = path.join(photos, 'empty.jpg');
    await writeFile(empty, await readFile(path.join(photos, 'good.jpg')));
    const fixed = await engine.indexPaths([photos]);
    expect(fixed).toMatchObject({ indexed: 1 });
    expect(engine.catalogue.photoByPath(empty)).toMatchObject({ state: 'indexed' });
  });
});
