/**
 * Vocabulary and search on the real starter pack over the reference photos: boolean queries,
 * a user label with its calibrated threshold, feedback, filters — after indexing, with the
 * model file moved away so that any model use would fail.
 */
import { copyFile, mkdir, readdir, rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { REFERENCE_PHOTOS, STARTER_PACK, requireBuilt } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';

const name = (p: string) => path.basename(p, path.extname(p));
const photo = (n: string) => path.join(REFERENCE_PHOTOS, `${n}.jpg`);

describe('vocabulary and search on the starter pack, without the model', () => {
  let root: string;
  let engine: Engine;
  let api: Api;
  const open = async (): Promise<void> => {
    engine = await Engine.open({
      dataDir: path.join(root, 'data'),
      packRoots: [path.join(root, 'packs')],
      provider: 'cpu',
      thumbnails: false,
    });
    api = new Api(engine);
  };
  const search = async (query: string, options: Record<string, unknown> = {}) =>
    (await api.call('search', { query, limit: 11, ...options })).hits;
  const matched = async (query: string) =>
    (await search(query, { matchedOnly: true })).map((h) => name(h.path)).sort();
  const tagged = (label: string) =>
    engine.catalogue
      .photos()
      .filter((p) => p.tags.some((t) => t.label === label))
      .map((p) => name(p.path))
      .sort();

  beforeAll(async () => {
    requireBuilt(STARTER_PACK, 'run `npm run build:packs` first');
    root = await tempDir();
    // The pack by links, but its own copies of the models (model.onnx and any variant such as
    // the INT8 one the build declares when it passes its gates), moved away after indexing.
    const pack = path.join(root, 'packs', 'starter');
    await mkdir(pack, { recursive: true });
    const models = (await readdir(STARTER_PACK)).filter((f) => f.endsWith('.onnx'));
    for (const file of await readdir(STARTER_PACK)) {
      if (models.includes(file))
        await copyFile(path.join(STARTER_PACK, file), path.join(pack, file));
      else await symlink(path.join(STARTER_PACK, file), path.join(pack, file));
    }
    await open();
    expect(await api.call('indexPaths', { paths: [REFERENCE_PHOTOS] })).toMatchObject({
      indexed: 11,
      failed: 0,
    });
    await engine.close();
    await open();
    await engine.activePack();
    for (const file of models) await rename(path.join(pack, file), path.join(pack, `${file}.gone`));
  });
  afterAll(() => engine?.close());

  it('matches "bird" on exactly the bird, the owl and the parrot', async () => {
    expect(await matched('bird')).toEqual(['bird', 'owl', 'parrot']);
    const [top] = await search('bird');
    expect(top!.why[0]).toMatchObject({ source: 'seen', label: 'bird', matched: true });
  });

  it('excludes with NOT, even from the weaker results', async () => {
    expect(await matched('animal -bird')).toEqual(['cat', 'cat_720p', 'dragonfly', 'pets']);
    const all = (await search('animal -bird')).map((h) => name(h.path));
    for (const bird of ['bird', 'owl', 'parrot']) expect(all).not.toContain(bird);
    expect(await matched('animal NOT (bird OR insect)')).toEqual(['cat', 'cat_720p', 'pets']);
  });

  it('ORs labels and free words, and ANDs by default', async () => {
    expect(await matched('hotdog OR insect')).toEqual(['dragonfly', 'hot_dog']);
    expect(await matched('animal insect')).toEqual(['dragonfly']);
    const [dragonfly] = await search('animal insect');
    expect(dragonfly!.score).toBeCloseTo(Math.min(...dragonfly!.why.map((w) => w.score)), 4);
  });

  it('filters by folder and date', async () => {
    expect(await search('bird', { folders: [path.join(root, 'elsewhere')] })).toEqual([]);
    expect(await search(`bird folder:${REFERENCE_PHOTOS}`, { matchedOnly: true })).toHaveLength(3);
    expect(await search('bird', { after: '2999-01-01' })).toEqual([]);
  });

  it('adds "kitten": previewed first, then saved with a calibrated threshold and tags', async () => {
    const preview = await api.call('previewLabel', { text: 'kitten' });
    const previewed = preview.photos.map((p) => name(p.path)).sort();
    expect(previewed).toEqual(expect.arrayContaining(['cat', 'cat_720p']));
    expect(previewed).not.toContain('hot_dog');
    expect(tagged('kitten')).toEqual([]);
    const added = await api.call('addLabel', { text: 'Kitten' });
    expect(added.label.threshold!.value).toBeCloseTo(preview.threshold, 4);
    expect(tagged('kitten')).toEqual(previewed);
    const tag = engine.catalogue.photoByPath(photo('cat'))!.tags.find((t) => t.label === 'kitten');
    expect(tag).toMatchObject({ key: 'kitten', seen: false, pack: 'starter-mobilenetv2-glove100' });
  });

  it('moves the threshold with a thumbs-down and re-tags from stored embeddings', async () => {
    const weakest = (await search('kitten', { matchedOnly: true })).at(-1)!;
    const down = await api.call('tagFeedback', {
      photo: weakest.path,
      label: 'kitten',
      vote: 'down',
    });
    expect(down.threshold.after).toBeCloseTo(down.score + 0.001, 3);
    expect(down.threshold.after!).toBeGreaterThan(down.threshold.before!);
    expect(tagged('kitten')).not.toContain(name(weakest.path));
    expect(tagged('kitten').length).toBeGreaterThan(0);
  });

  it('never made a model session', async () => {
    expect(engine.provider).toBeUndefined();
    // The model file is checked when a session would read it (model/pack.ts modelCheckedOnUse):
    // gone, it is refused before any session is made.
    await expect(engine.embedder()).rejects.toMatchObject({
      code: 'PACK_INVALID',
      message: expect.stringMatching(/model/),
    });
  });
});
