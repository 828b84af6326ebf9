import { copyFile, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src-main/engine/image/decode.js';
import {
  convertOfficialCheckpoint,
  type ConvertOfficialOptions,
} from '../../../src-main/engine/model/convert/convert-official.js';
import { loadPack } from '../../../src-main/engine/model/pack.js';
import { toBatch } from '../../../src-main/engine/model/preprocess.js';
import { ModelSession } from '../../../src-main/engine/model/session.js';
import { makeCheckpoint, NUS, nusLabels, python, torchReference, writeAwt } from './fixtures.js';
import { gloveVectors } from './glove.js';
import { applyMap } from '../../../src-main/engine/model/convert/ridge-map.js';

let dir: string;
let checkpoint: string;
let base: Omit<ConvertOfficialOptions, 'checkpointPath' | 'outDir'>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'anytag-convert-'));
  checkpoint = await makeCheckpoint(path.join(dir, 'official.pth'));
  const { labels, vectors } = await nusLabels();
  // A word table already in the 300-d label space: the pack needs no word map.
  const table = path.join(dir, 'labels300.awt');
  await writeAwt(table, labels, vectors);
  base = { labels, labelVectors: vectors, wordTablePath: table };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function parity(
  checkpointFile: string,
  packDir: string,
  pictures: string[],
): Promise<number> {
  const pack = await loadPack(packDir);
  const spec = pack.manifest.input;
  const images = await Promise.all(
    pictures.map(async (p) => (await decodeImage(p, spec)).model.rgb),
  );
  const { pixels, dims } = toBatch(images, spec);
  const input = path.join(dir, 'input.f32');
  await writeFile(input, Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength));
  const want = await torchReference(
    checkpointFile,
    input,
    images.length,
    path.join(dir, 'torch.f32'),
  );
  const session = await ModelSession.create(
    pack.modelPath,
    { inputName: spec.name, output: pack.manifest.output },
    { provider: 'cpu' },
  );
  const got = await session.run(pixels, dims);
  await session.release();
  expect(got.length).toBe(want.length);
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < want.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
    maxAbs = Math.max(maxAbs, Math.abs(want[i]!));
  }
  expect(maxAbs).toBeGreaterThan(0);
  return maxDiff / maxAbs;
}

// Python + a 135 MB checkpoint per test: slow on 2 shared cores.
const SLOW = { timeout: 240_000 };

describe('convertOfficialCheckpoint', () => {
  it(
    'turns an official-format checkpoint into a pack equal to PyTorch on the six NUS pictures',
    SLOW,
    async () => {
      const outDir = path.join(dir, 'pack');
      const phases = new Set<string>();
      const result = await convertOfficialCheckpoint({
        ...base,
        checkpointPath: checkpoint,
        outDir,
        onProgress: (p) => phases.add(p.phase),
      });
      expect(result.packDir).toBe(outDir);
      expect(result.labelWarnings).toEqual([]);
      expect([...phases]).toEqual(['reading', 'writing-model', 'writing-labels', 'done']);
      expect((await readdir(outDir)).sort()).toEqual([
        'labels.f32',
        'labels.json',
        'model.onnx',
        'pack.json',
        'words.awt',
      ]);
      const pack = await loadPack(outDir);
      expect(pack.manifest.output).toEqual({ name: 'embedding', k: 7, d: 300, order: 'dk' });
      expect(pack.manifest.input).toMatchObject({
        width: 224,
        height: 224,
        scale: 1 / 255,
        resize: 'squash',
        kernel: 'cubic',
        resample: 'pillow',
      });
      expect(pack.labels).toHaveLength(1006);
      const pictures = (await readdir(path.join(NUS, 'pics')))
        .sort()
        .map((f) => path.join(NUS, 'pics', f));
      expect(pictures).toHaveLength(6);
      const relative = await parity(checkpoint, outDir, pictures);
      console.log(
        JSON.stringify({
          parityMaxAbsDiffOverMaxAbs: relative,
          seconds: result.seconds,
          peakRssBytes: result.peakRssBytes,
        }),
      );
      expect(relative).toBeLessThan(1e-4);
    },
  );

  it('takes float16 storages, converting them to float32', SLOW, async () => {
    const half = await makeCheckpoint(path.join(dir, 'half.pth'), 'half', 1);
    const outDir = path.join(dir, 'pack-half');
    await convertOfficialCheckpoint({ ...base, checkpointPath: half, outDir });
    const picture = path.join(NUS, 'pics', (await readdir(path.join(NUS, 'pics'))).sort()[0]!);
    expect(await parity(half, outDir, [picture])).toBeLessThan(1e-4);
    await rm(half);
  });
});

describe('convertOfficialCheckpoint with a GloVe-100d word table', () => {
  it('fits and ships the ridge word map into the 300-d label space', SLOW, async () => {
    const { labels, unseen, vectors } = await nusLabels();
    const glove = await gloveVectors([...labels, 'deer', 'puppy', 'cathedral']);
    const words = [...glove.vectors.keys()];
    const table = path.join(dir, 'glove100.awt');
    await writeAwt(
      table,
      words,
      Float32Array.from(words.flatMap((w) => [...glove.vectors.get(w)!])),
    );
    const outDir = path.join(dir, 'pack-glove');
    const result = await convertOfficialCheckpoint({
      ...base,
      wordTablePath: table,
      checkpointPath: checkpoint,
      outDir,
    });
    expect(result.mapTrainingLabels).toBeGreaterThan(1000);
    expect(result.ridgeLambda).toBe(0.03);
    const pack = await loadPack(outDir);
    expect(pack.manifest.wordMap).toMatchObject({ file: 'word-map.f32', from: 100, to: 300 });
    expect(pack.manifest.wordTable.dim).toBe(100);
    // The shipped map sends an unseen label's GloVe vector next to its official vector.
    const elk = labels.indexOf('elk');
    expect(unseen).toContain('elk');
    const mapped = applyMap(pack.wordTable.vector('elk')!, pack.wordMap!, 300);
    const cos = (i: number): number => mapped.reduce((s, v, j) => s + v * vectors[i * 300 + j]!, 0);
    const best = labels.map((_, i) => i).sort((a, b) => cos(b) - cos(a));
    expect(best.slice(0, 5)).toContain(elk);
  });
});

describe('convertOfficialCheckpoint refuses', () => {
  const refuses = async (file: string, reason: string, message: RegExp): Promise<void> => {
    const outDir = path.join(dir, `refused-${reason}`);
    const attempt = convertOfficialCheckpoint({ ...base, checkpointPath: file, outDir });
    await expect(attempt).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message,
      details: { reason, file },
    });
    await expect(stat(outDir)).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.includes('.partial'))).toEqual([]);
  };

  it('a file cut short (a broken download)', async () => {
    const cut = path.join(dir, 'cut.pth');
    const size = (await stat(checkpoint)).size;
    const src = await open(checkpoint);
    const buf = Buffer.alloc(Math.floor(size / 2));
    await src.read(buf, 0, buf.length, 0);
    await src.close();
    await writeFile(cut, buf);
    await refuses(cut, 'not-zip', /not a zip archive or is truncated/);
  });

  it('a file that does not exist', async () => {
    await refuses(path.join(dir, 'nowhere.pth'), 'unreadable', /cannot be read/);
  });

  it('a file that is not a zip', async () => {
    const text = path.join(dir, 'notes.pth');
    await writeFile(text, 'this is not a checkpoint\n'.repeat(100));
    await refuses(text, 'not-zip', /not a zip/);
  });

  it('the legacy (pre-1.6, not zip) torch.save format, saying so', SLOW, async () => {
    const legacy = await makeCheckpoint(path.join(dir, 'legacy.pth'), 'legacy');
    await refuses(legacy, 'legacy-format', /legacy torch\.save format/);
    await rm(legacy);
  });

  it('a zip that is not a torch checkpoint', async () => {
    const foreign = path.join(dir, 'foreign.zip');
    await copyFile(path.join(NUS, 'labels.json'), path.join(dir, 'labels.json'));
    await python(['-m', 'zipfile', '-c', foreign, path.join(dir, 'labels.json')]);
    await refuses(foreign, 'not-torch', /not a torch\.save file/);
  });

  it('another architecture, naming what differs', SLOW, async () => {
    const small = await makeCheckpoint(path.join(dir, 'small.pth'), 'small');
    await refuses(
      small,
      'wrong-architecture',
      /not the expected architecture: \d+ tensors missing .*; \d+ with another shape/,
    );
    const attempt = convertOfficialCheckpoint({
      ...base,
      checkpointPath: small,
      outDir: path.join(dir, 'x'),
    });
    await expect(attempt).rejects.toMatchObject({
      details: { expectedTensors: 373, foundTensors: 83 },
    });
  });

  it('a pickle holding an object outside the allow-list', SLOW, async () => {
    const foreign = await makeCheckpoint(path.join(dir, 'foreign-class.pth'), 'foreign-class');
    await refuses(foreign, 'unsupported-pickle', /refusing the Python object argparse\.Namespace/);
    await rm(foreign);
  });

  it('a storage shorter than its tensor', SLOW, async () => {
    const short = await makeCheckpoint(path.join(dir, 'short.pth'), 'short-storage');
    await refuses(short, 'truncated', /storage .*data\/372 holds \d+ bytes, 17203200 needed/);
    await rm(short);
  });
});
