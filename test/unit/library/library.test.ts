import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../../src-main/engine/library/library.js';
import { missingPhotos } from '../../../src-main/engine/library/limbo.js';
import { CANNOT_OPEN_FOLDER } from '../../../src-main/engine/library/scan.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import { Catalogue } from '../../../src-main/engine/store/catalogue.js';
import { PackEmbeddings } from '../../../src-main/engine/index/pack-embeddings.js';
import type { IndexRunner } from '../../../src-main/engine/workers/index-job.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { gatedRunner, openTinyRunner } from '../../helpers/tiny-runner.js';

/** The real tiny-pack runner behind a gate that holds its batches until the test lets them go. */
async function gatedTinyRunner() {
  return gatedRunner((await openTinyRunner()).runner);
}

const RED: [number, number, number] = [255, 0, 0];

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
    const gate = await gatedTinyRunner();
    const { dir, catalogue, library } = await openLibrary(gate.runner);
    const folder = path.join(dir, 'photos');
    await mkdir(folder);
    await solidImage(path.join(folder, 'a.png'), RED);
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
    const gate = await gatedTinyRunner();
    const { dir, catalogue, library } = await openLibrary(gate.runner);
    const [first, second] = [path.join(dir, 'first'), path.join(dir, 'second')];
    for (const folder of [first, second]) {
      await mkdir(folder);
      await solidImage(path.join(folder, 'a.png'), RED);
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
    const gate = await gatedTinyRunner();
    gate.openAll();
    const { dir, catalogue, library } = await openLibrary(gate.runner);
    const outer = path.join(dir, 'outer');
    const inner = path.join(outer, 'inner');
    await mkdir(inner, { recursive: true });
    await solidImage(path.join(inner, 'a.png'), RED);
    await library.addFolder(inner);
    await library.addFolder(outer);
    await library.queue.drained();
    const photo = catalogue.photoByPath(path.join(inner, 'a.png'))!;
    expect(photo).toMatchObject({ state: 'indexed' });
    await library.removeFolder(outer);
    expect(catalogue.photoById(photo.id)).toBe(photo);
    expect(library.embeddings.searchIndex.has(photo.id)).toBe(true);
    await library.close();
  });

  it('keeps a photo whose model run failed pending, with its matrix, hash and tags', async () => {
    const tiny = await openTinyRunner();
    const { dir, catalogue, library } = await openLibrary(tiny.runner);
    const folder = path.join(dir, 'photos');
    await mkdir(folder);
    const file = await solidImage(path.join(folder, 'a.png'), RED);
    await library.addFolder(folder);
    await library.queue.drained();
    const photo = catalogue.photoByPath(file)!;
    expect(photo).toMatchObject({ state: 'indexed' });
    const hash = photo.hash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    photo.tags = [{ label: 'cat', score: 0.9 } as (typeof photo.tags)[number]];
    const embedding = photo.embedding;
    // The model's session is gone: every later run fails in the ONNX runtime (MODEL_RUNTIME).
    await tiny.session.release();
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    await library.scan(catalogue.folder(folder)!);
    await library.queue.drained();
    expect(photo).toMatchObject({ state: 'pending', hash, embedding, error: undefined });
    expect(photo.tags).toHaveLength(1);
    expect(library.embeddings.searchIndex.has(photo.id)).toBe(true);
    await library.close();
  });

  it('keeps the identity of a photo whose file moved while its batch was in flight', async () => {
    const gate = await gatedTinyRunner();
    gate.openAll();
    const { dir, catalogue, library } = await openLibrary(gate.runner);
    const folder = path.join(dir, 'photos');
    await mkdir(folder);
    const [before, after] = [path.join(folder, 'a.png'), path.join(folder, 'b.png')];
    await solidImage(before, RED);
    await library.addFolder(folder);
    await library.queue.drained();
    const photo = catalogue.photoByPath(before)!;
    expect(photo).toMatchObject({ state: 'indexed' });
    photo.tags = [{ label: 'cat', score: 0.9 } as (typeof photo.tags)[number]];
    // Queued again (changed), then renamed before the runner could read it: the real pipeline
    // answers that the file is gone (IO, ENOENT).
    gate.hold();
    await utimes(before, new Date(), new Date(Date.now() + 5000));
    await library.scan(catalogue.folder(folder)!);
    await until(() => gate.started() === 1);
    await rename(before, after);
    const [gone] = (await gate.next())!;
    expect(gone).toMatchObject({ file: before, ok: false, hash: null });
    gate.openAll();
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
