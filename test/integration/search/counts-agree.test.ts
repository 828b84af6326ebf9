/**
 * One definition of "tags this photo" on one library (the reference photos, starter pack): a
 * label's tag lists, its photo count, its preview, a search for it and `addLabel`'s report
 * all name the same photos — thumbs-up and -down included; user labels come first in a list,
 * and a pack label implied by a more specific one listed is folded behind it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { openStarterEngine } from '../../helpers/engine-fixture.js';
import { REFERENCE_PHOTOS } from '../../helpers/shared.js';

const name = (p: string) => path.basename(p, path.extname(p));

describe('counts agree everywhere', () => {
  let engine: Engine;
  let api: Api;

  beforeAll(async () => {
    ({ engine, api } = await openStarterEngine());
    await api.call('indexPaths', { paths: [REFERENCE_PHOTOS] });
  });
  afterAll(() => engine?.close());

  /** The photos each view says the label tags, by file name, sorted. */
  const views = async (label: string) => {
    const key = engine.activePack().then((a) => a.vocabulary.get(label).key);
    const k = await key;
    const inLists = engine.catalogue
      .photos()
      .filter((p) => p.tags.some((t) => t.key === k))
      .map((p) => name(p.path))
      .sort();
    const listed = (await api.call('listLabels', { filter: label, limit: 2000 })).labels.find(
      (l) => l.key === k,
    )!;
    const preview = await api.call('previewLabel', { text: label, limit: 100 });
    const search = await api.call('search', { query: `"${label}"`, limit: 100 });
    const found = search.hits
      .filter((h) => h.matched)
      .map((h) => name(h.path))
      .sort();
    const photoTags = [];
    for (const photo of engine.catalogue.photos()) {
      const tags = (await api.call('photoTags', { photo: photo.id })).tags;
      if (tags.some((t) => t.key === k)) photoTags.push(name(photo.path));
    }
    return {
      inLists,
      count: listed.tagged,
      previewCount: preview.matches,
      preview: preview.photos.map((p) => name(p.path)).sort(),
      searchCount: search.matches,
      search: found,
      photoTags: photoTags.sort(),
    };
  };

  const expectAgreement = async (label: string) => {
    const v = await views(label);
    expect(v.count, `${label}: count`).toBe(v.inLists.length);
    expect(v.previewCount, `${label}: preview count`).toBe(v.inLists.length);
    expect(v.preview, `${label}: preview`).toEqual(v.inLists);
    expect(v.searchCount, `${label}: search count`).toBe(v.inLists.length);
    expect(v.search, `${label}: search`).toEqual(v.inLists);
    expect(v.photoTags, `${label}: photoTags`).toEqual(v.inLists);
    return v.inLists;
  };

  it('pack labels, specific and general', async () => {
    expect(await expectAgreement('bird')).toEqual(['bird', 'owl', 'parrot']);
    for (const label of ['animal', 'vertebrate', 'dog', 'cat', 'food', 'hotdog']) {
      await expectAgreement(label);
    }
  });

  it('a user label: the add report, lists, preview and search agree, and it comes first', async () => {
    const added = await api.call('addLabel', { text: 'pet' });
    const tagged = await expectAgreement('pet');
    expect(added.label.tagged).toBe(tagged.length);
    expect(tagged.length).toBeGreaterThan(0);
    for (const photo of engine.catalogue.photos()) {
      if (tagged.includes(name(photo.path))) expect(photo.tags[0]!.key).toBe('pet');
    }
  });

  it('votes decide alike in every view', async () => {
    const bird = path.join(REFERENCE_PHOTOS, 'bird.jpg');
    const hotDog = path.join(REFERENCE_PHOTOS, 'hot_dog.jpg');
    await api.call('tagFeedback', { photo: bird, label: 'pet', vote: 'up' });
    await api.call('tagFeedback', { photo: hotDog, label: 'bird', vote: 'up' });
    const owl = path.join(REFERENCE_PHOTOS, 'owl.jpg');
    await api.call('tagFeedback', { photo: owl, label: 'bird', vote: 'down' });
    expect(await expectAgreement('pet')).toContain('bird');
    const birds = await expectAgreement('bird');
    expect(birds).toContain('hot_dog');
    expect(birds).not.toContain('owl');
  });

  it('folds a pack label implied by a more specific one behind it', async () => {
    const parrot = engine.catalogue.photoByPath(path.join(REFERENCE_PHOTOS, 'parrot.jpg'))!;
    const byKey = new Map(parrot.tags.map((t) => [t.key, t]));
    expect(byKey.get('macaw')?.impliedBy).toBeUndefined();
    for (const general of ['bird', 'vertebrate', 'chordate', 'animal']) {
      expect(byKey.get(general)?.impliedBy, general).toBeDefined();
    }
    const shown = parrot.tags.filter((t) => !t.impliedBy);
    const folded = parrot.tags.filter((t) => t.impliedBy);
    expect(parrot.tags).toEqual([...shown, ...folded]);
  });
});
