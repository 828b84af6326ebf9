// The search-quality benchmark's own parts: its committed evaluation set (photos.json,
// queries.json) and the metrics and answer reading it reports with. The benchmark itself needs
// the photos (../shared and Debian packages) and runs with `npm run bench -- search-quality`.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const DIR = path.resolve(import.meta.dirname, '../../../bench/search-quality');

interface Query {
  query: string;
  class: string;
  relevant: string[];
}
interface Scored {
  relevant: number;
  ap: number | null;
  chanceAp: number | null;
  p1: number | null;
  matches: number;
  trueMatches: number;
  matchPrecision: number | null;
  matchRecall: number | null;
  firstRelevantRank: number | null;
}
interface Read {
  ranking: string[];
  matched: Set<string>;
  matchSource: 'flag' | 'list' | 'thresholds';
  reportedMatches: number | null;
  unknownHits: number;
}
interface Modules {
  chanceAveragePrecision(r: number, n: number): number | null;
  scoreQuery(input: {
    ranking: string[];
    matched: Set<string>;
    relevant: string[];
    error?: string;
  }): Scored;
  summarise(rows: (Scored & { error?: string })[]): Record<string, number | null>;
  readEvaluationSet(dir: string): Promise<{
    photos: { photos: { id: string; source: string; labels: string[] }[] };
    queries: { classes: Record<string, string>; queries: Query[] };
  }>;
  readSearchAnswer(answer: unknown, photoIdOf: Map<string, string>): Read;
}

// The modules are plain ES modules run by node (bench/ is not compiled); typed here.
const load = async (file: string): Promise<unknown> =>
  import(pathToFileURL(path.join(DIR, 'lib', file)).href);
let m: Modules;
beforeAll(async () => {
  m = Object.assign(
    {},
    await load('metrics.mjs'),
    await load('photo-set.mjs'),
    await load('search-answer.mjs'),
  ) as Modules;
});

describe('the search-quality evaluation set', () => {
  it('has ≥ 60 photos and ≥ 150 judged queries over every query class', async () => {
    const { photos, queries } = await m.readEvaluationSet(DIR);
    expect(photos.photos.length).toBeGreaterThanOrEqual(60);
    const judged = queries.queries.filter((q) => q.relevant.length > 0);
    expect(judged.length).toBeGreaterThanOrEqual(150);
    const classes = new Set(queries.queries.map((q) => q.class));
    for (const name of ['animal', 'people', 'object', 'food', 'scene', 'plural', 'phrase'])
      expect(classes).toContain(name);
    expect(classes).toContain('stopword');
    // Only the "absent" class may have no right photo.
    expect(queries.queries.filter((q) => !q.relevant.length).map((q) => q.class)).toEqual(
      queries.queries.filter((q) => q.class === 'absent').map((q) => q.class),
    );
  });

  it('asks the everyday queries issue 11 names', async () => {
    const { queries } = await m.readEvaluationSet(DIR);
    const asked = new Set(queries.queries.map((q) => q.query));
    const words = ['person', 'people', 'woman', 'man', 'face', 'portrait', 'group', 'crowd'];
    const scenes = ['beach', 'sea', 'mountain', 'field', 'city', 'street', 'indoor', 'night'];
    const forms = ['owl', 'hot dog', '"hot dog"', 'a dog', 'dogs', 'dog in the park', 'child'];
    for (const query of [...words, ...scenes, ...forms]) expect(asked).toContain(query);
  });

  it('refuses a query that names a photo the set lacks', async () => {
    const bad = await mkdtemp(path.join(os.tmpdir(), 'anytag-search-quality-'));
    await writeFile(path.join(bad, 'photos.json'), await readFile(path.join(DIR, 'photos.json')));
    const queries = JSON.parse(await readFile(path.join(DIR, 'queries.json'), 'utf8')) as {
      queries: Query[];
    };
    queries.queries[0]!.relevant.push('no-such-photo');
    await writeFile(path.join(bad, 'queries.json'), JSON.stringify(queries));
    await expect(m.readEvaluationSet(bad)).rejects.toThrow(/unknown photos no-such-photo/);
  });
});

describe('search-quality metrics', () => {
  it('scores average precision over the full ranking, P@1 and matches', () => {
    // Relevant b (rank 2), d (rank 4) and e (never ranked): AP = (1/2 + 2/4) / 3.
    const scored = m.scoreQuery({
      ranking: ['a', 'b', 'c', 'd'],
      matched: new Set(['a', 'b']),
      relevant: ['b', 'd', 'e'],
    });
    expect(scored.ap).toBeCloseTo(1 / 3, 10);
    expect(scored.p1).toBe(0);
    expect(scored.matchPrecision).toBe(0.5);
    expect(scored.matchRecall).toBeCloseTo(1 / 3, 10);
    expect(scored.firstRelevantRank).toBe(2);
  });

  it('gives the expected AP of a random ranking as chance', () => {
    expect(m.chanceAveragePrecision(1, 2)).toBeCloseTo(0.75, 10); // rank 1 or 2: (1 + 1/2) / 2
    expect(m.chanceAveragePrecision(3, 3)).toBeCloseTo(1, 10);
    expect(m.chanceAveragePrecision(0, 3)).toBeNull();
    // Against a simulation over every ranking of 4 photos with 2 relevant (6 placements).
    const aps = [
      [1, 2],
      [1, 3],
      [1, 4],
      [2, 3],
      [2, 4],
      [3, 4],
    ].map(([a, b]) => (1 / a! + 2 / b!) / 2);
    expect(m.chanceAveragePrecision(2, 4)).toBeCloseTo(aps.reduce((x, y) => x + y) / 6, 10);
  });

  it('gives a failed query nothing, and a query with no right photo no AP', () => {
    const failed = m.scoreQuery({
      ranking: ['b'],
      matched: new Set(['b']),
      relevant: ['b'],
      error: 'UNKNOWN_WORD',
    });
    expect([failed.ap, failed.p1, failed.matches, failed.matchRecall]).toEqual([0, 0, 0, 0]);
    const absent = m.scoreQuery({ ranking: ['a'], matched: new Set(['a']), relevant: [] });
    expect([absent.ap, absent.p1, absent.matchRecall, absent.matchPrecision]).toEqual([
      null,
      null,
      null,
      0,
    ]);
  });

  it('means match precision over queries that matched, and pools it over matches', () => {
    const rows = [
      m.scoreQuery({ ranking: ['a', 'b'], matched: new Set(['a']), relevant: ['a'] }),
      m.scoreQuery({ ranking: ['a', 'b'], matched: new Set(['a', 'b']), relevant: ['b'] }),
      m.scoreQuery({ ranking: ['a', 'b'], matched: new Set(), relevant: ['b'] }),
    ];
    const summary = m.summarise(rows);
    expect(summary.matchPrecision).toBe(0.75); // (1 + 0.5) / 2
    expect(summary.matchPrecisionPooled).toBe(0.667); // 2 true of 3 matches
    expect(summary.matchRecall).toBe(0.667); // (1 + 1 + 0) / 3
    expect(summary.map).toBe(0.667); // (1 + 0.5 + 0.5) / 3
    expect(summary.queriesWithMatches).toBe(2);
  });
});

describe('reading a search answer', () => {
  const ids = new Map([
    ['dog.jpg', 'dog'],
    ['cat.png', 'cat'],
  ]);
  const why = (score: number, threshold: number, negated = false) => ({
    term: 't',
    score,
    threshold,
    negated,
  });

  it("takes each hit's matched flag when every hit carries one", () => {
    const read = m.readSearchAnswer(
      {
        hits: [
          { path: '/x/dog.jpg', matched: true, why: [why(0.1, 0.5)] },
          { path: '/x/cat.png', matched: false, why: [why(0.9, 0.5)] },
          { path: '/x/other.jpg', matched: false, why: [] },
        ],
      },
      ids,
    );
    expect(read.ranking).toEqual(['dog', 'cat']);
    expect([...read.matched]).toEqual(['dog']);
    expect(read.matchSource).toBe('flag');
    expect(read.unknownHits).toBe(1);
  });

  it('falls back on every term passing its threshold, a negated one failing', () => {
    const read = m.readSearchAnswer(
      {
        hits: [
          { path: '/x/dog.jpg', why: [why(0.6, 0.5), why(0.2, 0.5, true)] },
          { path: '/x/cat.png', why: [why(0.6, 0.5), why(0.4, 0.5)] },
        ],
      },
      ids,
    );
    expect([...read.matched]).toEqual(['dog']);
    expect(read.matchSource).toBe('thresholds');
  });

  it('reads matches and closest given apart, and a match count at the top', () => {
    const read = m.readSearchAnswer(
      { matches: [{ path: '/x/cat.png', why: [] }], closest: [{ path: '/x/dog.jpg', why: [] }] },
      ids,
    );
    expect(read.ranking).toEqual(['cat', 'dog']);
    expect([...read.matched]).toEqual(['cat']);
    expect(read.matchSource).toBe('list');
    const flaggedLists = m.readSearchAnswer(
      {
        hits: [{ path: '/x/cat.png', matched: true, why: [] }],
        closest: [{ path: '/x/dog.jpg', matched: false, why: [] }],
      },
      ids,
    );
    expect(flaggedLists.ranking).toEqual(['cat', 'dog']);
    expect([...flaggedLists.matched]).toEqual(['cat']);
    const counted = m.readSearchAnswer(
      { matches: 1, hits: [{ path: '/x/cat.png', matched: true, why: [] }] },
      ids,
    );
    expect(counted.reportedMatches).toBe(1);
  });
});
