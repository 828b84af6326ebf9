import { readFile, writeFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../../../src-main/engine/model/pack.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests corrupt arbitrary fields
type Manifest = Record<string, any>;

interface Refusal {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    return error as Refusal;
  }
  throw new Error('expected the pack to be refused');
}

describe('model packs', () => {
  it('loads a valid pack with its labels and word table', async () => {
    const dir = await writeTinyPack(path.join(await tempDir(), 'tiny'));
    const pack = await loadPack(dir);
    expect(pack.manifest.id).toBe('tiny');
    expect(pack.labels.map((l) => l.name)).toEqual(['red', 'green', 'blue']);
    expect(Array.from(pack.labelVectors.subarray(3, 6))).toEqual([0, 1, 0]);
    expect(pack.wordTable.size).toBe(5);
    expect(Array.from(pack.wordTable.vector('warm')!)).toEqual([
      expect.closeTo(0.6, 3),
      expect.closeTo(0.8, 3),
      0,
    ]);
  });

  it.each([
    ['output.k', (m: Manifest) => (m.output.k = 0)],
    ['input.resize', (m: Manifest) => (m.input.resize = 'stretch')],
    ['format', (m: Manifest) => (m.format = 2)],
    ['model.sha256', (m: Manifest) => (m.model.sha256 = 'abc')],
    ['colour', (m: Manifest) => (m.colour = 'srgb')],
    ['model.file', (m: Manifest) => (m.model.file = '../model.onnx')],
    ['input.resample', (m: Manifest) => (m.input.resample = 'opencv')],
    [
      'input.kernel: resample "pillow" takes kernel linear | cubic | lanczos3',
      (m: Manifest) => Object.assign(m.input, { resample: 'pillow', kernel: 'mitchell' }),
    ],
    [
      'input.resize: resample "pillow" takes resize "squash"',
      (m: Manifest) => Object.assign(m.input, { resample: 'pillow', resize: 'cover' }),
    ],
    [
      'output.pixelRows: every row must be below k',
      (m: Manifest) => (m.output.pixelRows = [m.output.k]),
    ],
    ['output.pixelRows: rows must be distinct', (m: Manifest) => (m.output.pixelRows = [0, 0])],
    ['output.pixelRows', (m: Manifest) => (m.output.pixelRows = [-1])],
  ])('refuses a bad %s, naming the field', async (field, mutate) => {
    const dir = await writeTinyPack(path.join(await tempDir(), 'bad'), { mutate });
    const error = await refusal(loadPack(dir));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain(field === 'colour' ? 'colour' : field);
  });

  it('refuses a model whose sha256 does not match', async () => {
    const dir = await writeTinyPack(path.join(await tempDir(), 'tampered'));
    await appendFile(path.join(dir, 'model.onnx'), Buffer.from([0]));
    const error = await refusal(loadPack(dir));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain(
      `"model.onnx" is damaged: it was cut short or changed since the pack was made (its sha256 does not match pack.json's model.sha256)`,
    );
    expect(error.message).not.toMatch(/[0-9a-f]{64}/);
    expect(error.details).toMatchObject({
      field: 'model.sha256',
      expected: expect.stringMatching(/^[0-9a-f]{64}$/),
      actual: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('checks a tampered word table at load, or at its first read with wordTableCheckedOnUse', async () => {
    const dir = await writeTinyPack(path.join(await tempDir(), 'words'));
    const table = path.join(dir, 'words.awt');
    const bytes = await readFile(table);
    bytes[bytes.length - 1]! ^= 0xff; // a vector's last byte: same size, another hash
    await writeFile(table, bytes);
    const atLoad = await refusal(loadPack(dir));
    expect(atLoad.message).toMatch(/"words\.awt" is damaged: .*wordTable\.sha256/);
    const cache = path.join(await tempDir(), 'pack-hashes.json');
    const pack = await loadPack(dir, { hashCache: cache, wordTableCheckedOnUse: true });
    for (let read = 0; read < 2; read++) {
      let error: unknown;
      try {
        pack.wordTable.vector('red');
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'PACK_INVALID', message: atLoad.message });
    }
  });

  it('reads a sound word table checked on first use, and remembers its hash', async () => {
    const dir = await writeTinyPack(path.join(await tempDir(), 'sound'));
    const cache = path.join(await tempDir(), 'pack-hashes.json');
    const pack = await loadPack(dir, { hashCache: cache, wordTableCheckedOnUse: true });
    const remembered = (): Promise<string[]> =>
      readFile(cache, 'utf8').then(
        (text) => Object.keys(JSON.parse(text) as object),
        () => [],
      );
    expect(await remembered()).not.toContain(path.join(dir, 'words.awt')); // not read yet
    expect(pack.wordTable.vector('red')).toBeInstanceOf(Float32Array);
    expect(await remembered()).toContain(path.join(dir, 'words.awt'));
  });

  it('refuses a missing file and a pack.json that is not JSON', async () => {
    const dir = await writeTinyPack(path.join(await tempDir(), 'broken'), {
      mutate: (m: Manifest) => (m.labels.vectors = 'nowhere.f32'),
    });
    expect((await refusal(loadPack(dir))).message).toContain(
      'labels.sha256: file "nowhere.f32" is missing',
    );
    await writeFile(path.join(dir, 'pack.json'), '{"format": 1,');
    expect((await refusal(loadPack(dir))).message).toContain('not valid JSON');
  });

  it('reports a folder with no pack.json as not found', async () => {
    const error = await refusal(loadPack(await tempDir()));
    expect(error.code).toBe('PACK_NOT_FOUND');
  });
});
