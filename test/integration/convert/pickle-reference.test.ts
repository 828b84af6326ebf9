import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unpickle } from '../../../src-main/engine/model/convert/pickle-reader.js';
import { NUS, nusLabels } from './fixtures.js';

const noGlobals = { findGlobal: () => undefined, persistentLoad: () => null };

describe('unpickle on the official ZS_SDL pickles', () => {
  it('reads classes.pickle (protocol 4: FRAME, MEMOIZE, SHORT_BINUNICODE) as the 1006 labels', async () => {
    const value = unpickle(await readFile(path.join(NUS, 'classes.pickle')), noGlobals);
    const { labels } = await nusLabels();
    expect(value).toBeInstanceOf(Map);
    expect([...(value as Map<number, string>).entries()]).toEqual(labels.map((l, i) => [i, l]));
  });

  it('refuses wordvec_array.pickle, a numpy array, naming the class it would need', async () => {
    const bytes = await readFile(path.join(NUS, 'wordvec_array.pickle'));
    expect(() => unpickle(bytes, noGlobals)).toThrow(/refusing the Python object numpy\./);
  });
});
