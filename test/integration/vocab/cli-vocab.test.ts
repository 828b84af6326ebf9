/** `anytag vocab …` and `anytag search` with the full syntax, as users run them (compiled CLI). */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireCliBuilt, runAnytag } from '../../helpers/cli.js';
import { REFERENCE_PHOTOS } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';

describe('anytag vocab and search', () => {
  let data: string;
  const anytag = (...args: string[]) => runAnytag(['--data', data, ...args]);
  const json = async (...args: string[]) => JSON.parse((await anytag('--json', ...args)).stdout);

  beforeAll(async () => {
    requireCliBuilt();
    data = await tempDir();
    expect((await anytag('index', REFERENCE_PHOTOS)).code).toBe(0);
  });

  it('adds, lists, thresholds and votes on a user label', async () => {
    const added = await json('vocab', 'add', 'kitten', '--alias', 'kitty');
    expect(added.label).toMatchObject({ key: 'kitten', kind: 'user', aliases: ['kitty'] });
    const listed = await json('vocab', 'list', 'kitt');
    expect(listed.labels.map((l: { key: string }) => l.key)).toEqual(['kitten']);
    const set = await json('vocab', 'threshold', 'kitten', '0.9');
    expect(set.label.threshold).toMatchObject({ value: 0.9, manual: 0.9 });
    const up = await json('vocab', 'up', path.join(REFERENCE_PHOTOS, 'cat.jpg'), 'kitty');
    expect(up.threshold.after).toBeCloseTo(up.score, 3);
    expect(up.label.threshold.votes).toEqual({ up: 1, down: 0 });
    const text = await anytag('vocab', 'list', 'kitten');
    expect(text.stdout).toMatch(/kitten\s+= kitty user/);
  });

  it('searches with OR, NOT and phrases; a hidden seen label is kept', async () => {
    const result = await json('search', '--matched', '--', 'bird OR insect', '-parrot');
    const names = result.hits.map((h: { path: string }) => path.basename(h.path, '.jpg')).sort();
    expect(names).toEqual(['bird', 'dragonfly', 'owl']);
    expect((await json('vocab', 'rm', 'owl')).removed).toBe(false);
    const hidden = await json('vocab', 'list', 'owl', '--all');
    expect(hidden.labels[0]).toMatchObject({ name: 'owl', hidden: true });
  });

  it("reports a new label's photos as its list, preview and search count them", async () => {
    const text = await anytag('vocab', 'add', 'pet');
    const count = Number(/tags (\d+) photos?/.exec(text.stdout)?.[1]);
    expect(count).toBeGreaterThan(0);
    const listed = await json('vocab', 'list', 'pet');
    expect(listed.labels.find((l: { key: string }) => l.key === 'pet').tagged).toBe(count);
    expect((await json('vocab', 'preview', 'pet')).matches).toBe(count);
    expect((await json('search', 'pet')).matches).toBe(count);
    const negated = await json('search', 'animal', '-pet');
    expect(negated.excluded).toBeGreaterThan(0);
  });

  it('names unknown words and bad syntax', async () => {
    const unknown = await anytag('vocab', 'add', 'kittenz');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/UNKNOWN_WORD: Unknown word: kittenz \(did you mean kitten/);
    const syntax = await anytag('search', '(bird');
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain('is not closed');
  });
});
