/**
 * An installed pack changed under the same id is noticed by its fingerprint and said in words,
 * never by silently dropping embeddings: labels changed → tags recomputed from the stored
 * embeddings (no model run); model output changed → embeddings kept aside, photos re-embedded;
 * unchanged → no message.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine, type EngineOptions } from '../../../src-main/engine/engine.js';
import { fingerprintFile } from '../../../src-main/engine/index/pack-fingerprint.js';
import { EmbeddingStore } from '../../../src-main/engine/store/embedding-store.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

interface Library {
  options: EngineOptions;
  packDir: string;
  photos: string;
}

describe('pack fingerprint', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  async function open(options: EngineOptions): Promise<{ engine: Engine; api: Api }> {
    const engine = await Engine.open(options);
    engines.push(engine);
    return { engine, api: new Api(engine) };
  }

  /** A library of a red and a blue photo, indexed with the tiny pack, engine closed. */
  async function indexedLibrary(): Promise<Library> {
    const root = await tempDir();
    const packDir = await writeTinyPack(path.join(root, 'packs', 'tiny'));
    const photos = path.join(root, 'photos');
    await mkdir(photos);
    await solidImage(path.join(photos, 'red.png'), [255, 0, 0]);
    await solidImage(path.join(photos, 'blue.png'), [0, 0, 255]);
    const options: EngineOptions = {
      dataDir: path.join(root, 'data'),
      packRoots: [path.join(root, 'packs')],
      provider: 'cpu',
      indexWorkers: 0,
    };
    const engine = await Engine.open(options);
    await new Api(engine).call('indexPaths', { paths: [photos] });
    await engine.close();
    return { options, packDir, photos };
  }

  const tagsOf = (engine: Engine, file: string): string[] =>
    engine.catalogue.photoByPath(file)!.tags.map((t) => t.label);

  it('says so when the active pack is not found (its folder not given this time)', async () => {
    const lib = await indexedLibrary();
    const chosen = await open(lib.options);
    await chosen.api.call('usePack', { id: 'tiny' });
    await chosen.engine.close();
    engines.splice(engines.indexOf(chosen.engine), 1);
    const other = path.join(path.dirname(lib.options.dataDir), 'other-packs');
    await writeTinyPack(path.join(other, 'tiny-2'), { id: 'tiny-2' });
    const { api } = await open({ ...lib.options, packRoots: [other] });
    const status = await api.call('status', {});
    expect(status.pack).toBeNull();
    expect(status.photos.indexed).toBe(2);
    expect(status.notices).toEqual([expect.stringMatching(/^No model pack "tiny" in .*tiny-2/)]);
  });

  it('says nothing when the pack is unchanged, and records its fingerprint', async () => {
    const lib = await indexedLibrary();
    expect(await stat(fingerprintFile(lib.options.dataDir, 'tiny'))).toBeTruthy();
    const { engine, api } = await open(lib.options);
    const status = await api.call('status', {});
    expect(status.notices).toBeUndefined();
    expect(status.photos).toEqual({ total: 2, indexed: 2, failed: 0 });
    expect(engine.provider).toBeUndefined(); // the model never ran
  });

  it('re-tags from stored embeddings when labels.json changes, keeping them', async () => {
    const lib = await indexedLibrary();
    const red = path.join(lib.photos, 'red.png');
    const before = await open(lib.options);
    expect(tagsOf(before.engine, red)).toContain('red');
    const slot = before.engine.catalogue.photoByPath(red)!.embedding;
    await before.engine.close();
    engines.length = 0;
    const aem = EmbeddingStore.fileFor(lib.options.dataDir, 'tiny');
    const stored = await readFile(aem);

    const labelsFile = path.join(lib.packDir, 'labels.json');
    const labels = JSON.parse(await readFile(labelsFile, 'utf8')) as { labels: { name: string }[] };
    labels.labels[0]!.name = 'crimson'; // the label with red's vector, renamed
    await writeFile(labelsFile, JSON.stringify(labels));

    const { engine, api } = await open(lib.options);
    const status = await api.call('status', {});
    expect(status.notices).toEqual([
      expect.stringMatching(
        /^Pack tiny changed since its photos were tagged \(labels\.json\): their tags are recomputed from the stored embeddings/,
      ),
    ]);
    await (await engine.activePack()).tagging.settled();
    expect(tagsOf(engine, red)).toContain('crimson');
    const everyTag = engine.catalogue.photos().flatMap((p) => p.tags.map((t) => t.label));
    expect(everyTag).not.toContain('red');
    // The embeddings were kept: same slot, same file, photos still indexed, no model run.
    expect(engine.catalogue.photoByPath(red)!.embedding).toEqual(slot);
    expect((await readFile(aem)).equals(stored)).toBe(true);
    expect(status.photos).toEqual({ total: 2, indexed: 2, failed: 0 });
    expect(engine.provider).toBeUndefined();
    const { hits } = await api.call('search', { query: 'crimson' });
    expect(path.basename(hits[0]!.path)).toBe('red.png');

    await engine.close();
    engines.length = 0;
    const again = await open(lib.options);
    expect((await again.api.call('status', {})).notices).toBeUndefined();
  });

  it("sets embeddings aside and re-embeds when pack.json's output section changes", async () => {
    const lib = await indexedLibrary();
    // Same model file (same sha256), same K and d: only how its output is read changes, which
    // the embedding file's header cannot see.
    await writeTinyPack(lib.packDir, { order: 'dk' });

    const { engine, api } = await open(lib.options);
    const status = await api.call('status', {});
    expect(status.notices).toEqual([
      expect.stringMatching(
        /^Pack tiny changed since its photos were embedded \(pack\.json's output section\): .*set aside and 2 photos will be re-embedded; the old embeddings were kept as .*tiny\.aem\.replaced-\d+$/,
      ),
    ]);
    expect(status.photos.indexed).toBe(0);
    const kept = (await readdir(path.join(lib.options.dataDir, 'embeddings'))).filter((n) =>
      /^tiny\.aem\.replaced-\d+$/.test(n),
    );
    expect(kept).toHaveLength(1);
    await api.call('indexPaths', { paths: [lib.photos] });
    expect((await api.call('status', {})).photos).toEqual({ total: 2, indexed: 2, failed: 0 });
    const { hits } = await api.call('search', { query: 'red' });
    expect(path.basename(hits[0]!.path)).toBe('red.png');

    await engine.close();
    engines.length = 0;
    const again = await open(lib.options);
    expect((await again.api.call('status', {})).notices).toBeUndefined();
  });

  it('says what the next writer will do, and changes nothing, when read-only', async () => {
    const lib = await indexedLibrary();
    const labelsFile = path.join(lib.packDir, 'labels.json');
    const record = await readFile(fingerprintFile(lib.options.dataDir, 'tiny'), 'utf8');
    const labels = JSON.parse(await readFile(labelsFile, 'utf8')) as { labels: { name: string }[] };
    labels.labels[1]!.name = 'lime';
    await writeFile(labelsFile, JSON.stringify(labels));
    const { engine, api } = await open({ ...lib.options, access: 'read' });
    expect((await api.call('status', {})).notices).toEqual([
      expect.stringMatching(/\(labels\.json\): their tags are recomputed when Anytag next opens/),
    ]);
    await engine.close();
    engines.length = 0;
    expect(await readFile(fingerprintFile(lib.options.dataDir, 'tiny'), 'utf8')).toBe(record);
  });
});
