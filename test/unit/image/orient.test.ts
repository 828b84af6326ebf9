/**
 * A RAW's orientation applied to its preview (decode.ts `orient`) must turn pixels exactly as
 * sharp's own EXIF auto-orientation does, for all 8 EXIF values.
 */
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { orient } from '../../../src-main/engine/image/decode.js';

it('orient(n) matches EXIF auto-orientation for orientations 1–8', async () => {
  // An asymmetric 6×3 picture: every pixel differs, so any wrong turn or mirror shows.
  const width = 6;
  const height = 3;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++)
    pixels.set([i * 13, 255 - i * 11, (i * 37) % 256], i * 3);
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  for (let n = 1; n <= 8; n++) {
    const tagged = await sharp(png).withMetadata({ orientation: n }).png().toBuffer();
    const expected = await sharp(tagged).rotate().raw().toBuffer({ resolveWithObject: true });
    const actual = await orient(sharp(png), n).raw().toBuffer({ resolveWithObject: true });
    expect(actual.info, `orientation ${n}`).toMatchObject({
      width: expected.info.width,
      height: expected.info.height,
    });
    expect(actual.data.equals(expected.data), `orientation ${n}`).toBe(true);
  }
});
