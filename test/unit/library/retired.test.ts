/**
 * Removing a folder and adding it back, on the real engine (tiny pack, in-process indexing):
 * the model runs are counted by what indexing reports (`indexed`: photos the model embedded),
 * so a re-add that ran the model again would show up there.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import {
  openTinyEngine,
  tinyLibrary,
  type Rgb,
  type TinyLibrary,
} from '../../helpers/engine-fixture.js';
import { expectedTinyMatrix } from '../../helpers/tiny-pack.js';

const RED: Rgb = [255, 0, 0];

/** The tiny library with photos/: red a, green b, and a copy of a. */
async function tinyRoot(): Promise<{ root: TinyLibrary; folder: string }> {
  const root = await tinyLibrary({ colours: { a: RED, b: [0, 255, 0] } });
  await copyFile(root.photo('a'), path.join(root.photos, 'copy-of-a.png'));
  return { root, folder: root.photos };
}

async function openEngine(root: TinyLibrary, retiredMs?: number): Promise<Engine> {
  const library = { limboMs: 10, ...(retiredMs !== undefined && { retiredMs }) };
  return (await openTinyEngine(root, { catalogueDebounceMs: 1, library })).engine;
}

/** Adds (or re-adds) a folder; returns how many photos the model embedded for it. */
async function modelRuns(engine: Engine, folder: string): Promise<number> {
  return (await engine.indexPaths([folder])).indexed;
}

describe('removing a folder and adding it back', () => {
  it('revives its photos by content hash: same ids and tags, no model run', async () => {
    const { root, folder } = await tinyRoot();
    const engine = await openEngine(root);
    const { catalogue } = engine;
    const library = await engine.library();
    const { embeddings } = await engine.activePack();
    expect(await modelRuns(engine, folder)).toBe(3);
    const before = catalogue.photos().map((p) => ({ id: p.id, path: p.path }));
    const a = catalogue.photoByPath(path.join(folder, 'a.png'))!;
    const matrixBefore = Array.from((await embeddings.matrixOf(a))!);
    // A vote the user gave (blue on a red photo): only this photo's id carries it.
    await new Api(engine).call('tagFeedback', { photo: a.path, label: 'blue', vote: 'up' });
    expect(a.tags.find((t) => t.label === 'blue')).toMatchObject({ vote: 'up' });

    expect(await library.removeFolder(folder)).toBe(3);
    expect(catalogue.photos()).toHaveLength(0);
    expect(embeddings.searchIndex.size).toBe(0);
    expect(catalogue.retiredPhotos()).toHaveLength(3);

    const report = await engine.indexPaths([folder]);
    expect(report.indexed).toBe(0); // no model run: all three revived
    expect(report.unchanged).toBe(3);
    const after = catalogue.photos().map((p) => ({ id: p.id, path: p.path }));
    expect(after.sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      before.sort((x, y) => x.id.localeCompare(y.id)),
    );
    const back = catalogue.photoByPath(path.join(folder, 'a.png'))!;
    expect(back).toMatchObject({ id: a.id, state: 'indexed' });
    expect(back.tags.find((t) => t.label === 'blue')).toMatchObject({ label: 'blue', vote: 'up' });
    expect(embeddings.searchIndex.size).toBe(3);
    expect(catalogue.retiredPhotos()).toHaveLength(0);
    const matrixAfter = Array.from((await embeddings.matrixOf(back))!);
    expect(matrixAfter).toEqual(matrixBefore);
    expectedTinyMatrix(RED, 'kd').forEach((value, i) => {
      expect(matrixAfter[i]).toBeCloseTo(value, 2);
    });
    await engine.close();
  });

  it('keeps retired photos across a restart, and forgets them after the grace period', async () => {
    const { root, folder } = await tinyRoot();
    const first = await openEngine(root);
    expect(await modelRuns(first, folder)).toBe(3);
    await (await first.library()).removeFolder(folder);
    await first.close();

    // A new session: the retired records and their slots are still there.
    const second = await openEngine(root);
    await second.library();
    expect(second.catalogue.retiredPhotos()).toHaveLength(3);
    expect((await second.activePack()).embeddings.store.unusedSlots).toBe(0);
    await second.close();

    // A session whose grace period is over forgets them: adding the folder runs the model.
    const third = await openEngine(root, 0);
    await third.library();
    expect(third.catalogue.retiredPhotos()).toHaveLength(0);
    expect(await modelRuns(third, folder)).toBe(3);
    expect(third.catalogue.photos()).toHaveLength(3);
    await third.close();
  });
});
