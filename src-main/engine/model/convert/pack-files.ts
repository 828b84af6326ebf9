/**
 * The label side of a converted pack: labels.json + labels.f32 (the seen labels in the model's
 * space) and words.awt + word-map.f32 (any other word, through a ridge map when the word table
 * lives in another space). Each writer returns its pack.json fragment.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError } from '../../errors.js';
import { WordTable } from '../word-table.js';
import { sha256File } from '../../store/file-hash.js';
import type { PackManifest } from '../pack-schema.js';
import { DEFAULT_RIDGE_LAMBDA, labelPairs } from './label-space.js';
import { fitRidgeMap } from './ridge-map.js';

export interface WordSource {
  labels: readonly string[];
  labelVectors: Float32Array; // [labels.length, d]
  wordTablePath: string;
  wordMap?: Float32Array;
  ridgeLambda?: number;
}

export interface FittedMap {
  trainedOn: number;
  lambda: number;
}

export async function writeLabelFiles(
  dir: string,
  labels: readonly string[],
  vectors: Float32Array,
): Promise<PackManifest['labels']> {
  const json = { labels: labels.map((name) => ({ name: name.replace(/_/g, ' ').toLowerCase() })) };
  await writeFile(path.join(dir, 'labels.json'), `${JSON.stringify(json)}\n`);
  await writeFile(path.join(dir, 'labels.f32'), floatBytes(vectors));
  return {
    file: 'labels.json',
    vectors: 'labels.f32',
    sha256: await sha256File(path.join(dir, 'labels.f32')),
    fileSha256: await sha256File(path.join(dir, 'labels.json')),
  };
}

export async function writeWordFiles(
  dir: string,
  source: WordSource,
  d: number,
): Promise<Pick<PackManifest, 'wordTable' | 'wordMap'> & { fitted: FittedMap | null }> {
  const table = await WordTable.load(source.wordTablePath);
  await copyFile(source.wordTablePath, path.join(dir, 'words.awt'));
  const wordTable = {
    file: 'words.awt',
    sha256: await sha256File(source.wordTablePath),
    dim: table.dim,
  };
  const map = source.wordMap ?? (table.dim === d ? null : undefined);
  if (map === null) return { wordTable, wordMap: null, fitted: null };
  if (map && map.length !== table.dim * d) {
    throw new AnytagError(
      'INVALID_INPUT',
      `wordMap has ${map.length} floats, expected ${table.dim} × ${d}`,
      { field: 'wordMap' },
    );
  }
  const fitted = map ? null : fitWordMap(table, source, d);
  const file = path.join(dir, 'word-map.f32');
  await writeFile(file, floatBytes(map ?? fitted!.map));
  return {
    wordTable,
    wordMap: { file: 'word-map.f32', sha256: await sha256File(file), from: table.dim, to: d },
    fitted: fitted && { trainedOn: fitted.trainedOn, lambda: fitted.lambda },
  };
}

/** Ridge map table space → label space, fitted on the labels the table knows. */
function fitWordMap(
  table: WordTable,
  source: WordSource,
  d: number,
): FittedMap & { map: Float32Array } {
  const pairs = labelPairs(source.labels, source.labelVectors, (w) => table.vector(w));
  if (pairs.indices.length < table.dim) {
    throw new AnytagError(
      'INVALID_INPUT',
      `Only ${pairs.indices.length} labels are in the word table ${source.wordTablePath}: too few to fit a ${table.dim}→${d} map`,
      { field: 'wordTablePath' },
    );
  }
  const lambda = source.ridgeLambda ?? DEFAULT_RIDGE_LAMBDA;
  const map = fitRidgeMap(pairs.x, pairs.y, pairs.indices.length, lambda);
  return { map, trainedOn: pairs.indices.length, lambda };
}

/** Checkpoint idx_to_class against the labels given: the first few disagreements. */
export function compareLabels(labels: readonly string[], classes: string[] | undefined): string[] {
  if (!classes) return [];
  if (classes.length !== labels.length) {
    return [`checkpoint has ${classes.length} classes, labels has ${labels.length}`];
  }
  return labels
    .flatMap((l, i) =>
      l === classes[i] ? [] : [`label ${i}: "${l}" vs checkpoint "${classes[i]}"`],
    )
    .slice(0, 5);
}

function floatBytes(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}
