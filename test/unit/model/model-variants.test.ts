import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack, modelFilesOf } from '../../../src-main/engine/model/pack.js';
import { copyPackFiles, validatePack } from '../../../src-main/engine/model/pack-install.js';
import { toBatch } from '../../../src-main/engine/model/preprocess.js';
import { ModelSession } from '../../../src-main/engine/model/session.js';
import { tempDir } from '../../helpers/temp.js';
import { TINY, TINY_WEIGHTS, tinyModel, writeTinyPack } from '../../helpers/tiny-pack.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The tiny model with every weight doubled: its output tells which file ran. */
const doubledModel = (): Buffer => tinyModel(TINY_WEIGHTS.map((w) => 2 * w));

async function packWithVariant(sha?: string): Promise<string> {
  const dir = path.join(await tempDir(), 'variant');
  const variant = doubledModel();
  await writeTinyPack(dir, {
    mutate: (m) => {
      (m.model as Record<string, unknown>).variants = [
        {
          file: 'model.int8.onnx',
          sha256: sha ?? sha256(variant),
          precision: 'int8',
          providers: ['cpu'],
        },
      ];
    },
  });
  await writeFile(path.join(dir, 'model.int8.onnx'), variant);
  return dir;
}

async function firstValue(session: ModelSession): Promise<number> {
  const white = new Uint8Array(TINY.size * TINY.size * 3).fill(255);
  const pack = await loadPack(path.dirname(session.modelFile));
  const { pixels, dims } = toBatch([white], pack.manifest.input);
  return (await session.run(pixels, dims))[0]!;
}

describe('model variants per execution provider', () => {
  it('runs the CPU variant on the CPU and the common file elsewhere', async () => {
    const pack = await loadPack(await packWithVariant());
    expect(pack.modelFiles.byProvider.cpu).toBe(path.join(pack.dir, 'model.int8.onnx'));
    expect(pack.modelFiles.byProvider.cuda).toBeUndefined();
    expect(pack.modelFiles.file).toBe(pack.modelPath);
    const io = { inputName: 'image', output: pack.manifest.output };
    const variant = await ModelSession.create(pack.modelFiles, io, { provider: 'cpu' });
    const common = await ModelSession.create(pack.modelPath, io, { provider: 'cpu' });
    try {
      expect(variant.modelFile).toBe(path.join(pack.dir, 'model.int8.onnx'));
      expect(await firstValue(variant)).toBeCloseTo(2 * (await firstValue(common)), 5);
    } finally {
      await variant.release();
      await common.release();
    }
  });

  it('maps each provider a variant names to it, the first variant winning', () => {
    const files = modelFilesOf('/packs/p', {
      model: {
        file: 'model.onnx',
        sha256: '0'.repeat(64),
        variants: [
          { file: 'a.onnx', sha256: '1'.repeat(64), precision: 'int8', providers: ['cpu'] },
          { file: 'b.onnx', sha256: '2'.repeat(64), precision: 'fp16', providers: ['cpu', 'dml'] },
        ],
      },
    } as Parameters<typeof modelFilesOf>[1]);
    expect(files).toEqual({
      file: path.join('/packs/p', 'model.onnx'),
      byProvider: { cpu: path.join('/packs/p', 'a.onnx'), dml: path.join('/packs/p', 'b.onnx') },
    });
  });

  it('loads a pack without variants (format 1 as before) with no per-provider file', async () => {
    const pack = await loadPack(await writeTinyPack(path.join(await tempDir(), 'plain')));
    expect(pack.modelFiles.byProvider).toEqual({});
  });

  it('refuses a variant whose sha256 does not match, naming it', async () => {
    const dir = await packWithVariant('f'.repeat(64));
    await expect(loadPack(dir)).rejects.toMatchObject({
      code: 'PACK_INVALID',
      message: expect.stringContaining('model.variants.0.sha256'),
    });
  });

  it('validates and installs the variant with the pack', async () => {
    const pack = await validatePack(await packWithVariant());
    const work = await tempDir();
    await copyPackFiles(pack, work);
    expect((await readdir(work)).sort()).toContain('model.int8.onnx');
    const copied = await readFile(path.join(work, 'model.int8.onnx'));
    expect(sha256(copied)).toBe(pack.manifest.model.variants![0]!.sha256);
  });
});
