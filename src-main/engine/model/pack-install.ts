/**
 * Putting a pack into the data folder: validate it whole (pack.json, every file's sha256, and
 * one run of the model on a grey image), copy only the files pack.json names into a work folder
 * beside the destination, then rename it into place. A refused or failed install leaves nothing.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError } from '../errors.js';
import { toBatch } from './preprocess.js';
import { loadPack, type ModelPack } from './pack.js';
import type { PackManifest } from './pack-schema.js';
import type { ModelSession } from './session.js';

/** Where work folders live: a sibling of packs/, so the final rename stays on one disk. */
export function incomingDir(dataDir: string): string {
  return path.join(dataDir, 'packs-incoming');
}

export async function newWorkDir(dataDir: string, id: string): Promise<string> {
  const dir = path.join(incomingDir(dataDir), `${id}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * loadPack (schema, hashes, sizes) plus one model run: the ONNX file must load, have the named
 * input and output, and give k·d finite numbers per image. Throws PACK_INVALID naming the field.
 */
export async function validatePack(dir: string): Promise<ModelPack> {
  const pack = await loadPack(dir);
  const variants = (pack.manifest.model.variants ?? []).map((v, i) => ({
    file: v.file,
    field: `model.variants.${i}.file`,
  }));
  for (const model of [{ file: pack.manifest.model.file, field: 'model.file' }, ...variants]) {
    await checkModelRuns(pack, model.file, model.field);
  }
  return pack;
}

/** One run of one of the pack's model files on two different images (grey, a pattern), on the CPU. */
async function checkModelRuns(pack: ModelPack, file: string, field: string): Promise<void> {
  const { input, output } = pack.manifest;
  let session: ModelSession | undefined;
  try {
    // onnxruntime-node loads when a pack is installed, not with every command's start-up.
    const { ModelSession } = await import('./session.js');
    session = await ModelSession.create(
      path.join(pack.dir, file),
      { inputName: input.name, output },
      { provider: 'cpu', threads: 1 },
    );
    // Two different images: a plain grey one and a colourful pattern.
    const size = input.width * input.height * 3;
    const grey = new Uint8Array(size).fill(128);
    const pattern = new Uint8Array(size).map((_, i) => (i * 97 + (i % 3) * 85) % 256);
    const { pixels, dims } = toBatch([grey, pattern], input);
    const values = await session.run(pixels, dims);
    const per = output.k * output.d;
    if (values.length !== 2 * per || !values.every(Number.isFinite)) {
      throw new AnytagError(
        'PACK_INVALID',
        `Model pack ${pack.dir}: output "${output.name}" of ${file} gives ${values.length / 2} values per image (finite: ${values.every(Number.isFinite)}), pack.json says k × d = ${per}`,
        { pack: pack.dir, field: 'output' },
      );
    }
    assertInformative(pack.dir, output.name, values.subarray(0, per), values.subarray(per));
  } catch (error) {
    if (error instanceof AnytagError && error.code === 'PACK_INVALID') throw error;
    throw new AnytagError(
      'PACK_INVALID',
      `Model pack ${pack.dir}: ${field} "${file}" does not run (${(error as Error).message})`,
      { pack: pack.dir, field },
      error,
    );
  } finally {
    await session?.release();
  }
}

/**
 * A model whose output is all zeros, or the same for two very different images, cannot tell
 * photos apart (e.g. a crafted or broken checkpoint): refused, whatever its shape.
 */
function assertInformative(
  dir: string,
  outputName: string,
  first: Float32Array,
  second: Float32Array,
): void {
  let scale = 0;
  let difference = 0;
  for (let i = 0; i < first.length; i++) {
    scale = Math.max(scale, Math.abs(first[i]!), Math.abs(second[i]!));
    difference = Math.max(difference, Math.abs(first[i]! - second[i]!));
  }
  if (scale === 0 || difference <= 1e-6 * scale) {
    throw new AnytagError(
      'PACK_INVALID',
      `Model pack ${dir}: output "${outputName}" is ${scale === 0 ? 'all zeros' : 'the same'} for two different images; the model cannot tell photos apart`,
      { pack: dir, field: 'model.file', reason: 'constant-output' },
    );
  }
}

/** The files a pack consists of: pack.json and every file it names. */
export function packFiles(manifest: PackManifest): string[] {
  const { model, labels, wordTable, wordMap } = manifest;
  return [
    model.file,
    ...(model.variants ?? []).map((v) => v.file),
    labels.file,
    labels.vectors,
    wordTable.file,
    ...(wordMap ? [wordMap.file] : []),
    'pack.json',
  ];
}

/** Copies a validated pack's files (pack.json last) into `work`. */
export async function copyPackFiles(pack: ModelPack, work: string): Promise<void> {
  for (const file of packFiles(pack.manifest)) {
    await copyFile(path.join(pack.dir, file), path.join(work, file));
  }
}

/**
 * Renames a complete work folder to `dest` (which must not exist) and re-reads it. It is validated first, so a pack that fails never
 * becomes installed, and removed again if it does not load from its new place.
 */
export async function installWorkDir(work: string, dest: string): Promise<ModelPack> {
  await loadPack(work);
  await mkdir(path.dirname(dest), { recursive: true });
  try {
    await rename(work, dest);
  } catch (error) {
    throw new AnytagError(
      'IO',
      `Cannot install the pack into ${dest} (${(error as Error).message})`,
      { dest },
      error,
    );
  }
  try {
    return await loadPack(dest);
  } catch (error) {
    await removeQuietly(dest);
    throw error;
  }
}

export async function writeBuildInfo(dir: string, info: Record<string, unknown>): Promise<void> {
  await writeFile(path.join(dir, 'build-info.json'), `${JSON.stringify(info, null, 2)}\n`);
}

export async function removeQuietly(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}
