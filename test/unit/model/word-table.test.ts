import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WordTable } from '../../../src-main/engine/model/word-table.js';
import { requireBuilt, STARTER_PACK } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';
import { tinyWordTable, TINY_WORDS } from '../../helpers/tiny-pack.js';

async function tableFile(bytes: Buffer = tinyWordTable()): Promise<string> {
  const file = path.join(await tempDir(), 'words.awt');
  await writeFile(file, bytes);
  return file;
}

describe('word table read from its file on demand', () => {
  it('gives the same words and vectors as the table held in memory', async () => {
    const file = await tableFile();
    const lazy = await WordTable.load(file, 3);
    const whole = WordTable.parse(await readFile(file), file, 3);
    expect(lazy.size).toBe(whole.size);
    for (const word of [...Object.keys(TINY_WORDS), 'absent']) {
      expect(lazy.has(word)).toBe(whole.has(word));
      expect(lazy.vector(word)).toEqual(whole.vector(word));
    }
    expect(lazy.withPrefix('w', 5)).toEqual(whole.withPrefix('w', 5));
    await Promise.all([lazy.prepareSpelling(), whole.prepareSpelling()]);
    expect(lazy.suggest('wram')).toEqual(whole.suggest('wram'));
    expect(lazy.suggest('wram')).toContain('warm');
    expect(Array.from(lazy.vector('warm')!)).toEqual([
      expect.closeTo(0.6, 3),
      expect.closeTo(0.8, 3),
      0,
    ]);
  });

  it('refuses a bad header when opened, and a bad word list when first used', async () => {
    await expect(WordTable.load(await tableFile(Buffer.from('nope')), 3)).rejects.toMatchObject({
      code: 'PACK_INVALID',
    });
    await expect(WordTable.load(await tableFile(), 4)).rejects.toThrow(/wordTable.dim = 4/);
    // Four words, one line break overwritten: the length still agrees, the list does not.
    const broken = tinyWordTable({ a: [1, 0, 0], b: [0, 1, 0], c: [0, 0, 1], d: [1, 0, 0] });
    broken.write('a\nb\nc d', 16, 'utf8');
    const table = await WordTable.load(await tableFile(broken), 3);
    expect(() => table.has('a')).toThrow(/lists 3 words but its header says 4/);
  });

  it('refuses to read vectors from a file that changed after it was opened', async () => {
    const file = await tableFile();
    const table = await WordTable.load(file, 3);
    await appendFile(file, Buffer.alloc(6));
    expect(() => table.vector('warm')).toThrow(/changed on disk/);
  });
});

describe('warming the word list', () => {
  it('indexes the starter table in slices that yield, and answers as a cold table does', async () => {
    const file = path.join(requireBuilt(STARTER_PACK, 'run `npm run build:packs`'), 'words.awt');
    const warmed = await WordTable.load(file);
    let ticks = 0;
    const tick = setInterval(() => ticks++, 0);
    await warmed.warm();
    clearInterval(tick);
    // 341k words in slices of 20k: the event loop ran in between (a single block gives 0 or 1).
    expect(ticks).toBeGreaterThan(5);
    const cold = await WordTable.load(file);
    for (const word of ['dog', 'ladybug', 'zürich', 'the', 'qqqqzz']) {
      expect(warmed.has(word)).toBe(cold.has(word));
      expect(warmed.vector(word)).toEqual(cold.vector(word));
    }
    await Promise.all([warmed.warm(), warmed.prepareSpelling()]); // idempotent
    expect(warmed.suggest('ladybugg')).toContain('ladybug');
  });
});
