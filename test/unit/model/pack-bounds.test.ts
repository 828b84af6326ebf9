/**
 * Bounded pack imports: only regular files (a device or a named pipe would never end), and a
 * model whose output cannot tell two images apart is refused at validation.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { loadPack } from '../../../src-main/engine/model/pack.js';
import { validatePack } from '../../../src-main/engine/model/pack-install.js';
import { tempDir } from '../../helpers/temp.js';
import { TINY, tinyModel, writeTinyPack } from '../../helpers/tiny-pack.js';

/** The tiny model with every weight zero: its output is all zeros whatever the image. */
const zeroModel = (): Buffer => tinyModel(new Float32Array(3 * TINY.k * TINY.d));

describe('pack imports are bounded', () => {
  let root: string;
  let engine: Engine;
  let api: Api;
  beforeAll(async () => {
    root = await tempDir();
    engine = await Engine.open({ dataDir: path.join(root, 'data'), packRoots: [] });
    api = new Api(engine);
  });
  afterAll(() => engine.close());

  it('refuses a device and a named pipe at once', async () => {
    const fifo = path.join(root, 'pipe.pth');
    execFileSync('mkfifo', [fifo]);
    for (const source of ['/dev/zero', fifo]) {
      const started = performance.now();
      await expect(api.call('importPack', { path: source })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/not a regular file/),
      });
      expect(performance.now() - started).toBeLessThan(5000);
    }
  });

  it('refuses a pack whose files are not regular files', async () => {
    const dir = await writeTinyPack(path.join(root, 'piped'));
    await rm(path.join(dir, 'labels.json'));
    execFileSync('mkfifo', [path.join(dir, 'labels.json')]);
    await expect(loadPack(dir)).rejects.toMatchObject({
      code: 'PACK_INVALID',
      message: expect.stringMatching(/labels\.file: "labels\.json" is not a regular file/),
    });
  });

  it('refuses a model whose output is the same for every image', async () => {
    const dir = await writeTinyPack(path.join(root, 'zeros'), { id: 'zeros' });
    const model = zeroModel();
    await writeFile(path.join(dir, 'model.onnx'), model);
    const manifestFile = path.join(dir, 'pack.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as {
      model: { sha256: string };
    };
    manifest.model.sha256 = createHash('sha256').update(model).digest('hex');
    await writeFile(manifestFile, JSON.stringify(manifest));
    await expect(validatePack(dir)).rejects.toMatchObject({
      code: 'PACK_INVALID',
      details: { reason: 'constant-output' },
    });
    await expect(validatePack(await writeTinyPack(path.join(root, 'fine')))).resolves.toBeDefined();
  });
});
