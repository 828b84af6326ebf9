import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import type { PackProgress } from '../../../src-main/engine/model/pack-results.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

describe('model manager on tiny packs', () => {
  let root: string;
  let data: string;
  let photos: string;
  let engine: Engine;
  let api: Api;
  const progress: PackProgress[] = [];

  const userPacks = async (): Promise<string[]> =>
    (await readdir(path.join(data, 'packs')).catch(() => [] as string[])).sort();
  const leftovers = async (): Promise<string[]> =>
    readdir(path.join(data, 'packs-incoming')).catch(() => [] as string[]);
  const searchStillWorks = async (): Promise<void> => {
    const red = await api.call('search', { query: 'red' });
    expect(path.basename(red.hits[0]!.path)).toBe('red.png');
  };

  beforeAll(async () => {
    root = await tempDir();
    data = path.join(root, 'data');
    await writeTinyPack(path.join(root, 'bundled', 'tiny'));
    await writeTinyPack(path.join(root, 'incoming', 'tiny-b'), { id: 'tiny-b' });
    photos = path.join(root, 'photos');
    await mkdir(photos, { recursive: true });
    await solidImage(path.join(photos, 'red.png'), [255, 0, 0]);
    await solidImage(path.join(photos, 'green.png'), [0, 255, 0]);
    await solidImage(path.join(photos, 'blue.png'), [0, 0, 255]);
    engine = await Engine.open({
      dataDir: data,
      packRoots: [path.join(root, 'bundled')],
      provider: 'cpu',
      indexWorkers: 0,
    });
    api = new Api(engine);
    api.on('packProgress', (p) => progress.push(p));
    await api.call('indexPaths', { paths: [photos] });
  });
  afterAll(() => engine.close());

  it('lists the bundled pack as active', async () => {
    const { packs } = await api.call('listPacks', {});
    expect(packs).toEqual([expect.objectContaining({ id: 'tiny', bundled: true, active: true })]);
  });

  it('imports a pack folder, copying only the files pack.json names', async () => {
    const source = path.join(root, 'incoming', 'tiny-b');
    await writeFile(path.join(source, 'notes.txt'), 'not part of the pack');
    const result = await api.call('importPack', { path: source });
    expect(result).toMatchObject({ how: 'copied', pack: { id: 'tiny-b', k: 2, d: 3, labels: 3 } });
    expect(result.pack.dir).toBe(path.join(data, 'packs', 'tiny-b'));
    expect((await readdir(result.pack.dir)).sort()).toEqual([
      'labels.f32',
      'labels.json',
      'model.onnx',
      'pack.json',
      'words.awt',
    ]);
    expect(progress.map((p) => p.phase)).toEqual(['validating', 'installing', 'done']);
    const { packs } = await api.call('listPacks', {});
    expect(packs.map((p) => [p.id, p.bundled, p.active])).toEqual([
      ['tiny', true, true],
      ['tiny-b', false, false],
    ]);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses an id that is already installed', async () => {
    await expect(
      api.call('importPack', { path: path.join(root, 'bundled', 'tiny') }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'already-installed' } });
  });

  it('refuses a bad pack folder naming the field, keeping the active pack working', async () => {
    const bad = await writeTinyPack(path.join(root, 'incoming', 'bad'), {
      id: 'bad',
      mutate: (m) => ((m.model as { sha256: string }).sha256 = '0'.repeat(64)),
    });
    await expect(api.call('importPack', { path: bad })).rejects.toMatchObject({
      code: 'PACK_INVALID',
      message: expect.stringMatching(/model\.sha256/),
    });
    const schema = await writeTinyPack(path.join(root, 'incoming', 'schema'), {
      id: 'schema',
      mutate: (m) => ((m.output as { k: number }).k = 0),
    });
    await expect(api.call('importPack', { path: schema })).rejects.toMatchObject({
      code: 'PACK_INVALID',
      message: expect.stringMatching(/output\.k/),
    });
    // Hashes right, but the model gives 6 numbers where pack.json promises k × d = 9.
    const shape = await writeTinyPack(path.join(root, 'incoming', 'shape'), {
      id: 'shape',
      mutate: (m) => Object.assign(m.output as object, { k: 3 }),
    });
    await expect(api.call('importPack', { path: shape })).rejects.toMatchObject({
      code: 'PACK_INVALID',
    });
    expect(await userPacks()).toEqual(['tiny-b']);
    expect(await leftovers()).toEqual([]);
    await searchStillWorks();
  });

  it('imports an .onnx only with the pack.json beside it that names it', async () => {
    const lone = path.join(root, 'lone');
    await mkdir(lone);
    await rename(path.join(root, 'incoming', 'bad', 'model.onnx'), path.join(lone, 'model.onnx'));
    await expect(
      api.call('importPack', { path: path.join(lone, 'model.onnx') }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { reason: 'onnx-without-manifest' },
    });
    const withManifest = await writeTinyPack(path.join(root, 'incoming', 'tiny-c'), {
      id: 'tiny-c',
    });
    const result = await api.call('importPack', {
      path: path.join(withManifest, 'model.onnx'),
    });
    expect(result.pack.id).toBe('tiny-c');
  });

  it('switches packs and re-embeds the library in the background', async () => {
    const result = await api.call('usePack', { id: 'tiny-b' });
    expect(result).toMatchObject({ pack: { id: 'tiny-b' }, reembedQueued: 3 });
    expect(engine.catalogue.data.settings.activePack).toBe('tiny-b');
    await (await engine.library()).queue.drained();
    const packsOf = engine.catalogue.photos().map((p) => p.embedding?.pack);
    expect(packsOf).toEqual(['tiny-b', 'tiny-b', 'tiny-b']);
    await searchStillWorks();
    const status = await api.call('status', {});
    expect(status.pack).toMatchObject({ id: 'tiny-b' });
  });

  it('keeps the old pack when the new one fails validation', async () => {
    // tiny-c was valid at import; its model is damaged afterwards.
    await writeFile(path.join(data, 'packs', 'tiny-c', 'model.onnx'), 'damaged');
    await expect(api.call('usePack', { id: 'tiny-c' })).rejects.toMatchObject({
      code: 'PACK_INVALID',
      message: expect.stringMatching(/model\.sha256/),
    });
    expect(engine.catalogue.data.settings.activePack).toBe('tiny-b');
    expect((await engine.activePack()).pack.manifest.id).toBe('tiny-b');
    await searchStillWorks();
    await expect(api.call('usePack', { id: 'nowhere' })).rejects.toMatchObject({
      code: 'PACK_NOT_FOUND',
    });
  });

  it('removes user packs only: never a bundled one, never the active one', async () => {
    await expect(api.call('removePack', { id: 'tiny' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/bundled/),
    });
    await expect(api.call('removePack', { id: 'tiny-b' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/active/),
    });
    await api.call('usePack', { id: 'tiny' });
    await (await engine.library()).queue.drained();
    expect(existsSync(path.join(data, 'embeddings', 'tiny-b.aem'))).toBe(true);
    await expect(api.call('removePack', { id: 'tiny-b' })).resolves.toEqual({ removed: 'tiny-b' });
    expect(await userPacks()).toEqual(['tiny-c']);
    expect(existsSync(path.join(data, 'embeddings', 'tiny-b.aem'))).toBe(false);
    await searchStillWorks();
  });
});
