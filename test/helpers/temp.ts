/** Temporary folders that clean themselves up after each test file. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll } from 'vitest';

export async function tempDir(prefix = 'anytag-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A solid-colour PNG (or JPEG) image file of the given size. */
export async function solidImage(
  file: string,
  rgb: [number, number, number],
  options: { width?: number; height?: number; format?: 'png' | 'jpeg' } = {},
): Promise<string> {
  const [r, g, b] = rgb;
  const image = sharp({
    create: {
      width: options.width ?? 8,
      height: options.height ?? 8,
      channels: 3,
      background: { r, g, b },
    },
  });
  await (options.format === 'jpeg' ? image.jpeg({ quality: 100 }) : image.png()).toFile(file);
  return file;
}
