/**
 * While Anytag watches: a sidecar edited by another tool has the photo's keywords read again
 * (metadata only; the photo is not indexed again) and its tags follow (a keyword is a thumbs-up);
 * a photo arriving in a folder that opted in gets its sidecar written once indexing goes quiet.
 */
import { existsSync } from 'node:fs';
import { rename, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { openTinyEngine, QUICK_WATCH, tinyLibrary } from '../../helpers/engine-fixture.js';
import { asList, exiftoolRead, exiftoolWrite, plainImage } from '../../helpers/exiftool-fixture.js';
import { until } from '../../helpers/until.js';

describe('a sidecar changed by another tool', () => {
  let engine: Engine;
  let api: Api;
  let photo: string;
  let root: string;

  beforeAll(async () => {
    const lib = await tinyLibrary();
    root = lib.root;
    const photos = lib.photos;
    photo = await plainImage(path.join(photos, 'red.jpg'), 'jpeg', [250, 10, 10]);
    // Others to calibrate thresholds against.
    await plainImage(path.join(photos, 'green.jpg'), 'jpeg', [10, 250, 10]);
    await plainImage(path.join(photos, 'blue.jpg'), 'jpeg', [10, 10, 250]);
    ({ engine, api } = await openTinyEngine(lib, { library: { watch: QUICK_WATCH } }));
    await api.call('addFolder', { path: photos });
    await api.call('indexPaths', { paths: [photos] });
    await (await engine.library()).startWatching();
  });

  afterAll(async () => {
    await engine.close();
  });

  it('re-reads its keywords, without indexing the photo again', async () => {
    const record = engine.catalogue.photoByPath(photo)!;
    expect(record.meta!.keywords).toEqual([]);
    expect(record.tags.map((t) => t.label)).not.toContain('blue');
    const hash = record.hash;
    let indexed = 0;
    engine.libraryEvents.on('indexProgress', (p) => (indexed = Math.max(indexed, p.indexed)));
    // Lightroom's naming: photo.xmp beside photo.jpg.
    const sidecar = path.join(path.dirname(photo), 'red.xmp');
    await exiftoolWrite(sidecar, ['-XMP-dc:Subject=heron', '-XMP-dc:Subject=blue']);
    await until('the keywords', () => record.meta!.keywords.length === 2);
    expect(record.meta!.keywords).toEqual(['heron', 'blue']);
    expect(record.meta!.sidecar).toBe(sidecar);
    // "blue" is a label: the keyword is a thumbs-up, so the red photo is tagged blue.
    await until('the blue tag', () => record.tags.some((t) => t.label === 'blue'));
    expect(record.hash).toBe(hash);
    expect(indexed).toBe(0);

    await rm(sidecar);
    await until('the keywords gone', () => record.meta!.keywords.length === 0);
    await until('the blue tag gone', () => !record.tags.some((t) => t.label === 'blue'));
  });

  it('writes the tags of a photo that arrives in a folder that opted in, unasked', async () => {
    const folder = path.dirname(photo);
    await api.call('setTagWriting', { path: folder, mode: 'sidecar' });
    const arrived = await plainImage(path.join(root, 'new.jpg'), 'jpeg', [250, 20, 20]);
    const past = new Date(Date.now() - 60_000);
    await utimes(arrived, past, past);
    await rename(arrived, path.join(folder, 'new.jpg'));
    const sidecar = path.join(folder, 'new.jpg.xmp');
    await until('its sidecar', () => existsSync(sidecar), 30_000);
    const record = await until('its record', () =>
      engine.catalogue.photoByPath(path.join(folder, 'new.jpg')),
    );
    const xmp = await exiftoolRead(sidecar);
    expect(record.tags.length).toBeGreaterThan(0);
    expect(asList(xmp['XMP-lr:HierarchicalSubject'])).toEqual(
      record.tags.map((t) => `Anytag|${t.label}`),
    );
  }, 40_000);
});
