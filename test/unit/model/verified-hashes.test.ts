import { createHash } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSha256 } from '../../../src-main/engine/model/verified-hashes.js';
import { tempDir } from '../../helpers/temp.js';

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

describe('pack-file hashes remembered by size and mtime', () => {
  it('hashes once, trusts the memory while the file is unchanged, re-hashes when it changes', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'model.onnx');
    const cache = path.join(dir, 'cache', 'pack-hashes.json');
    await writeFile(file, 'weights');
    expect(await fileSha256(file, cache)).toBe(sha256('weights'));
    const memory = JSON.parse(await readFile(cache, 'utf8'));
    expect(memory[file]).toMatchObject({ size: 7, sha256: sha256('weights') });
    // A remembered hash is used as is: plant another one to see that the file is not read.
    memory[file].sha256 = 'a'.repeat(64);
    await writeFile(cache, JSON.stringify(memory));
    expect(await fileSha256(file, cache)).toBe('a'.repeat(64));
    await appendFile(file, '!');
    expect(await fileSha256(file, cache)).toBe(sha256('weights!'));
    expect(await fileSha256(file)).toBe(sha256('weights!'));
  });

  it('hashes everything again when the memory is unreadable', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'words.awt');
    const cache = path.join(dir, 'pack-hashes.json');
    await writeFile(file, 'words');
    await writeFile(cache, '{not json');
    expect(await fileSha256(file, cache)).toBe(sha256('words'));
  });
});
