import { createHash } from 'node:crypto';
import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../../src-main/engine/library/library.js';
import { missingPhotos } from '../../../src-main/engine/library/limbo.js';
import { CANNOT_OPEN_FOLDER } from '../../../src-main/engine/library/scan.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import { Catalogue } from '../../../src-main/engine/store/catalogue.js';
import { PackEmbeddings } from '../../../src-main/engine/index/pack-embeddings.js';
import type { IndexJobResult, IndexRunner } from '../../../src-main/engine/workers/index-job.js';
import { tempDir } from '../../helpers/temp.js';

/** A runner that answers each batch only when the test lets it (the model is elsewhere). */
function gatedRunner() {
  const gates: (() => void)[] = [];
  let open = false;
  const runner: IndexRunner = {
    provider: 'stub',
    parallelBatches: 1,
    run: async (files) => {
      if (!open) await new Promise<void>((resolve) => gates.push(resolve));
      return files.map((file, i): IndexJobResult => ({
        file,
        size: 4,
        mtimeMs: 1,
        hash: `hash-${path.basename(file)}`,
        ok: true,
        matrix: Float32Array.from({ length: 6 }, (_, j) => i + j + 1),
        width: 1,
        height: 1,
        format: 'jpeg',
        thumb: false,
      }));
    },
    close: async () => undefined,
  };
  const openAll = (): void => {
    open = true;
    for (const gate of gates.splice(0)) gate();
  };
  return { runner, started: () => gates.length, openAll };
}

async function openLibrary(runner: IndexRunner) {
  const dir = await tempDir();
  const catalogue = await Catalogue.open(path.join(dir, 'data'), { debounceMs: 1 });
  const embeddings = await PackEmbeddings.open(path.join(dir, 'data'), catalogue, 'tiny', 2, 3);
  const library = new Library(catalogue, embeddings, runner, { limboMs: 10 });
  return { dir, catalogue, library };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('library', () => {
  it('does not bring back photos of a folder removed while their batch was in flight', async () => {
    const gate = gatedRunner();
    const { dir, catalogue, library } = await openLibrary(gate.runner);
    const folder = path.join(dir, 'photos');
    await mkdir(folder);
    await writeFile(path.join(folder, 'a.jpg'), 'abcd');
    await library.addFolder(folder);
    await until(() => gate.started() === 1);
    await library.removeFolder(folder);
    expect(catalogue.photos()).toHaveLength(0);
    gate.openAll();
    await library.queue.drained();
    expect(catalogue.photos()).toHaveLength(0);
    await library.close();
  });

  it('keeps watching the other folders when one root cannot be scanned', async () => {
    const gate = gatedRunner();
    const { dir, catalogue, library } = await openLibrary(gate.runner);
    const [first, second] = [path.join(dir, 'first'), path.join(dir, 'second')];
    for (const folder of [first, second]) {
      await mkdir(folder);
      await writeFile(path.join(folder, 'a.jpg'), 'abcd');
      await library.addFolder(folder);
    }
    await until(() => gate.started() === 1);
    gate.openAll();
    await library.queue.drained();
    // The first root is now a file (a drive mounted oddly, a folder replaced): opendir fails.
    await rm(first, { recursive: true });
    await writeFile(first, 'not a folder');
    await expect(library.startWatching()).resolves.toBeUndefined();
    const folders = library.listFolders();
    expect(folders.find((f) => f.path === first)).toMatchObject({ online: false });
    expect(folders.find((f) => f.path === second)).toMatchObject({ online: true, watching: true });
    expect(catalogue.photosUnder(first)).toHaveLength(1);
    await library.close();
  });

  it('keeps the photos of a removed folder that another library folder still holds', async () => {
    const gate = gatedRunner();
    gate.openAll();
    const { dir, catalogue, library } = await openLibrary(gate.runner);
    const outer = path.join(dir, 'outer');
    const inner = path.join(outer, 'inner');
    await mkdir(inner, { recursive: true });
    await writeFile(path.join(inner, 'a.jpg'), 'abcd');
    await library.addFolder(inner);
    await library.addFolder(outer);
    await library.queue.drained();
    const photo = catalogue.photoByPath(path.join(inner, 'a.jpg'))!;
    expect(photo).toMatchObject({ state: 'indexed' });
    await library.removeFolder(outer);
    expect(catalogue.photoById(photo.id)).toBe(photo);
    expect(library.embeddings.searchIndex.has(photo.id)).toBe(true);
    await library.close();
  });

  it('keeps a photo whose model run failed pending, with its matrix, hash and tags', async () => {
    let modelFails = false;
    const runner: IndexRunner = {
      provider: 'stub',
      parallelBatches: 1,
      run: async (files) =>
        files.map((file): IndexJobResult => {
          const facts = { file, size: 4, mtimeMs: modelFails ? 2 : 1, hash: 'h' };
          if (modelFails) {
            return { ...facts, ok: false, error: { code: 'MODEL_RUNTIME', message: 'no memory' } };
          }
          const matrix = Float32Array.from({ length: 6 }, (_, j) => j + 1);
          return { ...facts, ok: true, matrix, width: 1, height: 1, format: 'jpeg', thumb: false };
        }),
      close: async () => undefined,
    };
    const { dir, catalogue, library } = await openLibrary(runner);
    const folder = path.join(dir, 'photos');
    await mkdir(folder);
    const file = path.join(folder, 'a.jpg');
    await writeFile(file, 'abcd');
    await library.addFolder(folder);
    await library.queue.drained();
    const photo = catalogue.photoByPath(file)!;
    photo.tags = [{ label: 'cat', score: 0.9 } as (typeof photo.tags)[number]];
    const embedding = photo.embedding;
    modelFails = true;
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    await library.scan(catalogue.folder(folder)!);
    await library.queue.drained();
    expect(photo).toMatchObject({ state: 'pending', hash: 'h', embedding, error: undefined });
    expect(photo.tags).toHaveLength(1);
    expect(library.embeddings.searchIndex.has(photo.id)).toBe(true);
    await library.close();
  });

  it('keeps the identity of a photo whose file moved while its batch was in flight', async () => {
    const content = 'abcd';
    const sha = createHash('sha256').update(content).digest('hex');
    let vanished = false;
    const runner: IndexRunner = {
      provider: 'stub',
      parallelBatches: 1,
      run: async (files) =>
        files.map((file): IndexJobResult => {
          if (vanished) {
            // What the pipeline answers for a file gone before it was read.
            const error = { code: 'IO' as const, message: 'ENOENT', details: { errno: 'ENOENT' } };
            return { file, size: 0, mtimeMs: 0, hash: null, ok: false, error };
          }
          const matrix = Float32Array.from({ length: 6 }, (_, j) => j + 1);
          return {
            ...{ file, size: content.length, mtimeMs: 1, hash: sha, ok: true, matrix },
            ...{ width: 1, height: 1, format: 'jpeg', thumb: false },
          };
        }),
      close: async () => undefined,
    };
    const { dir, catalogue, library } = await openLibrary(runner);
    const folder = path.join(dir, 'photos');
    await mkdir(folder);
    const [before, after] = [path.join(folder, 'a.jpg'), path.join(folder, 'b.jpg')];
    await writeFile(before, content);
    await library.addFolder(folder);
    await library.queue.drained();
    const photo = catalogue.photoByPath(before)!;
    photo.tags = [{ label: 'cat', score: 0.9 } as (typeof photo.tags)[number]];
    // Queued again (changed), then renamed before the worker could read it.
    await utimes(before, new Date(), new Date(Date.now() + 5000));
    vanished = true;
    await library.scan(catalogue.folder(folder)!);
    await rename(before, after);
    await library.queue.drained();
    await library.scan(catalogue.folder(folder)!);
    await library.queue.drained();
    expect(catalogue.photoByPath(after)).toBe(photo);
    expect(photo.tags).toHaveLength(1);
    await library.close();
  });
});

describe('missing photos after a scan', () => {
  const photo = (file: string): PhotoRecord => ({
    id: file,
    path: file,
    size: 1,
    mtimeMs: 1,
    hash: null,
    state: 'indexed',
    tags: [],
  });

  it('expires photos the scan did not find, but not those under a folder it could not open', () => {
    const known = ['/lib/a.jpg', '/lib/gone.jpg', '/lib/locked/b.jpg', '/lib/locked2/c.jpg'].map(
      photo,
    );
    const missing = missingPhotos(
      known,
      ['/lib/a.jpg'],
      [
        { path: '/lib/locked', reason: `${CANNOT_OPEN_FOLDER}: EACCES` },
        { path: '/lib/locked2/notes.txt', reason: 'not a supported image type' },
      ],
    );
    expect(missing.map((p) => p.path)).toEqual(['/lib/gone.jpg', '/lib/locked2/c.jpg']);
  });
});
