/**
 * Query reading's lexicon (the lemmatizer's worker) loads in the background when a pack is
 * activated, unless the engine reads no query (`anytag index`): then only on first use.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine.js';
import { lemmatizer } from '../../../src-main/engine/vocab/word-forms.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

describe('preparing query reading', () => {
  let engine: Engine | undefined;
  afterEach(async () => engine?.close());

  it('is left to the first query when the engine reads none, and done at start otherwise', async () => {
    const root = await tempDir();
    await writeTinyPack(path.join(root, 'packs', 'tiny'));
    const open = (prepareQueries?: boolean): Promise<Engine> =>
      Engine.open({
        dataDir: path.join(root, 'data'),
        packRoots: [path.join(root, 'packs')],
        provider: 'cpu',
        indexWorkers: 0,
        ...(prepareQueries === undefined ? {} : { prepareQueries }),
      });
    engine = await open(false);
    await engine.activePack();
    expect(lemmatizer.started).toBe(false);
    await engine.close();
    engine = await open();
    await engine.activePack();
    expect(lemmatizer.started).toBe(true);
    expect((await lemmatizer.lemmas(['dogs'])).get('dogs')?.noun).toBe('dog');
  });
});
