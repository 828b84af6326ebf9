/**
 * Loads and validates a model pack folder. Every reference is checked (schema, sizes, sha256)
 * before anything is used, so a bad pack is refused whole with a message naming the field.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError, isNodeError } from '../errors.js';
import type { ModelFiles } from './session.js';
import { fileSha256, fileSha256Sync } from './verified-hashes.js';
import { WordTable } from './word-table.js';
import {
  describeIssues,
  labelsFileSchema,
  packManifestSchema,
  type PackManifest,
  type SeenLabel,
} from './pack-schema.js';

export interface ModelPack {
  dir: string;
  manifest: PackManifest;
  modelPath: string;
  /** The model file each provider runs: a declared variant for its providers, else modelPath. */
  modelFiles: ModelFiles;
  labels: SeenLabel[];
  /** [labels.length, d] unit rows in the model's label space. */
  labelVectors: Float32Array;
  wordTable: WordTable;
  /** [from, to] row-major, or null when the word table is already in the model's space. */
  wordMap: Float32Array | null;
}

function invalid(dir: string, message: string, details: Record<string, unknown> = {}): AnytagError {
  return new AnytagError('PACK_INVALID', `Model pack ${dir}: ${message}`, {
    pack: dir,
    ...details,
  });
}

/** Largest file a pack may name (the ONNX model included). */
export const MAX_PACK_FILE_BYTES = 4 * 2 ** 30;

/**
 * Refuses a pack file that is not a regular file (a FIFO or a device such as /dev/zero would
 * never end) or is larger than MAX_PACK_FILE_BYTES, before anything reads it.
 */
async function assertRegularFile(dir: string, field: string, file: string): Promise<void> {
  const info = await stat(path.join(dir, file)).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT'))
      throw invalid(dir, `${field}: file "${file}" is missing`, { field });
    throw error;
  });
  if (!info.isFile()) {
    throw invalid(dir, `${field}: "${file}" is not a regular file`, { field });
  }
  if (info.size > MAX_PACK_FILE_BYTES) {
    throw invalid(
      dir,
      `${field}: "${file}" is ${info.size} bytes, over the ${MAX_PACK_FILE_BYTES} limit`,
      {
        field,
      },
    );
  }
}

async function checkHash(
  dir: string,
  field: string,
  file: string,
  expected: string,
  hashCache: string | undefined,
): Promise<void> {
  await assertRegularFile(dir, field, file);
  let actual: string;
  try {
    actual = await fileSha256(path.join(dir, file), hashCache);
  } catch (error) {
    if (isNodeError(error, 'ENOENT'))
      throw invalid(dir, `${field}: file "${file}" is missing`, { field });
    throw error;
  }
  checkSha256(dir, field, file, expected, actual);
}

function checkSha256(
  dir: string,
  field: string,
  file: string,
  expected: string,
  actual: string,
): void {
  if (actual !== expected) {
    // The hashes are for developers (details); the sentence says what happened to the file.
    const damage = `"${file}" is damaged: it was cut short or changed since the pack was made`;
    throw invalid(dir, `${damage} (its sha256 does not match pack.json's ${field})`, {
      field,
      expected,
      actual,
    });
  }
}

export async function readManifest(dir: string): Promise<PackManifest> {
  let text: string;
  try {
    const info = await stat(path.join(dir, 'pack.json'));
    if (!info.isFile() || info.size > 1 << 20) {
      throw invalid(dir, 'pack.json must be a regular file of at most 1 MiB');
    }
    text = await readFile(path.join(dir, 'pack.json'), 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) {
      throw new AnytagError('PACK_NOT_FOUND', `No pack.json in ${dir}`, { pack: dir });
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(dir, `pack.json is not valid JSON (${(error as Error).message})`);
  }
  const parsed = packManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw invalid(dir, `pack.json ${describeIssues(parsed.error)}`, {
      fields: parsed.error.issues.map((i) => i.path.join('.')),
    });
  }
  return parsed.data;
}

async function readFloat32(
  dir: string,
  field: string,
  file: string,
  count: number,
): Promise<Float32Array> {
  const bytes = await readFile(path.join(dir, file));
  if (bytes.length !== count * 4) {
    throw invalid(dir, `${field}: "${file}" is ${bytes.length} bytes, expected ${count * 4}`, {
      field,
    });
  }
  const out = new Float32Array(count);
  Buffer.from(out.buffer).set(bytes);
  return out;
}

export interface LoadOptions {
  /**
   * The files' sha256 were checked when this process (the engine, on the main thread) loaded
   * the pack: skip hashing them again (index workers). Everything else is still validated.
   */
  hashesChecked?: boolean;
  /**
   * A JSON file remembering verified hashes by path, size, mtime and inode (model/
   * verified-hashes.ts), so unchanged files are hashed once, not at every start (the engine's
   * own load; workers pass hashesChecked instead).
   */
  hashCache?: string;
  /**
   * Check the word table's sha256 when it is first read instead of at load: for a command
   * that may never read it (`anytag index` reads no query), so a fresh data folder does not
   * hash its 71 MB for nothing. A mismatch is then that first read's error (PACK_INVALID,
   * naming wordTable.sha256), and every later read's.
   */
  wordTableCheckedOnUse?: boolean;
  /**
   * Check a model file's sha256 (model.sha256, or its variant's) when a session is about to
   * read it (modelFiles.verify, model/session.ts) instead of every model file at load: a CPU
   * session that runs the INT8 variant never hashes the FP32 file. Applies with hashesChecked
   * too, so an index worker checks the file it loads itself, off the main thread. The files
   * are still required to exist as regular files at load.
   */
  modelCheckedOnUse?: boolean;
}

/** Which model file runs on which provider (pack.json model.file and model.variants). */
export function modelFilesOf(dir: string, manifest: PackManifest): ModelFiles {
  const byProvider: ModelFiles['byProvider'] = {};
  for (const variant of manifest.model.variants ?? []) {
    for (const provider of variant.providers) {
      byProvider[provider] ??= path.join(dir, variant.file);
    }
  }
  return { file: path.join(dir, manifest.model.file), byProvider };
}

/** Each model file of the pack with the pack.json field that holds its sha256. */
function modelFileRefs(manifest: PackManifest): { field: string; file: string; sha256: string }[] {
  return [
    { field: 'model.sha256', file: manifest.model.file, sha256: manifest.model.sha256 },
    ...(manifest.model.variants ?? []).map((variant, i) => ({
      field: `model.variants.${i}.sha256`,
      file: variant.file,
      sha256: variant.sha256,
    })),
  ];
}

/**
 * modelFilesOf with a verify step that checks the sha256 of the file a session is about to
 * read (remembered in hashCache like every pack hash). A file the pack does not name is refused.
 */
function modelFilesCheckedOnUse(
  dir: string,
  manifest: PackManifest,
  hashCache: string | undefined,
): ModelFiles {
  const refs = modelFileRefs(manifest);
  return {
    ...modelFilesOf(dir, manifest),
    verify: async (file) => {
      const ref = refs.find((r) => path.join(dir, r.file) === path.resolve(file));
      if (!ref) throw invalid(dir, `"${file}" is not one of the pack's model files`);
      await checkHash(dir, ref.field, ref.file, ref.sha256, hashCache);
    },
  };
}

export async function loadPack(dir: string, options: LoadOptions = {}): Promise<ModelPack> {
  const cache = options.hashCache;
  const absolute = path.resolve(dir);
  const manifest = await readManifest(absolute);
  const { labels: labelRef, wordTable: tableRef, wordMap: mapRef, output } = manifest;

  const modelOnUse = options.modelCheckedOnUse ?? false;
  if (modelOnUse) {
    for (const ref of modelFileRefs(manifest))
      await assertRegularFile(absolute, ref.field, ref.file);
  } else if (!options.hashesChecked) {
    await checkHash(absolute, 'model.sha256', manifest.model.file, manifest.model.sha256, cache);
  }
  if (!options.hashesChecked) {
    await checkHash(absolute, 'labels.sha256', labelRef.vectors, labelRef.sha256, cache);
    if (!options.wordTableCheckedOnUse) {
      await checkHash(absolute, 'wordTable.sha256', tableRef.file, tableRef.sha256, cache);
    }
    if (mapRef) await checkHash(absolute, 'wordMap.sha256', mapRef.file, mapRef.sha256, cache);
    const variants = modelOnUse ? [] : (manifest.model.variants ?? []);
    for (const [i, variant] of variants.entries()) {
      await checkHash(absolute, `model.variants.${i}.sha256`, variant.file, variant.sha256, cache);
    }
  }

  const expectedTableDim = mapRef ? mapRef.from : output.d;
  if (tableRef.dim !== expectedTableDim) {
    throw invalid(absolute, `wordTable.dim is ${tableRef.dim}, expected ${expectedTableDim}`, {
      field: 'wordTable.dim',
    });
  }
  if (mapRef && mapRef.to !== output.d) {
    throw invalid(absolute, `wordMap.to is ${mapRef.to}, expected output.d = ${output.d}`, {
      field: 'wordMap.to',
    });
  }

  await assertRegularFile(absolute, 'labels.file', labelRef.file);
  if (labelRef.fileSha256 && !options.hashesChecked) {
    await checkHash(absolute, 'labels.fileSha256', labelRef.file, labelRef.fileSha256, cache);
  }
  let labelsJson: unknown;
  try {
    labelsJson = JSON.parse(await readFile(path.join(absolute, labelRef.file), 'utf8'));
  } catch (error) {
    throw invalid(
      absolute,
      `labels.file "${labelRef.file}" is unreadable (${(error as Error).message})`,
      {
        field: 'labels.file',
      },
    );
  }
  const labelsParsed = labelsFileSchema.safeParse(labelsJson);
  if (!labelsParsed.success) {
    throw invalid(absolute, `labels.file ${describeIssues(labelsParsed.error)}`, {
      field: 'labels.file',
    });
  }
  const labels = labelsParsed.data.labels;
  const labelVectors = await readFloat32(
    absolute,
    'labels.vectors',
    labelRef.vectors,
    labels.length * output.d,
  );
  const tableFile = path.join(absolute, tableRef.file);
  const checkOnUse = options.wordTableCheckedOnUse && !options.hashesChecked;
  if (checkOnUse) await assertRegularFile(absolute, 'wordTable.sha256', tableRef.file);
  const wordTable = await WordTable.load(tableFile, tableRef.dim, {
    ...(checkOnUse && {
      verify: () => {
        const actual = fileSha256Sync(tableFile, cache);
        checkSha256(absolute, 'wordTable.sha256', tableRef.file, tableRef.sha256, actual);
      },
    }),
  });
  const wordMap = mapRef
    ? await readFloat32(absolute, 'wordMap.file', mapRef.file, mapRef.from * mapRef.to)
    : null;

  return {
    dir: absolute,
    manifest,
    modelPath: path.join(absolute, manifest.model.file),
    modelFiles: modelOnUse
      ? modelFilesCheckedOnUse(absolute, manifest, cache)
      : modelFilesOf(absolute, manifest),
    labels,
    labelVectors,
    wordTable,
    wordMap,
  };
}
