/**
 * A photo that cannot be read says why in words (issue: plain-sentence errors): "it does not
 * exist", not the system's "ENOENT". The code stays IO and the errno stays in `details`.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toImageError } from '../../../src-main/engine/image/decode.js';
import { tempDir } from '../../helpers/temp.js';

async function readError(file: string): Promise<unknown> {
  try {
    await readFile(file);
  } catch (error) {
    return error;
  }
  throw new Error(`${file} was read`);
}

describe('toImageError on a file the system cannot read', () => {
  it('says a missing file does not exist, with the errno in details', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'gone.jpg');
    const error = toImageError(await readError(file), file);
    expect(error.code).toBe('IO');
    expect(error.message).toBe(`Cannot read ${file}: it does not exist`);
    expect(error.details).toEqual({ file, errno: 'ENOENT' });
  });

  it('says a folder is a folder', async () => {
    const dir = await tempDir();
    const folder = path.join(dir, 'album.jpg');
    await mkdir(folder);
    const error = toImageError(await readError(folder), folder);
    expect(error.code).toBe('IO');
    expect(error.message).toBe(`Cannot read ${folder}: it is a folder, not a file`);
    expect(error.message).not.toMatch(/E[A-Z]{3,}/);
  });
});
