import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installWorkDir } from '../../../src-main/engine/model/pack-install.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

describe('installing a finished pack folder', () => {
  it('moves a valid pack into place and loads it from there', async () => {
    const root = await tempDir();
    const work = await writeTinyPack(path.join(root, 'work'));
    const pack = await installWorkDir(work, path.join(root, 'packs', 'tiny'));
    expect(pack.dir).toBe(path.join(root, 'packs', 'tiny'));
    expect(existsSync(work)).toBe(false);
  });

  it('never installs a pack that fails validation', async () => {
    const root = await tempDir();
    const work = await writeTinyPack(path.join(root, 'work'));
    await appendFile(path.join(work, 'model.onnx'), Buffer.from([0]));
    const dest = path.join(root, 'packs', 'tiny');
    await expect(installWorkDir(work, dest)).rejects.toMatchObject({ code: 'PACK_INVALID' });
    expect(existsSync(dest)).toBe(false);
  });
});
