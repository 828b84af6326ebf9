/**
 * The vocabulary on the tiny pack (known weights): calibrated tags, user labels, aliases,
 * renames, hiding, thresholds and feedback — all from stored embeddings. After indexing, the
 * model file is moved away: any model use from here on would fail, and no session may exist.
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { scoreWithRow } from '../../../src-main/engine/index/scoring.js';
import { CATALOGUE_VERSION, migrate } from '../../../src-main/engine/store/catalogue-schema.js';
import {
  openTinyEngine,
  tinyLibrary,
  type Rgb,
  type TinyLibrary,
} from '../../helpers/engine-fixture.js';
import { expectedTinyMatrix, TINY, TINY_WORDS } from '../../helpers/tiny-pack.js';

const COLOURS: Record<string, Rgb> = {
  red: [255, 0, 0],
  crimson: [200, 30, 0],
  maroon: [120, 0, 0],
  green: [0, 255, 0],
  olive: [100, 140, 0],
  blue: [0, 0, 255],
  navy: [0, 0, 110],
  teal: [0, 128, 128],
  grey: [128, 128, 128],
  black: [0, 0, 0],
};
const LABELS: Record<string, number[]> = { ...TINY_WORDS };

/** The exact score of a word or label vector on a colour's photo. */
function score(colour: string, vector: number[]): number {
  const norm = Math.hypot(...vector);
  const w = vector.map((v) => v / norm);
  return scoreWithRow(expectedTinyMatrix(COLOURS[colour]!, 'kd'), TINY.k, TINY.d, w).score;
}

describe('vocabulary on the tiny pack, without the model', () => {
  let lib: TinyLibrary;
  let root: string;
  let engine: Engine;
  let api: Api;
  const open = async (): Promise<void> => {
    ({ engine, api } = await openTinyEngine(lib));
  };
  const tagsOf = (colour: string): string[] =>
    engine.catalogue
      .photoByPath(path.join(root, 'photos', `${colour}.png`))!
      .tags.map((t) => t.label);
  const photo = (colour: string): string => path.join(root, 'photos', `${colour}.png`);
  const threshold = async (label: string): Promise<number> => {
    const { labels } = await api.call('listLabels', { filter: label, hidden: true });
    return labels.find((l) => l.key === label || l.name === label)!.threshold!.value;
  };
  /** Every photo carries a label exactly when its score passes the threshold (ties aside). */
  const expectTagsFollow = async (label: string, vectors: number[][], shown = label) => {
    const tau = await threshold(label);
    for (const colour of Object.keys(COLOURS)) {
      const s = Math.max(...vectors.map((v) => score(colour, v)));
      if (Math.abs(s - tau) < 0.005) continue;
      expect(tagsOf(colour).includes(shown), `${shown} on ${colour}: ${s} vs ${tau}`).toBe(
        s >= tau,
      );
    }
  };

  beforeAll(async () => {
    lib = await tinyLibrary({ colours: COLOURS });
    root = lib.root;
    await open();
    const indexed = await api.call('indexPaths', { paths: [path.join(root, 'photos')] });
    expect(indexed).toMatchObject({ indexed: 10, failed: 0 });
    await engine.close();
    // A fresh engine with the pack loaded (its sha256 checked), then the model moved away.
    await open();
    await engine.activePack();
    await rename(
      path.join(root, 'packs', 'tiny', 'model.onnx'),
      path.join(root, 'packs', 'tiny', 'model.gone'),
    );
  });
  afterAll(() => engine?.close());

  it('tags each photo with the seen labels passing their calibrated thresholds', async () => {
    const { labels, calibration } = await api.call('listLabels', {});
    expect(labels.map((l) => l.name)).toEqual(['red', 'green', 'blue']);
    // Calibrated while indexing, whenever the library had grown by a quarter.
    expect(calibration).toMatchObject({ photos: expect.any(Number), prior: expect.any(Number) });
    for (const l of labels) expect(l.threshold!.value).toBeGreaterThanOrEqual(calibration!.prior);
    for (const name of ['red', 'green', 'blue']) await expectTagsFollow(name, [LABELS[name]!]);
    const tag = engine.catalogue.photoByPath(photo('red'))!.tags[0]!;
    expect(tag).toMatchObject({
      label: 'red',
      key: 'red',
      pack: 'tiny',
      seen: true,
      at: expect.any(String),
    });
  });

  it('adds a user label from the word table and tags the library at once', async () => {
    const result = await api.call('addLabel', { text: '  WARM ' });
    expect(result.label).toMatchObject({
      key: 'warm',
      kind: 'user',
      provenance: { by: 'user' },
      threshold: { value: expect.any(Number) },
    });
    await expectTagsFollow('warm', [LABELS.warm!]);
    expect(tagsOf('red')).toContain('warm'); // warm = (0.6, 0.8, 0)
  });

  it('refuses words the table lacks, naming them and the nearest known words', async () => {
    await expect(api.call('addLabel', { text: 'warm skyy' })).rejects.toMatchObject({
      code: 'UNKNOWN_WORD',
      message: expect.stringContaining('skyy (did you mean sky?)'),
      details: { unknown: ['skyy'] },
    });
    await expect(api.call('addLabel', { text: 'Red' })).rejects.toThrow(/already the label "red"/);
    await expect(api.call('addLabel', { text: '!!' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('previews a label without saving it', async () => {
    const preview = await api.call('previewLabel', { text: 'sky', threshold: 0.5 });
    const expected = Object.keys(COLOURS)
      .filter((c) => score(c, LABELS.sky!) >= 0.5)
      .sort((a, b) => score(b, LABELS.sky!) - score(a, LABELS.sky!));
    const got = preview.photos.map((p) => path.basename(p.path, '.png'));
    expect([...got].sort()).toEqual([...expected].sort());
    // Ranked by score; teal and grey score exactly the same for "sky", so their order is free.
    const scores = got.map((c) => score(c, LABELS.sky!));
    scores.forEach((s, i) => expect(s).toBeLessThanOrEqual((scores[i - 1] ?? Infinity) + 1e-6));
    expect(preview.matches).toBe(expected.length);
    const { labels } = await api.call('listLabels', { kind: 'user' });
    expect(labels.map((l) => l.key)).toEqual(['warm']);
  });

  it('previews the best photos below the threshold too, best first, in the same call', async () => {
    const preview = await api.call('previewLabel', { text: 'sky', threshold: 0.5, nearest: 3 });
    const below = Object.keys(COLOURS)
      .filter((c) => score(c, LABELS.sky!) < 0.5)
      .sort((a, b) => score(b, LABELS.sky!) - score(a, LABELS.sky!));
    const got = preview.nearest.map((p) => path.basename(p.path, '.png'));
    expect(got).toHaveLength(Math.min(3, below.length));
    got.forEach((c, i) => {
      expect(score(c, LABELS.sky!)).toBeLessThan(0.5);
      expect(Math.abs(score(c, LABELS.sky!) - score(below[i]!, LABELS.sky!))).toBeLessThan(0.01);
    });
    const none = await api.call('previewLabel', { text: 'sky', threshold: 0.5 });
    expect(none.nearest).toEqual([]);
  });

  it('thumbs-down moves the threshold just above the photo; thumbs-up down to it', async () => {
    const before = await threshold('red');
    const crimson = score('crimson', LABELS.red!); // 0.784, tagged red
    expect(crimson).toBeGreaterThan(before);
    const down = await api.call('tagFeedback', {
      photo: photo('crimson'),
      label: 'red',
      vote: 'down',
    });
    expect(down.threshold.before).toBeCloseTo(before, 3);
    expect(down.threshold.after).toBeCloseTo(crimson + 0.001, 3);
    expect(tagsOf('crimson')).not.toContain('red');
    expect(tagsOf('red')).toContain('red');

    await api.call('tagFeedback', { photo: photo('crimson'), label: 'red', vote: 'clear' });
    expect(await threshold('red')).toBeCloseTo(before, 3);

    const maroon = score('maroon', LABELS.red!); // 0.47, below the threshold
    expect(maroon).toBeLessThan(before);
    const up = await api.call('tagFeedback', { photo: photo('maroon'), label: 'red', vote: 'up' });
    expect(up.threshold.after).toBeCloseTo(maroon, 3);
    expect(up.retagged).toBeGreaterThan(0);
    expect(tagsOf('maroon')).toContain('red');
    await expectTagsFollow('red', [LABELS.red!]);
    await api.call('tagFeedback', { photo: photo('maroon'), label: 'red', vote: 'clear' });
  });

  it('sets a threshold by hand and returns to the calibrated one', async () => {
    const calibrated = await threshold('blue');
    const set = await api.call('setLabelThreshold', { label: 'blue', threshold: 0.95 });
    expect(set.label.threshold).toMatchObject({ value: 0.95, manual: 0.95, calibrated });
    expect(Object.keys(COLOURS).filter((c) => tagsOf(c).includes('blue'))).toEqual(['blue']);
    await api.call('setLabelThreshold', { label: 'blue', threshold: null });
    expect(await threshold('blue')).toBeCloseTo(calibrated, 6);
  });

  it('renames and hides seen labels but never loses them', async () => {
    const tagged = Object.keys(COLOURS).filter((c) => tagsOf(c).includes('blue'));
    const before = await threshold('blue');
    const record = (): unknown =>
      structuredClone(
        Object.values(engine.catalogue.vocabulary.thresholds).find((byKey) => byKey.blue)?.blue,
      );
    const recorded = record();
    expect(recorded).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 5)); // a recalibration would restamp it
    const renamed = await api.call('renameLabel', { label: 'blue', to: 'Azure' });
    expect(tagsOf('blue')).toContain('azure');
    // Only the shown name changed: the same threshold and the same photos (nothing re-scored).
    expect(renamed.label.threshold!.value).toBe(before);
    expect(record()).toEqual(recorded);
    expect(Object.keys(COLOURS).filter((c) => tagsOf(c).includes('azure'))).toEqual(tagged);
    const search = await api.call('search', { query: 'azure', limit: 1 });
    expect(search.hits[0]!.why[0]).toMatchObject({ source: 'seen', label: 'azure' });

    const removed = await api.call('removeLabel', { label: 'green' });
    expect(removed).toMatchObject({ removed: false, label: { hidden: true, kind: 'seen' } });
    expect(tagsOf('green')).not.toContain('green');
    expect((await api.call('listLabels', {})).labels.map((l) => l.name)).toEqual([
      'red',
      'azure',
      'warm',
    ]);
    await api.call('hideLabel', { label: 'green', hidden: false });
    expect(tagsOf('green')).toContain('green');
  });

  it('combines synonyms: a label alias, and merging one label into another', async () => {
    const merged = await api.call('aliasLabel', { label: 'red', alias: 'warm' });
    expect(merged.label).toMatchObject({ key: 'red', aliases: ['warm'] });
    const { labels } = await api.call('listLabels', { kind: 'user' });
    expect(labels).toEqual([]);
    // red now scores the better of its own vector and warm's, on every photo.
    const hits = await api.call('search', { query: 'warm', limit: 1 });
    expect(hits.hits[0]!.why[0]).toMatchObject({ label: 'red', source: 'seen' });
    await expectTagsFollow('red', [LABELS.red!, LABELS.warm!]);
    expect(tagsOf('green')).toContain('red'); // through "warm": 0.8 on green
    await api.call('aliasLabel', { label: 'red', alias: 'warm', remove: true });
    await expectTagsFollow('red', [LABELS.red!]);
    expect(tagsOf('green')).not.toContain('red');
  });

  it('suggests labels and any word by prefix', async () => {
    const { suggestions } = await api.call('suggest', { prefix: 'gr' });
    expect(suggestions).toEqual([{ text: 'green', kind: 'label' }]);
    expect((await api.call('suggest', { prefix: 's' })).suggestions).toEqual([
      { text: 'sky', kind: 'word' },
    ]);
  });

  it('never ran the model: no session was made, and none could be', async () => {
    expect(engine.provider).toBeUndefined();
    // The model file is checked when a session would read it (model/pack.ts modelCheckedOnUse):
    // gone, it is refused before any session is made.
    await expect(engine.embedder()).rejects.toMatchObject({
      code: 'PACK_INVALID',
      message: expect.stringMatching(/model/),
    });
  });

  it('keeps the vocabulary across a restart', async () => {
    await engine.close();
    const pack = path.join(root, 'packs', 'tiny');
    await rename(path.join(pack, 'model.gone'), path.join(pack, 'model.onnx'));
    await open();
    await engine.activePack();
    const { labels } = await api.call('listLabels', { hidden: true });
    expect(labels.find((l) => l.key === 'blue')).toMatchObject({ name: 'azure' });
  });
});

describe('catalogue migration', () => {
  it('gives a version-2 catalogue an empty vocabulary', () => {
    const data = migrate({
      schemaVersion: 2,
      settings: {},
      folders: [],
      photos: [],
      embeddingFiles: {},
    });
    expect(data.schemaVersion).toBe(CATALOGUE_VERSION);
    expect(data.vocabulary).toEqual({
      labels: [],
      seen: {},
      thresholds: {},
      calibration: {},
      votes: [],
    });
  });
});
