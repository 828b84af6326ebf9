/**
 * What converting the authors' SDL checkpoint needs besides the checkpoint: the NUS-WIDE label
 * space (resources/sdl-labels, built by `npm run build:packs` from the official repository's
 * data files: the 1006 labels in the model's order, the 81 unseen ones, their official 300-d
 * vectors) and a word table for every other word (the starter pack's GloVe 6B 100d, mapped into
 * the 300-d space by the ridge map the converter fits on the labels both know).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AnytagError, isNodeError } from '../errors.js';
import { sha256File } from '../store/file-hash.js';
import { describeIssues } from './pack-schema.js';

export const OFFICIAL_SDL_PACK_ID = 'sdl-nus-wide-tresnet-m';
/** The pack whose word table reaches unseen words (GloVe 6B 100d). */
export const WORD_TABLE_PACK_ID = 'starter-mobilenetv2-glove100';
export const SDL_LABELS_FOLDER = 'sdl-labels';

const sdlLabelsSchema = z.strictObject({
  labels: z.array(z.string().min(1)).min(1),
  unseen: z.array(z.string().min(1)),
  dim: z.number().int().positive(),
  vectors: z.strictObject({ file: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  source: z.string(),
});

export interface SdlLabels {
  dir: string;
  labels: string[];
  unseen: string[];
  /** [labels.length, dim] unit rows in the official label space. */
  vectors: Float32Array;
  dim: number;
}

/** The sdl-labels folder beside the first pack root that has one (resources/packs → resources). */
export function findSdlLabelsDir(packRoots: readonly string[]): string | undefined {
  return packRoots
    .map((root) => path.join(path.dirname(root), SDL_LABELS_FOLDER))
    .find((dir) => existsSync(path.join(dir, 'labels.json')));
}

function invalid(dir: string, message: string): AnytagError {
  return new AnytagError('PACK_INVALID', `NUS-WIDE label resources ${dir}: ${message}`, {
    dir,
  });
}

/** Reads and checks labels.json and its vectors (size and sha256). */
export async function loadSdlLabels(dir: string): Promise<SdlLabels> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(dir, 'labels.json'), 'utf8'));
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) {
      throw new AnytagError(
        'PACK_NOT_FOUND',
        `No NUS-WIDE label resources in ${dir}: run \`npm run build:packs\` to build them`,
        { dir },
      );
    }
    throw invalid(dir, `labels.json is unreadable (${(error as Error).message})`);
  }
  const parsed = sdlLabelsSchema.safeParse(json);
  if (!parsed.success) throw invalid(dir, `labels.json ${describeIssues(parsed.error)}`);
  const { labels, unseen, dim, vectors: ref } = parsed.data;
  const file = path.join(dir, path.basename(ref.file));
  const actual = await sha256File(file).catch(() => 'missing');
  if (actual !== ref.sha256) {
    throw invalid(
      dir,
      `vectors.sha256 of ${ref.file} is ${actual}, labels.json says ${ref.sha256}`,
    );
  }
  const bytes = await readFile(file);
  if (bytes.length !== labels.length * dim * 4) {
    throw invalid(dir, `${ref.file} is ${bytes.length} bytes, expected ${labels.length * dim * 4}`);
  }
  const vectors = new Float32Array(labels.length * dim);
  Buffer.from(vectors.buffer).set(bytes);
  return { dir, labels, unseen, vectors, dim };
}
