/** HEIC files for tests, made by Debian's heif-enc (libheif-examples: libheif with x265). */
import { execFile } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

/**
 * A phone-like HEIC (HEVC) of a picture: a coloured disc on a background, `width` × `height`.
 * Fails loudly when heif-enc is missing (.ci/run installs libheif-examples).
 */
export async function writeHeic(
  file: string,
  options: { width: number; height: number; background: [number, number, number] },
): Promise<string> {
  const [r, g, b] = options.background;
  const { width, height } = options;
  const disc = Buffer.from(
    `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 3}" fill="rgb(20,40,220)"/></svg>`,
  );
  const jpeg = `${file}.source.jpg`;
  await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .composite([{ input: disc }])
    .jpeg({ quality: 95 })
    .toFile(jpeg);
  await run('heif-enc', ['-q', '80', '-o', file, jpeg]);
  return file;
}

/**
 * Makes a HEIC a Samsung-style motion photo: a top-level `mpvd` box holding the video appended
 * after the HEIF boxes (the still stays the primary image).
 */
export async function appendMotionVideo(file: string, video: Buffer): Promise<void> {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(video.length + 8, 0);
  header.write('mpvd', 4, 'latin1');
  await appendFile(file, Buffer.concat([header, video]));
}
