import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256File } from '../../../src-main/engine/store/file-hash.js';
import { contentHash } from '../../../src-main/engine/workers/index-pipeline.js';
import { tempDir } from '../../helpers/temp.js';

describe('contentHash (WebCrypto, off the indexing thread)', () => {
  it("gives the same id as the store's sha256File, so a photo keeps one identity", async () => {
    const file = path.join(await tempDir(), 'photo.bin');
    const bytes = randomBytes(3 * 2 ** 20 + 7);
    await writeFile(file, bytes);
    expect(await contentHash(bytes)).toBe(await sha256File(file));
    expect(await contentHash(new Uint8Array())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
