import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../../src-main/engine/library/library.js';
import { Catalogue } from '../../../src-main/engine/store/catalogue.js';
import { PackEmbeddings } from '../../../src-main/engine/index/pack-embeddings.js';
import type { IndexJobResult, IndexRunner } from '../../../src-main/engine/workers/index-job.js';
import { tempDir } from '../../helpers/temp.js';

/** A runner that hashes each file's real bytes and counts the files it "embeds". */
function countingRunner() {
  const embedded: string[] = [];
  const runner: IndexRunner = {
    provider: 'stub',
    parallelBatches: 1,
    run: async (files) =>
      Promise.all(
        files.map(async (file): Promise<IndexJobResult> => {
          embedded.push(file);
          const bytes = await readFile(file);
          const info = await stat(file);
          return {
            file,
            size: info.size,
            mtimeMs: info.mtimeMs,
            hash: createHash('sha256').update(bytes).digest('hex'),
            ok: true,
            matrix: Float32Array.from({ length: 6 }, (_, j) => bytes[0]! + j),
            width: 1,
            height: 1,
            format: 'jpeg',
            thumb: false,
          };
        }),
      ),
    close: async () => undefined,
  };
  return { runner, embedded };
}

async function open(dataDir: string, runner: IndexRunner, retiredMs?: number) {
  const catalogue = await Catalogue.open(dataDir, { debounceMs: 1 });
  const embeddings = await PackEmbeddings.open(dataDir, catalogue, 'tiny', 2, 3);
  const library = new Library(catalogue, embeddings, runner, {
    limboMs: 10,
    ...(retiredMs !== undefined && { retiredMs }),
  });
  return { catalogue, embeddings, library };
}

async function photoFolder(dir: string): Promise<string> {
  const folder = path.join(dir, 'photos');
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'a.jpg'), 'abcd');
  await writeFile(path.join(folder, 'b.jpg'), 'wxyz');
  await writeFile(path.join(folder, 'copy-of-a.jpg'), 'abcd');
  return folder;
}

describe('removing a folder and adding it back', () => {
  it('revives its photos by content hash: same ids and tags, no model run', async () => {
    const dir = await tempDir();
    const folder = await photoFolder(dir);
    const { runner, embedded } = countingRunner();
    const { catalogue, embeddings, library } = await open(path.join(dir, 'data'), runner);
    await library.addFolder(folder);
    await library.queue.drained();
    expect(embedded).toHaveLength(3);
    const before = catalogue.photos().map((p) => ({ id: p.id, path: p.path }));
    const a = catalogue.photoByPath(path.join(folder, 'a.jpg'))!;
    catalogue.setTags(a, [{ label: 'dog', score: 1, seen: true, row: 0, vote: 'up' }]);

    expect(await library.removeFolder(folder)).toBe(3);
    expect(catalogue.photos()).toHaveLength(0);
    expect(embeddings.searchIndex.size).toBe(0);
    expect(catalogue.retiredPhotos()).toHaveLength(3);

    await library.addFolder(folder);
    await library.queue.drained();
    expect(embedded).toHaveLength(3);
    const after = catalogue.photos().map((p) => ({ id: p.id, path: p.path }));
    expect(after.sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      before.sort((x, y) => x.id.localeCompare(y.id)),
    );
    const back = catalogue.photoByPath(path.join(folder, 'a.jpg'))!;
    expect(back).toMatchObject({ id: a.id, state: 'indexed' });
    expect(back.tags[0]).toMatchObject({ label: 'dog', vote: 'up' });
    expect(embeddings.searchIndex.size).toBe(3);
    expect(catalogue.retiredPhotos()).toHaveLength(0);
    expect(Array.from((await embeddings.matrixOf(back))!)).toEqual(
      Array.from({ length: 6 }, (_, j) => 'a'.charCodeAt(0) + j),
    );
    await library.close();
  });

  it('keeps retired photos across a restart, and forgets them after the grace period', async () => {
    const dir = await tempDir();
    const data = path.join(dir, 'data');
    const folder = await photoFolder(dir);
    const { runner, embedded } = countingRunner();
    const first = await open(data, runner);
    await first.library.addFolder(folder);
    await first.library.queue.drained();
    await first.library.removeFolder(folder);
    await first.library.close();
    await first.embeddings.close();

    // A new session: the retired records and their slots are still there.
    const second = await open(data, runner);
    expect(second.catalogue.retiredPhotos()).toHaveLength(3);
    expect(second.embeddings.store.unusedSlots).toBe(0);
    await second.library.close();
    await second.embeddings.close();

    // A session whose grace period is over forgets them: adding the folder runs the model.
    const third = await open(data, runner, 0);
    expect(third.catalogue.retiredPhotos()).toHaveLength(0);
    await third.library.addFolder(folder);
    await third.library.queue.drained();
    expect(embedded).toHaveLength(6);
    expect(third.catalogue.photos()).toHaveLength(3);
    await third.library.close();
  });
});
