/**
 * Fixtures for the converter tests: random checkpoints in the official format made by
 * training/ (python3, cwd training/), the shared NUS-WIDE reference data, and tiny AWT tables.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { floatToHalf } from '../../../src-main/engine/store/float16.js';

const run = promisify(execFile);
export const REPO = path.resolve(import.meta.dirname, '../../..');
export const TRAINING = path.join(REPO, 'training');
export const NUS = path.resolve(REPO, '../shared/reference/nus-wide');

export type CheckpointVariant =
  'official' | 'centred' | 'half' | 'small' | 'foreign-class' | 'short-storage' | 'legacy';

export async function python(args: string[]): Promise<string> {
  const { stdout } = await run('python3', args, { cwd: TRAINING, maxBuffer: 1 << 24 });
  return stdout;
}

export async function makeCheckpoint(
  file: string,
  variant: CheckpointVariant = 'official',
  seed = 0,
): Promise<string> {
  await python([
    '-m',
    'anytag_training.tresnet.make_checkpoint',
    '--out',
    file,
    '--seed',
    String(seed),
    '--variant',
    variant,
    '--labels',
    path.join(NUS, 'labels.json'),
  ]);
  return file;
}

/** PyTorch output of `checkpoint` on the n × 3 × size × size float32 tensor in `input`. */
export async function torchReference(
  checkpoint: string,
  input: string,
  n: number,
  out: string,
): Promise<Float32Array> {
  await python([
    '-m',
    'anytag_training.tresnet.reference',
    '--checkpoint',
    checkpoint,
    '--input',
    input,
    '--n',
    String(n),
    '--out',
    out,
  ]);
  return readFloats(out);
}

export async function readFloats(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

export async function nusLabels(): Promise<{
  labels: string[];
  unseen: string[];
  vectors: Float32Array;
}> {
  const json = JSON.parse(await readFile(path.join(NUS, 'labels.json'), 'utf8')) as {
    labels: string[];
    unseen: string[];
  };
  return {
    labels: json.labels,
    unseen: json.unseen,
    vectors: await readFloats(path.join(NUS, 'wordvec-300d.f32')),
  };
}

/** Writes an AWT1 word table (docs/model-pack.md) from words and their float vectors. */
export async function writeAwt(
  file: string,
  words: readonly string[],
  vectors: Float32Array,
): Promise<void> {
  const dim = vectors.length / words.length;
  const wordBytes = Buffer.from(words.join('\n'), 'utf8');
  const vectorsAt = Math.ceil((16 + wordBytes.length) / 4) * 4;
  const out = Buffer.alloc(vectorsAt + vectors.length * 2);
  out.write('AWT1', 0, 'latin1');
  out.writeUInt32LE(dim, 4);
  out.writeUInt32LE(words.length, 8);
  out.writeUInt32LE(wordBytes.length, 12);
  wordBytes.copy(out, 16);
  for (let i = 0; i < vectors.length; i++)
    out.writeUInt16LE(floatToHalf(vectors[i]!), vectorsAt + i * 2);
  await writeFile(file, out);
}
