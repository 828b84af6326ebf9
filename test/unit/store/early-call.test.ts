/**
 * The early-call race: calls made while a watching engine (the app, `anytag serve`) is still
 * loading its pack must share that one load. Two loads gave the library one search index and
 * the API another, so a folder added next was indexed where search never looked (0 hits).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine.js';
import { openTinyEngine, tinyLibrary } from '../../helpers/engine-fixture.js';
import { until } from '../../helpers/until.js';

describe('calls right after a watching engine opens', () => {
  let engine: Engine | undefined;
  afterEach(async () => engine?.close());

  it('share the one pack load, so a folder added next is searchable', async () => {
    const lib = await tinyLibrary({
      colours: { red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255] },
    });
    const { photos } = lib;
    const opened = await openTinyEngine(lib, { thumbnails: true, watch: true });
    engine = opened.engine;
    const { api } = opened;
    // What the page asks on load, before the library has opened.
    await Promise.all([
      api.call('status', {}),
      api.call('search', { query: 'red' }),
      api.call('suggest', { prefix: 're' }),
    ]);
    await api.call('addFolder', { path: photos });
    await until(
      'the three photos indexed',
      async () => (await api.call('status', {})).photos.indexed === 3,
      20_000,
    );
    const { hits } = await api.call('search', { query: 'red' });
    expect(hits).toHaveLength(3);
    expect(hits[0]!.path).toBe(path.join(photos, 'red.png'));
  });
});
