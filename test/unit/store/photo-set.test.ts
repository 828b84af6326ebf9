import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PhotoRecord, PhotoState } from '../../../src-main/engine/store/catalogue-schema.js';
import { Catalogue } from '../../../src-main/engine/store/catalogue.js';
import { photosToReembed } from '../../../src-main/engine/store/photo-states.js';
import { tempDir } from '../../helpers/temp.js';

/** What each live record should be: id → its path, hash, state and embedding pack. */
type Model = Map<string, { path: string; hash: string | null; state: PhotoState; pack?: string }>;

/** Paths records held before they moved away or were removed (looked up too). */
const vacated = new Set<string>();

const STATES: PhotoState[] = ['pending', 'indexed', 'error', 'offline'];

function record(i: number): PhotoRecord {
  return {
    id: `id-${i}`,
    path: `/lib/${i % 4}/${i % 3}/p${i}.jpg`,
    size: i,
    mtimeMs: i,
    hash: i % 9 === 0 ? null : `h${i % 40}`,
    state: STATES[i % 4]!,
    ...(i % 5 !== 0 && { embedding: { pack: i % 2 ? 'a' : 'b', slot: i } }),
    tags: [{ label: `t${i}`, score: 0.5, seen: true, row: 0 }],
  };
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function tableOf(count: number): Promise<{ dir: string; model: Model }> {
  const dir = await tempDir();
  const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
  const model: Model = new Map();
  for (let i = 0; i < count; i++) {
    const photo = record(i);
    catalogue.addPhoto(photo);
    model.set(photo.id, {
      path: photo.path,
      hash: photo.hash,
      state: photo.state,
      pack: photo.embedding?.pack,
    });
  }
  await catalogue.close();
  return { dir, model };
}

/** One random change to a live record (or a new one), made in the catalogue and the model. */
async function change(catalogue: Catalogue, model: Model, next: () => number, n: number) {
  const ids = [...model.keys()];
  const id = ids[Math.floor(next() * ids.length)]!;
  const photo = catalogue.photoById(id)!;
  const expected = model.get(id)!;
  const roll = next();
  if (roll < 0.15) {
    catalogue.removePhoto(photo);
    model.delete(id);
    vacated.add(expected.path);
  } else if (roll < 0.3) {
    // To a new path, or onto another record's path (that record is removed).
    const other = ids[Math.floor(next() * ids.length)]!;
    const to = next() < 0.5 ? `/lib/${n % 4}/moved/m${n}.jpg` : model.get(other)!.path;
    if (to !== expected.path) {
      if (other !== id && model.get(other)!.path === to) model.delete(other);
      catalogue.movePhoto(photo, to);
      vacated.add(expected.path);
      expected.path = to;
    }
  } else if (roll < 0.45) {
    const hash = next() < 0.2 ? null : `h${Math.floor(next() * 40)}`;
    catalogue.setHash(photo, hash);
    expected.hash = hash;
  } else if (roll < 0.65) {
    const state = STATES[Math.floor(next() * 4)]!;
    catalogue.updatePhoto(photo, { state });
    expected.state = state;
  } else if (roll < 0.75) {
    catalogue.updatePhoto(photo, { embedding: next() < 0.5 ? undefined : { pack: 'a', slot: n } });
    expected.pack = photo.embedding?.pack;
  } else if (roll < 0.8) {
    // Taken out and back under the same id at a new path (a retired photo revived).
    catalogue.removePhoto(photo);
    const back = { ...record(0), id, path: `/lib/${n % 4}/back/b${n}.jpg`, state: expected.state };
    catalogue.addPhoto(back);
    model.delete(id);
    vacated.add(expected.path);
    model.set(id, {
      path: back.path,
      hash: back.hash,
      state: back.state,
      pack: back.embedding?.pack,
    });
  } else if (roll < 0.9) {
    const added = { ...record(10_000 + n), path: `/lib/${n % 4}/new/n${n}.jpg` };
    catalogue.addPhoto(added);
    model.set(added.id, {
      path: added.path,
      hash: added.hash,
      state: added.state,
      pack: added.embedding?.pack,
    });
  } else await catalogue.flush();
}

/** Every query's answer, as ids, from the catalogue (read lazily or not). */
function answers(catalogue: Catalogue, model: Model) {
  const some = [...model.values()].filter((_, i) => i % 7 === 0);
  return {
    count: catalogue.photoCount(),
    states: Object.fromEntries(STATES.map((s) => [s, catalogue.photoCountsByState().get(s) ?? 0])),
    byPath: some.map((m) => catalogue.photoByPath(m.path)?.id),
    vacated: [...vacated].map((file) => catalogue.photoByPath(file)?.id),
    byHash: Array.from({ length: 40 }, (_, i) =>
      catalogue.photosWithHash(`h${i}`).map((p) => p.id),
    ),
    under: ['/lib/0', '/lib/1/2', '/lib/3/moved', '/lib/2/new', '/lib/1/back', '/li'].map(
      (folder) => catalogue.photosUnder(folder).map((p) => p.id),
    ),
    inState: STATES.map((s) => catalogue.photosInState(s).map((p) => p.id)),
    reembed: photosToReembed(catalogue, 'a').map((p) => p.id),
    slots: catalogue.embeddingSlots('a').map(([id]) => id),
  };
}

/** The same answers worked out from the model (ids in the order records were first added). */
function expectedAnswers(model: Model) {
  const ids = (keep: (m: Model extends Map<string, infer V> ? V : never) => boolean) =>
    [...model].filter(([, m]) => keep(m)).map(([id]) => id);
  const some = [...model.values()].filter((_, i) => i % 7 === 0);
  const byPath = new Map([...model].map(([id, m]) => [m.path, id]));
  return {
    count: model.size,
    states: Object.fromEntries(STATES.map((s) => [s, ids((m) => m.state === s).length])),
    byPath: some.map((m) => byPath.get(m.path)),
    vacated: [...vacated].map((file) => byPath.get(file)),
    byHash: Array.from({ length: 40 }, (_, i) => ids((m) => m.hash === `h${i}`)),
    under: ['/lib/0', '/lib/1/2', '/lib/3/moved', '/lib/2/new', '/lib/1/back', '/li'].map(
      (folder) => ids((m) => m.path.startsWith(folder + path.sep)),
    ),
    inState: STATES.map((s) => ids((m) => m.state === s)),
    reembed: ids((m) => m.state === 'indexed' && m.pack !== 'a'),
    slots: ids((m) => m.pack === 'a'),
  };
}

describe('photo set (records read from the table when asked for)', () => {
  it('answers every lookup as the records changed in memory say, saved or not', async () => {
    const { dir, model } = await tableOf(400);
    const catalogue = await Catalogue.open(dir, { debounceMs: 60_000 });
    const next = random(7);
    for (let n = 0; n < 600; n++) {
      await change(catalogue, model, next, n);
      if (n % 50 !== 49) continue;
      expect(answers(catalogue, model)).toEqual(expectedAnswers(model));
      const sliced = await catalogue.readEmbeddingSlots('a');
      expect(sliced).toEqual(catalogue.embeddingSlots('a'));
      expect(sliced.map(([id]) => id)).toEqual(expectedAnswers(model).slots);
    }
    // Revived since the last save: their old rows are still in the table.
    for (const id of [...model.keys()].slice(0, 3)) {
      const photo = catalogue.photoById(id)!;
      catalogue.removePhoto(photo);
      catalogue.addPhoto({ ...photo, path: `${photo.path}.back` });
      const entry = { ...model.get(id)!, path: `${photo.path}.back` };
      model.delete(id); // (a new record: last in the order)
      model.set(id, entry);
      vacated.add(photo.path);
    }
    const lazily = answers(catalogue, model);
    expect(lazily).toEqual(expectedAnswers(model));
    // Reading every record gives the same answers and the same records, oldest first.
    expect(catalogue.photos().map((p) => p.id)).toEqual([...model.keys()]);
    expect(answers(catalogue, model)).toEqual(lazily);
    await catalogue.close();
    const reopened = await Catalogue.open(dir);
    expect(answers(reopened, model)).toEqual(lazily);
    expect(reopened.photos().map((p) => [p.id, p.path])).toEqual(
      [...model].map(([id, m]) => [id, m.path]),
    );
    await reopened.close();
  });

  it('opens without reading records, and gives one object per record however it is found', async () => {
    const { dir } = await tableOf(50);
    const catalogue = await Catalogue.open(dir);
    expect(catalogue.photoCount()).toBe(50);
    const byId = catalogue.photoById('id-13')!;
    expect(catalogue.photoByPath(byId.path)).toBe(byId);
    expect(catalogue.photosWithHash('h13')).toContain(byId);
    expect(catalogue.photosUnder('/lib/1')).toContain(byId);
    expect(catalogue.photos()[13]).toBe(byId);
    expect(byId.tags).toEqual([{ label: 't13', score: 0.5, seen: true, row: 0 }]);
    await catalogue.close();
  });

  it('forgets a pack’s embeddings without reading the other records', async () => {
    const { dir, model } = await tableOf(60);
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    catalogue.forgetPackEmbeddings('a');
    expect(catalogue.embeddingSlots('a')).toEqual([]);
    await catalogue.close();
    const reopened = await Catalogue.open(dir);
    const packs = reopened.photos().map((p) => p.embedding?.pack);
    expect(packs).toEqual([...model.values()].map((m) => (m.pack === 'a' ? undefined : m.pack)));
    expect(packs).toContain('b');
    await reopened.close();
  });

  it('reads every record in the background while records change, each once', async () => {
    const { dir, model } = await tableOf(10_000);
    const catalogue = await Catalogue.open(dir, { debounceMs: 1 });
    const next = random(11);
    const warming = catalogue.warmPhotos();
    for (let n = 0; n < 300; n++) {
      await change(catalogue, model, next, n);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await warming;
    const ids = catalogue.photos().map((p) => p.id);
    expect(ids).toEqual([...model.keys()]);
    expect(answers(catalogue, model)).toEqual(expectedAnswers(model));
    await catalogue.close();
  });
});
