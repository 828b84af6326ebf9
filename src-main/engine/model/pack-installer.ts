/**
 * The pack installer: which packs are installed (bundled ones and those in <dataDir>/packs),
 * installing more (a pack folder, an .onnx with its pack.json, an official SDL checkpoint to
 * convert, or that checkpoint downloaded) and deleting a user pack's folder. Switching the active
 * pack, and what removal does to the catalogue, live in ../pack-switch.ts.
 *
 * Every install is validated whole before it lands, so a refused import changes nothing.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError } from '../errors.js';
import { convertOfficialCheckpoint } from './convert/convert-official.js';
import { downloadCancelled } from './convert/download-checkpoint.js';
import { fetchOfficialCheckpoint, type FetchOptions } from './official-download.js';
import {
  findSdlLabelsDir,
  loadSdlLabels,
  OFFICIAL_SDL_PACK_ID,
  SDL_LABELS_FOLDER,
  type SdlLabels,
  WORD_TABLE_PACK_ID,
} from './official-sdl.js';
import { sha256File } from '../store/file-hash.js';
import { MAX_PACK_FILE_BYTES, readManifest, type ModelPack } from './pack.js';
import type { ImportPackResult, InstalledPackResult, PackProgress } from './pack-results.js';
import {
  copyPackFiles,
  installWorkDir,
  newWorkDir,
  removeQuietly,
  validatePack,
  writeBuildInfo,
} from './pack-install.js';
import { findPack, listPacks, type PackEntry } from './pack-registry.js';

export interface PackManagerOptions {
  /** NUS-WIDE label resources; default: the sdl-labels folder beside a pack root. */
  sdlLabelsDir?: string;
  /** Word table for converted checkpoints' unseen words; default: the starter pack's. */
  wordTablePath?: string;
}

export interface InstalledPack extends PackEntry {
  /** Shipped with the app (read-only) rather than added to the data folder. */
  bundled: boolean;
  active: boolean;
}

export interface ImportOptions {
  id?: string;
  name?: string;
  onProgress?: (p: PackProgress) => void;
}

interface CheckpointImport extends ImportOptions {
  source?: string;
  origin?: Record<string, unknown>;
  /** The user's Cancel: checked before the converted pack is installed. */
  signal?: AbortSignal;
}

/** Where packs live and which one is chosen: the Engine is one. */
export interface PackPlaces {
  readonly options: { readonly dataDir: string };
  /** Folders holding pack folders, in search order; the data folder's packs/ last. */
  readonly packRoots: string[];
  readonly selectedPackId: string | undefined;
}

export class PackInstaller {
  constructor(
    private readonly engine: PackPlaces,
    private readonly options: PackManagerOptions = {},
  ) {}

  private get userRoot(): string {
    return path.join(this.engine.options.dataDir, 'packs');
  }

  async list(): Promise<InstalledPack[]> {
    const entries = await listPacks(this.engine.packRoots);
    const activeId = this.engine.selectedPackId ?? entries.find((e) => e.manifest)?.manifest?.id;
    return entries.map((entry) => ({
      ...entry,
      bundled: path.dirname(entry.dir) !== this.userRoot,
      active: entry.manifest !== null && entry.manifest.id === activeId,
    }));
  }

  /** A pack folder, an .onnx inside one, or anything else as an official SDL checkpoint. */
  async import(source: string, options: ImportOptions = {}): Promise<ImportPackResult> {
    const absolute = path.resolve(source);
    const info = await stat(absolute).catch(() => null);
    if (!info) throw new AnytagError('NOT_FOUND', `${source} does not exist`, { path: source });
    if (info.isDirectory()) return this.importFolder(absolute, options);
    // A device (/dev/zero) or a named pipe would never end; a huge file would exhaust memory.
    if (!info.isFile()) {
      throw new AnytagError('INVALID_INPUT', `${source} is not a regular file or a pack folder`, {
        path: source,
      });
    }
    if (info.size > MAX_PACK_FILE_BYTES) {
      throw new AnytagError(
        'INVALID_INPUT',
        `${source} is ${info.size} bytes, over the ${MAX_PACK_FILE_BYTES}-byte limit for a model`,
        { path: source, size: info.size },
      );
    }
    if (absolute.toLowerCase().endsWith('.onnx')) return this.importOnnx(absolute, options);
    return this.importCheckpoint(absolute, options);
  }

  /**
   * Downloads (resuming a broken download) and converts the authors' checkpoint. Aborting
   * `options.signal` (Cancel) at any point fails with CANCELLED and leaves nothing: no .part, no
   * downloaded file, no pack folder (a failed conversion keeps the download, to convert again).
   */
  async downloadOfficial(options: FetchOptions = {}): Promise<ImportPackResult> {
    await this.assertFree(OFFICIAL_SDL_PACK_ID);
    await this.conversionInputs(); // before 135 MB are fetched for nothing
    const fetched = await fetchOfficialCheckpoint(this.engine.options.dataDir, options);
    let result: ImportPackResult;
    try {
      result = await this.importCheckpoint(fetched.file, {
        ...(options.onProgress && { onProgress: options.onProgress }),
        ...(options.signal && { signal: options.signal }),
        source: fetched.source,
        origin: fetched.origin,
      });
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      await rm(fetched.file, { force: true });
      throw downloadCancelled(fetched.origin.url);
    }
    await rm(fetched.file, { force: true });
    return result;
  }

  /**
   * Deletes a user pack's folder: never a bundled pack, never the active one (INVALID_INPUT).
   * The catalogue's pointers into its embeddings are the caller's (pack-switch.ts).
   */
  async remove(id: string): Promise<void> {
    const entry = await findPack(this.engine.packRoots, id);
    if (path.dirname(entry.dir) !== this.userRoot) {
      throw new AnytagError(
        'INVALID_INPUT',
        `Pack "${id}" is bundled with the app (${entry.dir}); only packs you added can be removed`,
        { id, dir: entry.dir },
      );
    }
    const active = (await this.list()).find((p) => p.active)?.manifest?.id;
    if (active === id) {
      throw new AnytagError(
        'INVALID_INPUT',
        `Pack "${id}" is the active pack; switch to another one first (anytag pack use <id>)`,
        { id },
      );
    }
    await rm(entry.dir, { recursive: true, force: true });
  }

  private async importFolder(dir: string, options: ImportOptions): Promise<ImportPackResult> {
    options.onProgress?.({ operation: 'import', phase: 'validating' });
    const pack = await validatePack(dir);
    const id = pack.manifest.id;
    if (options.id && options.id !== id) {
      throw new AnytagError(
        'INVALID_INPUT',
        `${dir}: its pack.json says id "${id}"; a pack folder keeps its own id (edit pack.json to change it)`,
        { field: 'id', id: options.id, packId: id },
      );
    }
    await this.assertFree(id);
    const work = await newWorkDir(this.engine.options.dataDir, id);
    try {
      options.onProgress?.({ operation: 'import', phase: 'installing' });
      await copyPackFiles(pack, work);
      const installed = await installWorkDir(work, path.join(this.userRoot, id));
      options.onProgress?.({ operation: 'import', phase: 'done' });
      return { pack: installedResult(installed), how: 'copied' };
    } finally {
      await removeQuietly(work);
    }
  }

  /** An .onnx alone says neither how to feed it nor what its output means: it needs pack.json. */
  private async importOnnx(file: string, options: ImportOptions): Promise<ImportPackResult> {
    const dir = path.dirname(file);
    const manifest = await readManifest(dir).catch((error: unknown) => {
      if (error instanceof AnytagError && error.code === 'PACK_NOT_FOUND') return null;
      throw error;
    });
    if (manifest?.model.file !== path.basename(file)) {
      throw new AnytagError(
        'INVALID_INPUT',
        `${file}: an .onnx file is imported with the pack.json beside it that names it as model.file (docs/model-pack.md); ${manifest ? `the pack.json there names "${manifest.model.file}"` : `there is no pack.json in ${dir}`}`,
        { path: file, reason: 'onnx-without-manifest' },
      );
    }
    return this.importFolder(dir, options);
  }

  private async importCheckpoint(
    file: string,
    options: CheckpointImport,
  ): Promise<ImportPackResult> {
    const id = options.id ?? OFFICIAL_SDL_PACK_ID;
    options.signal?.throwIfAborted();
    await this.assertFree(id);
    const { space, wordTablePath } = await this.conversionInputs();
    const checkpointSha256 = await sha256File(file);
    const progress = options.onProgress;
    const work = await newWorkDir(this.engine.options.dataDir, id);
    try {
      const converted = await convertOfficialCheckpoint({
        checkpointPath: file,
        outDir: path.join(work, 'pack'),
        labels: space.labels,
        labelVectors: space.vectors,
        wordTablePath,
        id,
        ...(options.name && { name: options.name }),
        source:
          options.source ??
          `${path.basename(file)} (sha256 ${checkpointSha256}), an official-format SDL checkpoint converted by Anytag`,
        onProgress: (p) => {
          if (p.phase !== 'done') progress?.({ operation: 'import', ...p });
        },
      });
      progress?.({ operation: 'import', phase: 'validating' });
      await validatePack(converted.packDir);
      await writeBuildInfo(converted.packDir, {
        checkpoint: options.origin ?? { file, sha256: checkpointSha256 },
        labels: { dir: space.dir, count: space.labels.length, unseen: space.unseen.length },
        wordTable: wordTablePath,
        wordMap: { ridgeLambda: converted.ridgeLambda, trainedOn: converted.mapTrainingLabels },
        seconds: converted.seconds,
        peakRssBytes: converted.peakRssBytes,
        labelWarnings: converted.labelWarnings,
        convertedAt: new Date().toISOString(),
      });
      options.signal?.throwIfAborted();
      progress?.({ operation: 'import', phase: 'installing' });
      const installed = await installWorkDir(converted.packDir, path.join(this.userRoot, id));
      progress?.({ operation: 'import', phase: 'done' });
      return {
        pack: installedResult(installed),
        how: 'converted',
        conversion: {
          seconds: converted.seconds,
          peakRssBytes: converted.peakRssBytes,
          checkpointSha256,
          labelWarnings: converted.labelWarnings,
        },
      };
    } finally {
      await removeQuietly(work);
    }
  }

  /** The label space and word table a conversion needs (checked before any download). */
  private async conversionInputs(): Promise<{ space: SdlLabels; wordTablePath: string }> {
    const labelsDir =
      this.options.sdlLabelsDir ??
      findSdlLabelsDir(this.engine.packRoots) ??
      path.join(path.dirname(this.engine.packRoots[0] ?? this.userRoot), SDL_LABELS_FOLDER);
    const space = await loadSdlLabels(labelsDir);
    return { space, wordTablePath: this.options.wordTablePath ?? (await this.starterWordTable()) };
  }

  private async starterWordTable(): Promise<string> {
    const entry = await findPack(this.engine.packRoots, WORD_TABLE_PACK_ID).catch(() => null);
    if (!entry?.manifest) {
      throw new AnytagError(
        'PACK_NOT_FOUND',
        `Converting a checkpoint needs the starter pack's word table (pack "${WORD_TABLE_PACK_ID}"): run \`npm run build:packs\``,
        { id: WORD_TABLE_PACK_ID },
      );
    }
    return path.join(entry.dir, entry.manifest.wordTable.file);
  }

  /** Refuses an id that is already installed (a bundled pack, or one added before). */
  private async assertFree(id: string): Promise<void> {
    const taken = (await listPacks(this.engine.packRoots)).find((p) => p.manifest?.id === id);
    if (taken) {
      throw new AnytagError(
        'INVALID_INPUT',
        `A pack "${id}" is already installed (${taken.dir}); remove it first (anytag pack remove ${id}) or choose another id`,
        { id, dir: taken.dir, reason: 'already-installed' },
      );
    }
  }
}

export function installedResult(pack: ModelPack): InstalledPackResult {
  const { id, name, output, source } = pack.manifest;
  return { id, name, dir: pack.dir, k: output.k, d: output.d, labels: pack.labels.length, source };
}
