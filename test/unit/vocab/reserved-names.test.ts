/**
 * Names from users and packs never reach Object.prototype: a pack id such as `constructor` is
 * refused by the schema, and labels called `keys`, `prototype`, `constructor` or `toString` are
 * labels like any other — kept in null-prototype records, saved and loaded again.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { loadPack } from '../../../src-main/engine/model/pack.js';
import {
  catalogueSchema,
  emptyCatalogue,
} from '../../../src-main/engine/store/catalogue-schema.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { TINY_WORDS, tinyWordTable, writeTinyPack } from '../../helpers/tiny-pack.js';

const NAMES = ['keys', 'prototype', 'constructor', 'tostring', 'valueof'];

/** The tiny pack with the awkward names in its word table. */
async function packWithNames(dir: string): Promise<void> {
  const words = tinyWordTable({
    ...TINY_WORDS,
    ...Object.fromEntries(NAMES.map((name, i) => [name, [1, i / 10, 0.5]])),
  });
  await writeTinyPack(dir, {
    mutate: (manifest) => {
      manifest.wordTable = {
        file: 'names.awt',
        sha256: createHash('sha256').update(words).digest('hex'),
        dim: 3,
      };
    },
  });
  await writeFile(path.join(dir, 'names.awt'), words);
}

describe('reserved names', () => {
  const open: Engine[] = [];
  afterEach(async () => {
    for (const engine of open.splice(0)) await engine.close();
  });

  it('refuses pack ids that name members of Object.prototype', async () => {
    const root = await tempDir();
    for (const id of ['constructor', 'prototype']) {
      const dir = await writeTinyPack(path.join(root, id), { id });
      await expect(loadPack(dir)).rejects.toMatchObject({
        code: 'PACK_INVALID',
        message: expect.stringMatching(/id.*reserved/),
      });
    }
    const engine = await Engine.open({ dataDir: path.join(root, 'data'), packRoots: [] });
    open.push(engine);
    await expect(new Api(engine).call('usePack', { id: 'constructor' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('keeps labels called keys, prototype, constructor… like any other', async () => {
    const root = await tempDir();
    await packWithNames(path.join(root, 'packs', 'tiny'));
    const options = {
      dataDir: path.join(root, 'data'),
      packRoots: [path.join(root, 'packs')],
      provider: 'cpu' as const,
    };
    const photos = path.join(root, 'photos');
    await mkdir(photos);
    await solidImage(path.join(photos, 'red.png'), [255, 0, 0]);
    await solidImage(path.join(photos, 'blue.png'), [0, 0, 255]);
    const engine = await Engine.open(options);
    open.push(engine);
    const api = new Api(engine);
    await api.call('indexPaths', { paths: [photos] });
    for (const name of NAMES) {
      await api.call('addLabel', { text: name });
      await api.call('setLabelThreshold', { label: name, threshold: 0.25 });
    }
    await api.call('hideLabel', { label: 'red', hidden: true });
    expect(typeof Object.keys).toBe('function');
    expect(Object.prototype).not.toHaveProperty('manual');
    await engine.close();
    open.pop();

    const again = await Engine.open(options);
    open.push(again);
    const { labels } = await new Api(again).call('listLabels', { kind: 'user' });
    expect(labels.map((l) => l.name).sort()).toEqual([...NAMES].sort());
    for (const label of labels) expect(label.threshold?.value).toBe(0.25);
    const data = again.catalogue.data;
    expect(Object.getPrototypeOf(data.vocabulary.thresholds['tiny'])).toBeNull();
    expect(Object.getPrototypeOf(data.vocabulary.seen)).toBeNull();
  });

  it('never lets a stored "__proto__" key set a prototype', () => {
    const json = JSON.parse(JSON.stringify(emptyCatalogue())) as Record<string, unknown>;
    json.embeddingFiles = JSON.parse('{"__proto__": {"generation": 1}, "tiny": {"generation": 2}}');
    const parsed = catalogueSchema.parse(json);
    expect(Object.getPrototypeOf(parsed.embeddingFiles)).toBeNull();
    expect(Object.keys(parsed.embeddingFiles)).toEqual(['tiny']);
    expect(({} as Record<string, unknown>).generation).toBeUndefined();
  });
});
