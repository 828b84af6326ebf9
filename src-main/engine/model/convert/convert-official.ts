/**
 * The official SDL checkpoint (ZS_SDL NUS_mtresnet_224.pth, TResNet-M, K = 7, d = 300) → a model
 * pack folder (docs/model-pack.md), in Node alone:
 *   read the zip + pickle → check every tensor against the ONNX template → stream the weights
 *   into model.onnx → labels.json / labels.f32 → word table + ridge word map → pack.json.
 * The pack is assembled in a sibling temp folder and renamed into place, so a failed conversion
 * leaves nothing behind.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnytagError } from '../../errors.js';
import type { PackManifest } from '../pack-schema.js';
import { checkpointError } from './checkpoint-error.js';
import { OFFICIAL_SDL_CHECKPOINT } from './download-checkpoint.js';
import { writeFilledModel } from './fill-template.js';
import { parseTemplate, type OnnxTemplate } from './onnx-template.js';
import { compareLabels, writeLabelFiles, writeWordFiles } from './pack-files.js';
import { openTorchCheckpoint } from './torch-checkpoint.js';

const TEMPLATE_FILE = 'tresnet-m.template.onnx';

/** Electron's resources folder in a packaged app (electron-builder.yml ships the template there). */
const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;

/**
 * The template beside this module; in a packaged app, the copy in its resources folder; when
 * running from the tsc output (out/node/…), which does not copy assets, the one in the source tree.
 */
export const DEFAULT_TEMPLATE =
  [
    fileURLToPath(new URL(`./${TEMPLATE_FILE}`, import.meta.url)),
    ...(resourcesPath ? [path.join(resourcesPath, 'templates', TEMPLATE_FILE)] : []),
    fileURLToPath(
      new URL(`../../../../../src-main/engine/model/convert/${TEMPLATE_FILE}`, import.meta.url),
    ),
  ].find((file) => existsSync(file)) ??
  fileURLToPath(new URL(`./${TEMPLATE_FILE}`, import.meta.url));

/**
 * What the official model expects (ZS_SDL infer.py): `Image.open(p).convert('RGB')`, then
 * `im.resize((224, 224))` (Pillow's bicubic, its default), /255, no mean/std.
 */
export const OFFICIAL_INPUT: PackManifest['input'] = {
  name: 'image',
  width: 224,
  height: 224,
  layout: 'NCHW',
  resize: 'squash',
  kernel: 'cubic',
  resample: 'pillow',
  scale: 1 / 255,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  background: [255, 255, 255],
};
const OUTPUT_NAME = 'embedding';
const EMBEDDING_KEY = 'embedding.weight'; // [K*d, features]

export interface ConvertProgress {
  phase: 'reading' | 'writing-model' | 'writing-labels' | 'done';
  bytesWritten?: number;
  bytesTotal?: number;
}

export interface ConvertOfficialOptions {
  checkpointPath: string;
  /** The pack folder to create; must not exist yet (or be empty). */
  outDir: string;
  /** Seen labels in the model's label order (NUS-WIDE: the 1006 official labels). */
  labels: readonly string[];
  /** labels.length × d unit vectors in the official space (d = 300). */
  labelVectors: Float32Array;
  /** AWT1 word table for unseen words, copied into the pack as words.awt. */
  wordTablePath: string;
  /** table.dim × d map; fitted here by ridge regression on the labels the table knows when omitted. */
  wordMap?: Float32Array;
  ridgeLambda?: number;
  templatePath?: string;
  id?: string;
  name?: string;
  licence?: string;
  source?: string;
  onProgress?: (p: ConvertProgress) => void;
}

export interface ConvertOfficialResult {
  packDir: string;
  seconds: number;
  peakRssBytes: number;
  modelBytes: number;
  /** Labels whose word-table vectors trained the word map, and its ridge λ (null: no fitted map). */
  mapTrainingLabels: number | null;
  ridgeLambda: number | null;
  /** Checkpoint idx_to_class disagreeing with `labels` (first few), empty when they agree. */
  labelWarnings: string[];
}

export async function convertOfficialCheckpoint(
  options: ConvertOfficialOptions,
): Promise<ConvertOfficialResult> {
  const started = performance.now();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  const outDir = path.resolve(options.outDir);
  const work = `${outDir}.partial-${process.pid}`;
  try {
    await assertEmptyOrAbsent(outDir);
    const template = await loadTemplate(options.templatePath ?? DEFAULT_TEMPLATE);
    const { k, d } = embeddingShape(template, options);
    options.onProgress?.({ phase: 'reading' });
    const ckpt = await openTorchCheckpoint(options.checkpointPath);
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    let model: { sha256: string; bytes: number };
    try {
      model = await writeFilledModel(template, ckpt, path.join(work, 'model.onnx'), (p) =>
        options.onProgress?.({ phase: 'writing-model', ...p }),
      );
    } finally {
      ckpt.archive.close();
    }
    options.onProgress?.({ phase: 'writing-labels' });
    const labels = await writeLabelFiles(work, options.labels, options.labelVectors);
    const { wordTable, wordMap, fitted } = await writeWordFiles(work, options, d);
    const manifest = officialManifest(options, { k, d }, { model, labels, wordTable, wordMap });
    await writeFile(path.join(work, 'pack.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(outDir, { recursive: true, force: true });
    await rename(work, outDir);
    options.onProgress?.({ phase: 'done' });
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return {
      packDir: outDir,
      seconds: (performance.now() - started) / 1000,
      peakRssBytes: peakRss,
      modelBytes: model.bytes,
      mapTrainingLabels: fitted?.trainedOn ?? null,
      ridgeLambda: fitted?.lambda ?? null,
      labelWarnings: compareLabels(options.labels, ckpt.classes),
    };
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  } finally {
    clearInterval(sampler);
  }
}

function officialManifest(
  options: ConvertOfficialOptions,
  shape: { k: number; d: number },
  files: Pick<PackManifest, 'labels' | 'wordTable' | 'wordMap'> & { model: { sha256: string } },
): PackManifest {
  const { k, d } = shape;
  return {
    format: 1,
    id: options.id ?? 'sdl-nus-wide-tresnet-m',
    name: options.name ?? 'SDL NUS-WIDE (TResNet-M, official weights)',
    licence: options.licence ?? 'as published in github.com/Alibaba-MIIL/ZS_SDL (see its licence)',
    source: options.source ?? `${OFFICIAL_SDL_CHECKPOINT.url}, converted by Anytag`,
    description: `The authors’ SDL checkpoint (NUS-WIDE), TResNet-M, K = ${k} rows of ${d}-d word vectors.`,
    model: { file: 'model.onnx', sha256: files.model.sha256 },
    input: OFFICIAL_INPUT,
    output: { name: OUTPUT_NAME, k, d, order: 'dk' },
    labels: files.labels,
    wordTable: files.wordTable,
    wordMap: files.wordMap,
  };
}

async function assertEmptyOrAbsent(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => []);
  if (entries.length) {
    throw new AnytagError('INVALID_INPUT', `Output folder ${dir} is not empty`, {
      field: 'outDir',
      dir,
    });
  }
}

async function loadTemplate(file: string): Promise<OnnxTemplate> {
  try {
    return parseTemplate(await readFile(file));
  } catch (error) {
    throw checkpointError(
      'template-invalid',
      file,
      `the ONNX template cannot be read (${String(error)})`,
      {},
      error,
    );
  }
}

function embeddingShape(
  template: OnnxTemplate,
  options: ConvertOfficialOptions,
): { k: number; d: number } {
  const n = options.labels.length;
  const d = n ? options.labelVectors.length / n : 0;
  const rows = template.slots.get(EMBEDDING_KEY)?.dims[0] ?? 0;
  if (!Number.isInteger(d) || d < 1 || rows % d !== 0) {
    throw new AnytagError(
      'INVALID_INPUT',
      `labelVectors holds ${options.labelVectors.length} floats for ${n} labels: need ${n} × d with d dividing ${rows}`,
      { field: 'labelVectors' },
    );
  }
  return { k: rows / d, d };
}
