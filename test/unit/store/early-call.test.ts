/**
 * The early-call race: calls made while a watching engine (the app, `anytag serve`) is still
 * loading its pack must share that one load. Two loads gave the library one search index and
 * the API another, so a folder added next was indexed where search never looked (0 hits).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('calls right after a watching engine opens', () => {
  let engine: Engine | undefined;
  afterEach(async () => engine?.close());

  it('share the one pack load, so a folder added next is searchable', async () => {
    const root = await tempDir();
    await writeTinyPack(path.join(root, 'packs', 'tiny'));
    const photos = path.join(root, 'photos');
    await mkdir(photos);
    await solidImage(path.join(photos, 'red.png'), [255, 0, 0]);
    await solidImage(path.join(photos, 'green.png'), [0, 255, 0]);
    await solidImage(path.join(photos, 'blue.png'), [0, 0, 255]);
    engine = await Engine.open({
      dataDir: path.join(root, 'data'),
      packRoots: [path.join(root, 'packs')],
      provider: 'cpu',
      indexWorkers: 0,
      watch: true,
    });
    const api = new Api(engine);
    // What the page asks on load, before the library has opened.
    await Promise.all([
      api.call('status', {}),
      api.call('search', { query: 'red' }),
      api.call('suggest', { prefix: 're' }),
    ]);
    await api.call('addFolder', { path: photos });
    await until(async () => (await api.call('status', {})).photos.indexed === 3);
    const { hits } = await api.call('search', { query: 'red' });
    expect(hits).toHaveLength(3);
    expect(hits[0]!.path).toBe(path.join(photos, 'red.png'));
  });
});
