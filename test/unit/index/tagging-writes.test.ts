/**
 * A label edit writes only the photos whose tags it changes: a photo whose tags come back the
 * same (label, score, row, vote) keeps its tag records, so the store rewrites O(changed photos),
 * not the whole library.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import type { Tag } from '../../../src-main/engine/store/catalogue-schema.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

const COLOURS: Record<string, [number, number, number]> = {
  red: [255, 0, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
  teal: [0, 160, 255],
};

describe('tag writes of a label edit', () => {
  let engine: Engine;
  let api: Api;
  let photos: string;

  beforeAll(async () => {
    const root = await tempDir();
    await writeTinyPack(path.join(root, 'packs', 'tiny'));
    photos = path.join(root, 'photos');
    await mkdir(photos);
    for (const [name, rgb] of Object.entries(COLOURS)) {
      await solidImage(path.join(photos, `${name}.png`), rgb);
    }
    engine = await Engine.open({
      dataDir: path.join(root, 'data'),
      packRoots: [path.join(root, 'packs')],
      provider: 'cpu',
      indexWorkers: 0,
    });
    api = new Api(engine);
    await api.call('indexPaths', { paths: [photos] });
    await api.call('recalibrate', {});
  });
  afterAll(() => engine?.close());

  const tagRecords = (): Map<string, Tag[]> =>
    new Map(engine.catalogue.photos().map((p) => [path.basename(p.path), p.tags]));

  it('rewrites no photo when a full re-tag changes no tags', async () => {
    const before = tagRecords();
    expect([...before.values()].some((tags) => tags.length > 0)).toBe(true);
    await api.call('recalibrate', {});
    for (const [name, tags] of tagRecords()) expect(tags, name).toBe(before.get(name));
  });

  it('re-tags a full recalibration from its own scores exactly as from a fresh pass', async () => {
    // calibrateAll hands the scores it calibrated from to the re-tag when the library did not
    // change in between; a re-tag that scores every label again must find nothing to change.
    await api.call('recalibrate', {});
    const before = tagRecords();
    const { tagging, vocabulary } = await engine.activePack();
    expect(await tagging.retag(vocabulary.active(), { all: true })).toBe(0);
    for (const [name, tags] of tagRecords()) expect(tags, name).toBe(before.get(name));
  });

  it('rewrites only the photos a new label tags', async () => {
    const before = tagRecords();
    await api.call('addLabel', { text: 'warm' });
    const after = tagRecords();
    const tagged = [...after].filter(([, tags]) => tags.some((t) => t.key === 'warm'));
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.length).toBeLessThan(after.size);
    for (const [name, tags] of after) {
      if (tags.some((t) => t.key === 'warm')) expect(tags, name).not.toBe(before.get(name));
      else expect(tags, name).toBe(before.get(name)); // not rewritten
    }
  });
});
