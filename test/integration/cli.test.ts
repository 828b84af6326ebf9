/** `anytag` as users run it: the compiled CLI in a child process, on the real starter pack. */
import { cp, truncate } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireCliBuilt, runAnytag as anytag } from '../helpers/cli.js';
import { NUS_WIDE, REFERENCE_PHOTOS, STARTER_PACK } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp.js';

describe('anytag CLI', () => {
  let data: string;
  beforeAll(async () => {
    requireCliBuilt();
    data = await tempDir();
  });

  it('indexes a folder with progress on stderr and a JSON summary on stdout', async () => {
    const { stdout, stderr, code } = await anytag([
      'index',
      REFERENCE_PHOTOS,
      '--data',
      data,
      '--json',
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/indexing \d+\/11/);
    expect(JSON.parse(stdout)).toMatchObject({
      total: 11,
      indexed: 11,
      failed: 0,
      provider: 'cpu',
    });
  });

  it('searches by any word, as text and as JSON', async () => {
    const text = await anytag(['search', 'bird', '--data', data, '--limit', '3']);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('3 photos match "bird".');
    expect(lines.filter((l) => /^\s*\d+\./.test(l))).toHaveLength(3);
    const json = JSON.parse((await anytag(['search', 'bird', '--data', data, '--json'])).stdout);
    expect(json.hits[0]).toMatchObject({
      path: expect.stringMatching(/(bird|owl|parrot)\.jpg$/),
      score: expect.any(Number),
    });
  });

  it('keeps words quoted in the shell as one phrase, as the README shows', async () => {
    const args = ['search', 'red', 'hot dog', '--data', data, '--json', '--limit', '1'];
    const json = JSON.parse((await anytag(args)).stdout);
    expect(json.query).toBe('red "hot dog"');
    expect(json.hits[0].why.map((w: { term: string }) => w.term)).toEqual(['red', 'hot dog']);
  });

  it('prints matches, and the closest photos under a divider when none match', async () => {
    const owl = await anytag(['search', 'owl', '--data', data, '--limit', '4']);
    const lines = owl.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('No photo matches "owl" — closest:');
    expect(lines.slice(1).every((l) => /^\s*\d+\.~/.test(l))).toBe(true);
    const bird = await anytag(['search', 'bird', '--data', data, '--limit', '5']);
    expect(bird.stdout).not.toContain('closest');
    const closest = await anytag(['search', 'bird', '--closest', '--data', data, '--limit', '5']);
    expect(closest.stdout.split('\n')).toContain('— closest —');
  });

  it('reads -word as NOT and says how many photos it removed', async () => {
    const json = await anytag(['search', '-dog', '--json', '--data', data]);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer.excluded).toBeGreaterThan(0);
    expect(answer.hits.every((h: { matched: boolean }) => typeof h.matched === 'boolean')).toBe(
      true,
    );
    const text = await anytag(['search', 'animal', '-bird', '--data', data]);
    expect(text.stdout).toContain('(NOT removed 3 photos)');
    // No photo matches "owl", so "-owl" removes none: said, not silent.
    const none = await anytag(['search', 'bird', '-owl', '--data', data]);
    expect(none.stdout).toContain('(NOT removed 0 photos)');
  });

  it('answers bad usage under --json with one JSON error on stdout', async () => {
    for (const args of [
      ['search', 'dog', '--limit', 'x', '--json'],
      ['search', 'dog', '--bogus', '--json'],
      ['--json'],
    ]) {
      const bad = await anytag(args);
      expect(bad.code).toBe(2);
      expect(JSON.parse(bad.stdout)).toEqual({
        error: { code: 'INVALID_INPUT', message: expect.any(String) },
      });
    }
  });

  it("prints a photo's tags, marking unseen labels", async () => {
    const photo = path.join(REFERENCE_PHOTOS, 'parrot.jpg');
    const { stdout, code } = await anytag(['tags', photo, '--data', data, '--label', 'feathers']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/macaw/);
    expect(stdout).toMatch(/feathers\s+\(unseen\)/);
  });

  it('ranks every seen label with tags --all; a file outside the library stays out of it', async () => {
    const outside = path.join(NUS_WIDE, 'pics', '45820_163934428_128e9cfe08_m.jpg');
    const some = await anytag(['tags', outside, '--all', '--limit', '5', '--data', data, '--json']);
    expect(some.code).toBe(0);
    const ranking = JSON.parse(some.stdout);
    expect(ranking).toMatchObject({
      photo: { path: outside },
      pack: 'starter-mobilenetv2-glove100',
      source: 'file',
      total: expect.any(Number),
    });
    expect(ranking.labels).toHaveLength(5);
    for (const [i, tag] of ranking.labels.entries()) {
      expect(tag).toEqual({
        label: expect.any(String),
        score: expect.any(Number),
        seen: true,
        row: expect.any(Number),
      });
      if (i > 0) expect(tag.score).toBeLessThanOrEqual(ranking.labels[i - 1].score);
    }

    const parrot = path.join(REFERENCE_PHOTOS, 'parrot.jpg');
    const all = JSON.parse(
      (await anytag(['tags', parrot, '--all', '--data', data, '--json'])).stdout,
    );
    expect(all.source).toBe('stored');
    expect(all.labels).toHaveLength(all.total);
    expect(all.total).toBe(ranking.total);
    expect(all.labels.slice(0, 10).map((t: { label: string }) => t.label)).toContain('macaw');

    const text = await anytag(['tags', outside, '--data', data]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/10 of \d+ labels by score, no threshold .*not in the library/);
    const status = JSON.parse((await anytag(['status', '--data', data, '--json'])).stdout);
    expect(status.photos.total).toBe(11);
  });

  it('fails clearly: unknown word (exit 1), bad usage (exit 2)', async () => {
    const unknown = await anytag(['search', 'qqqzzz', '--data', data, '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error.code).toBe('UNKNOWN_WORD');
    expect(unknown.stderr).toContain('error UNKNOWN_WORD');
    const usage = await anytag(['frobnicate', '--data', data, '--json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Unknown command "frobnicate"');
    expect(JSON.parse(usage.stdout).error.code).toBe('INVALID_INPUT');
    const badLimit = await anytag(['search', 'x', '--limit', 'many', '--json']);
    expect(badLimit.code).toBe(2);
    expect(JSON.parse(badLimit.stdout).error.message).toContain('--limit must be a whole number');
    expect((await anytag(['search', 'x', '--limit', 'many'])).stderr).toContain(
      '--limit must be a whole number',
    );
    // The API's refusal reads as a sentence: no method name, no field path.
    const blank = await anytag(['vocab', 'add', '  ', '--data', data]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toBe('error INVALID_INPUT: Label text is empty\n');
  });

  it('says how to get out of a damaged pack: which commands switch or reinstall it', async () => {
    // A copy of the starter pack whose label vectors were cut short (its sha256 no longer
    // matches pack.json), found first through --packs.
    const packs = await tempDir();
    const pack = path.join(packs, 'starter');
    await cp(STARTER_PACK, pack, { recursive: true });
    await truncate(path.join(pack, 'labels.f32'), 1000);
    const search = await anytag(['search', 'dog', '--data', data, '--packs', packs]);
    expect(search.code).toBe(1);
    expect(search.stderr).toMatch(/^error PACK_INVALID: .*labels\.f32/m);
    expect(search.stderr).toMatch(/^hint: .*`anytag pack use <id>`/m);
    // status degrades: the pack said damaged with why and the way out; the rest still answers.
    const broken = await anytag(['status', '--data', data, '--packs', packs]);
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(/^pack: +damaged, cannot be used \(.*labels\.f32.*\)$/m);
    expect(broken.stdout).toMatch(/^photos: +\d+ \(\d+ indexed, \d+ failed\)$/m);
    expect(broken.stdout).toMatch(/^folders: +\S/m);
    expect(broken.stderr).toMatch(/^hint: .*`anytag pack use <id>`/m);
    const json = JSON.parse(
      (await anytag(['status', '--data', data, '--packs', packs, '--json'])).stdout,
    );
    expect(json).toMatchObject({
      pack: null,
      packProblem: { code: 'PACK_INVALID', message: expect.stringMatching(/labels\.f32/) },
      photos: { total: expect.any(Number) },
    });
    expect(json.photos.total).toBeGreaterThan(0);
  });
});
