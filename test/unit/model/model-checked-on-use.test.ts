// modelCheckedOnUse (model/pack.ts): only the model file a session loads is hashed, just
// before it is read; the other model files are never hashed (issue 16, start-up).
import { createHash } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../../../src-main/engine/model/pack.js';
import { ModelSession } from '../../../src-main/engine/model/session.js';
import { tempDir } from '../../helpers/temp.js';
import { TINY_WEIGHTS, tinyModel, writeTinyPack } from '../../helpers/tiny-pack.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A tiny pack with a CPU variant (model.int8.onnx) beside its common model.onnx. */
async function packWithVariant(): Promise<string> {
  const dir = path.join(await tempDir(), 'variant');
  const variant = tinyModel(TINY_WEIGHTS.map((w) => 2 * w));
  await writeTinyPack(dir, {
    mutate: (m) => {
      (m.model as Record<string, unknown>).variants = [
        { file: 'model.int8.onnx', sha256: sha256(variant), precision: 'int8', providers: ['cpu'] },
      ];
    },
  });
  await writeFile(path.join(dir, 'model.int8.onnx'), variant);
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

const remembered = async (cache: string): Promise<string[]> =>
  Object.keys(JSON.parse(await readFile(cache, 'utf8')) as object).map((f) => path.basename(f));

describe('model files checked when a session loads them', () => {
  it('hashes only the CPU variant a CPU session runs, never the common model', async () => {
    const dir = await packWithVariant();
    // A damaged common model: a full load refuses it, a CPU session never reads it.
    await appendFile(path.join(dir, 'model.onnx'), Buffer.from([0]));
    expect((await refusal(loadPack(dir))).message).toContain('model.sha256');
    const cache = path.join(await tempDir(), 'pack-hashes.json');
    const pack = await loadPack(dir, { modelCheckedOnUse: true, hashCache: cache });
    expect(await remembered(cache)).not.toContain('model.int8.onnx');
    const io = { inputName: 'image', output: pack.manifest.output };
    const session = await ModelSession.create(pack.modelFiles, io, { provider: 'cpu' });
    try {
      expect(session.modelFile).toBe(path.join(pack.dir, 'model.int8.onnx'));
      expect(await remembered(cache)).toContain('model.int8.onnx');
      expect(await remembered(cache)).not.toContain('model.onnx');
    } finally {
      await session.release();
    }
  });

  it('refuses a damaged variant before the session reads it, naming its field', async () => {
    const dir = await packWithVariant();
    await appendFile(path.join(dir, 'model.int8.onnx'), Buffer.from([0]));
    // Loading succeeds: the variant's hash is the session's check, also in a worker's load.
    const pack = await loadPack(dir, { hashesChecked: true, modelCheckedOnUse: true });
    const io = { inputName: 'image', output: pack.manifest.output };
    const error = await refusal(ModelSession.create(pack.modelFiles, io, { provider: 'cpu' }));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain('model.variants.0.sha256');
  });

  it('still refuses a missing model file at load', async () => {
    const dir = await packWithVariant();
    await writeFile(
      path.join(dir, 'pack.json'),
      (await readFile(path.join(dir, 'pack.json'), 'utf8')).replace('model.int8.onnx', 'gone.onnx'),
    );
    const error = await refusal(loadPack(dir, { modelCheckedOnUse: true }));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain('gone.onnx');
  });
});
