/**
 * The official-pipeline check (issue 10): a checkpoint made by the paper's code (training/'s
 * TResNet-M, seeded random weights, official .pth format) imported with `anytag pack import`;
 * `anytag tags <picture> --all --json` on the six NUS-WIDE sample pictures (files outside the
 * library) vs the paper's pipeline, PyTorch fed by Pillow:
 * `np.asarray(Image.open(p).convert('RGB').resize((224, 224))) / 255`.
 * The top-10 labels must agree on ≥ 9.5 of 10 on average, and the pictures must stay out of the
 * catalogue. The checkpoint is the "centred" variant: a plain random TResNet ranks the same labels
 * first for every picture, which no input pipeline could get wrong. The libvips-fed input (what the app used before packs named their resampling) is
 * measured beside it, for the record.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src-main/engine/image/decode.js';
import { rankSeenLabels } from '../../../src-main/engine/index/label-ranking.js';
import { readMatrices } from '../../../src-main/engine/model/matrices.js';
import { loadPack, type ModelPack } from '../../../src-main/engine/model/pack.js';
import { toBatch } from '../../../src-main/engine/model/preprocess.js';
import { ModelSession } from '../../../src-main/engine/model/session.js';
import { REPO_ROOT, requireBuilt } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';
import { makeCheckpoint, NUS, python, torchReference } from './fixtures.js';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'anytag.js');
const PACK_ID = 'sdl-nus-wide-tresnet-m';
const TOP = 10;

/** infer.py's input for each picture: [n, 3, 224, 224] float32 in [0, 1], Pillow-resized. */
const PILLOW_INPUT = `
import sys
import numpy as np
from PIL import Image
out, files = sys.argv[1], sys.argv[2:]
x = np.stack([np.asarray(Image.open(p).convert("RGB").resize((224, 224)), dtype=np.float32)
              .transpose(2, 0, 1) / 255 for p in files])
x.astype("<f4").tofile(out)
`;

async function anytag(args: string[]): Promise<string> {
  const { stdout } = await run('node', [BIN, ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 26 });
  return stdout;
}

const overlap = (a: readonly string[], b: readonly string[]): number =>
  a.filter((label) => b.includes(label)).length;

let dir: string;
let data: string;
let checkpoint: string;
let pictures: string[];

beforeAll(async () => {
  requireBuilt(path.join(REPO_ROOT, 'out', 'node', 'cli', 'main.js'), 'run `npm run build`');
  requireBuilt(path.join(REPO_ROOT, 'resources', 'sdl-labels'), 'run `npm run build:packs`');
  dir = await tempDir('anytag-official-ranking-');
  data = path.join(dir, 'data');
  checkpoint = await makeCheckpoint(path.join(dir, 'official.pth'), 'centred', 0);
  pictures = (await readdir(path.join(NUS, 'pics'))).sort().map((f) => path.join(NUS, 'pics', f));
}, 300_000);

describe('anytag tags --all on a checkpoint made by the paper’s code', () => {
  it(
    'agrees with PyTorch + Pillow on the top-10 of the six sample pictures',
    { timeout: 600_000 },
    async () => {
      await anytag(['pack', 'import', checkpoint, '--data', data, '--json']);
      const pack = await loadPack(path.join(data, 'packs', PACK_ID));
      expect(pack.manifest.input).toMatchObject({ resample: 'pillow', kernel: 'cubic' });

      const app: string[][] = [];
      for (const picture of pictures) {
        const out = JSON.parse(
          await anytag(['tags', picture, '--all', '--json', '--data', data, '--pack', PACK_ID]),
        ) as { source: string; labels: { label: string; score: number }[]; total: number };
        expect(out.source).toBe('file');
        expect(out.labels).toHaveLength(out.total);
        expect(out.total).toBe(pack.labels.length);
        for (let i = 1; i < out.labels.length; i++) {
          expect(out.labels[i]!.score).toBeLessThanOrEqual(out.labels[i - 1]!.score);
        }
        app.push(out.labels.slice(0, TOP).map((l) => l.label));
      }
      const status = JSON.parse(await anytag(['status', '--data', data, '--json']));
      expect(status.photos.total).toBe(0); // scored, never catalogued

      const input = path.join(dir, 'pillow.f32');
      await python(['-c', PILLOW_INPUT, input, ...pictures]);
      const torch = await torchReference(
        checkpoint,
        input,
        pictures.length,
        path.join(dir, 't.f32'),
      );
      const reference = topLabels(pack, torch, pictures.length);
      const agreement = app.map((top, i) => overlap(top, reference[i]!));
      const mean = agreement.reduce((s, n) => s + n, 0) / agreement.length;

      const libvips = await libvipsTopLabels(pack, pictures);
      const before = libvips.map((top, i) => overlap(top, reference[i]!));
      console.log(
        JSON.stringify({
          agreement,
          mean,
          libvipsAgreement: before,
          libvipsMean: before.reduce((s, n) => s + n, 0) / before.length,
          app,
        }),
      );
      // The check tells pipelines apart only if the top labels depend on the picture.
      expect(new Set(reference.map((top) => top.join())).size).toBe(pictures.length);
      expect(mean).toBeGreaterThanOrEqual(9.5);
    },
  );
});

/** The top-10 labels of raw model outputs ([n, K·d] in the pack's order). */
function topLabels(pack: ModelPack, raw: Float32Array, n: number): string[][] {
  return readMatrices(raw, n, pack.manifest.output).map((matrix) =>
    rankSeenLabels(pack, matrix, TOP).map((l) => l.label),
  );
}

/** The same pack fed through libvips (resample "libvips"), as the app fed it before. */
async function libvipsTopLabels(pack: ModelPack, files: string[]): Promise<string[][]> {
  const spec = { ...pack.manifest.input, resample: 'libvips' as const };
  const images = await Promise.all(files.map(async (f) => (await decodeImage(f, spec)).model.rgb));
  const { pixels, dims } = toBatch(images, spec);
  const session = await ModelSession.create(
    pack.modelPath,
    { inputName: spec.name, output: pack.manifest.output },
    { provider: 'cpu' },
  );
  try {
    return topLabels(pack, await session.run(pixels, dims), files.length);
  } finally {
    await session.release();
  }
}
