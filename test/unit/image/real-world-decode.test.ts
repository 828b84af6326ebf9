/**
 * The one decode path on real-world files (issue 14, ../shared/cases): phone HEIC (HEVC), camera
 * RAW through its embedded preview, TIFF variants a decoder cannot read, damaged files, big
 * photos and panoramas, and the file extensions browsers and cameras use.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, MAX_INPUT_PIXELS } from '../../../src-main/engine/image/decode.js';
import { endExiftool } from '../../../src-main/engine/image/exiftool.js';
import { isPhotoFile, photoFormatOf } from '../../../src-main/engine/image/formats.js';
import { writeDng } from '../../helpers/dng.js';
import { appendMotionVideo, writeHeic } from '../../helpers/heif.js';
import { SHARED } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';
import { plainInputSpec } from '../../helpers/tiny-pack.js';

const CASES = path.join(SHARED, 'cases', 'files');
const spec = plainInputSpec('x', 32);

async function outcome(file: string): Promise<string> {
  try {
    const { damaged, model } = await decodeImage(await readFile(file), spec, { file, label: file });
    return damaged ? `damaged: ${damaged}` : `ok ${model.sourceWidth}x${model.sourceHeight}`;
  } catch (error) {
    const e = error as { code: string; message: string };
    return `${e.code} ${e.message.replace(`${file}`, '<file>')}`;
  }
}

/** Mean RGB of the model input: the colour a decoded photo shows. */
function meanColour(rgb: Buffer): number[] {
  const sum = [0, 0, 0];
  for (let i = 0; i < rgb.length; i++) sum[i % 3]! += rgb[i]!;
  return sum.map((s) => Math.round(s / (rgb.length / 3)));
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => endExiftool());

describe('phone HEIC (HEVC in HEIF)', () => {
  it('decodes through libheif into the same pipeline, motion photos by their still', async () => {
    const file = await writeHeic(path.join(dir, 'IMG_0001.HEIC'), {
      width: 640,
      height: 480,
      background: [230, 120, 30],
    });
    const { model, thumbnail } = await decodeImage(await readFile(file), spec, {
      file,
      thumbSize: 64,
    });
    expect(model).toMatchObject({ sourceWidth: 640, sourceHeight: 480, format: 'heif' });
    const [r, , b] = meanColour(model.rgb);
    expect(r).toBeGreaterThan(120); // orange background around a blue disc
    expect(b).toBeGreaterThan(60);
    expect((await sharp(thumbnail!).metadata()).width).toBe(64);

    await appendMotionVideo(file, Buffer.alloc(4096, 7));
    const motion = await decodeImage(await readFile(file), spec, { file });
    expect(motion.model.rgb.equals(model.rgb)).toBe(true);
  });
});

describe('camera RAW through its embedded preview', () => {
  const thumb = { rgb: Buffer.alloc(160 * 120 * 3, 90), width: 160, height: 120 };

  it('reads a DNG preview with the RAW orientation', async () => {
    const jpeg = await sharp({
      create: { width: 1600, height: 1000, channels: 3, background: { r: 10, g: 200, b: 30 } },
    })
      .jpeg()
      .toBuffer();
    const file = path.join(dir, 'DSC_0001.DNG');
    await writeDng(file, { preview: { jpeg, width: 1600, height: 1000 }, orientation: 6, thumb });
    const { model } = await decodeImage(await readFile(file), spec, { file });
    expect(model).toMatchObject({ sourceWidth: 1000, sourceHeight: 1600, format: 'dng' });
    const [r, g] = meanColour(model.rgb);
    expect(g).toBeGreaterThan(150);
    expect(r).toBeLessThan(60);
  });

  it('refuses a RAW with no usable preview, saying so', async () => {
    const none = path.join(dir, 'no-preview.dng');
    await writeDng(none, { thumb });
    expect(await outcome(none)).toMatch(/^IMAGE_UNSUPPORTED .*no embedded preview/);
    const small = path.join(dir, 'small-preview.dng');
    const jpeg = await sharp({
      create: { width: 320, height: 240, channels: 3, background: '#888' },
    })
      .jpeg()
      .toBuffer();
    await writeDng(small, { preview: { jpeg, width: 320, height: 240 }, thumb });
    expect(await outcome(small)).toMatch(/^IMAGE_UNSUPPORTED .*no usable preview.*320×240/);
  });
});

describe('../shared/cases/files', () => {
  it('tiff-variants: decoder limits are IMAGE_UNSUPPORTED with the reason, never "corrupt"', async () => {
    const folder = path.join(CASES, 'tiff-variants');
    const table: Record<string, string> = {};
    for (const name of (await readdir(folder)).sort()) {
      table[name] = await outcome(path.join(folder, name));
    }
    expect(table).toEqual({
      '12bit.cropped.tif': expect.stringMatching(/^IMAGE_UNSUPPORTED .*12-bit/),
      'hopper_lzma.tif': expect.stringMatching(/^IMAGE_UNSUPPORTED .*LZMA compression/),
      'lab.tif': expect.stringMatching(/^IMAGE_UNSUPPORTED .*CIELAB/),
      'old-style-jpeg-compression.tif': expect.stringMatching(
        /^IMAGE_UNSUPPORTED .*Old-style JPEG compression/,
      ),
      'tiff_tiled_planar_raw.tif': expect.stringMatching(
        /^IMAGE_UNSUPPORTED .*separate colour planes/,
      ),
    });
    for (const text of Object.values(table)) expect(text).not.toMatch(/corrupt|Unknown error/i);
  });

  it('mixed-errors: decoded together, each file gets its own reason, the same as alone', async () => {
    const folder = path.join(CASES, 'mixed-errors');
    const files = (await readdir(folder)).sort().map((name) => path.join(folder, name));
    const alone: string[] = [];
    for (const file of files) alone.push(await outcome(file));
    for (let run = 0; run < 3; run++) {
      const together = await Promise.all([...files, ...files].map((file) => outcome(file)));
      expect(together).toEqual([...alone, ...alone]);
    }
    // Damaged but shown leniently: each is decoded, with its own decoder's reason as the note.
    expect(Object.fromEntries(files.map((f, i) => [path.basename(f), alone[i]]))).toEqual({
      'crash-0c7e0e8e11ce787078f00b5b0ca409a167f070e0.tif': expect.stringMatching(
        /^damaged: source: bad seek to 3309/,
      ),
      'crash-0e16d3bfb83be87356d026d66919deaefca44dac.tif': expect.stringMatching(
        /^damaged: VipsIcc: not an ICC profile/,
      ),
      'truncated.jpg': 'damaged: VipsJpeg: premature end of JPEG image',
      'truncated.png': 'damaged: vipspng: libpng read error',
      'truncated_image.png': 'damaged: vipspng: libpng read error',
    });
  });

  it('extensions: .MPO, .JFIF, .jpe and .Jpg are photos of the one table, and decode', async () => {
    const folder = path.join(CASES, 'extensions');
    for (const name of await readdir(folder)) {
      expect(isPhotoFile(name), name).toBe(true);
      expect(photoFormatOf(name)).toMatchObject({ mediaType: 'image/jpeg', browserShows: true });
      expect(await outcome(path.join(folder, name)), name).toMatch(/^ok \d+x\d+$/);
    }
  });
});

describe('big photos', () => {
  it('decodes a 100-megapixel camera photo and a 40000×2600 panorama; refuses bombs', async () => {
    expect(MAX_INPUT_PIXELS).toBe(1_000_000_000);
    for (const [width, height] of [
      [11648, 8736],
      [40000, 2600],
    ] as const) {
      const file = path.join(dir, `big-${width}x${height}.jpg`);
      await sharp({ create: { width, height, channels: 3, background: '#3070a0' } })
        .jpeg({ quality: 70 })
        .toFile(file);
      expect(await outcome(file)).toBe(`ok ${width}x${height}`);
    }
    // A JPEG header claiming 60000 × 60000 (3.6 gigapixels) is a bomb.
    const bomb = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    const sof = bomb.indexOf(Buffer.from([0xff, 0xc0]));
    bomb.writeUInt16BE(60000, sof + 5);
    bomb.writeUInt16BE(60000, sof + 7);
    await writeFile(path.join(dir, 'bomb.jpg'), bomb);
    expect(await outcome(path.join(dir, 'bomb.jpg'))).toMatch(/^IMAGE_TOO_LARGE /);
  }, 60_000);
});
