/**
 * Degrade, don't die: a damaged embeddings header is set aside with a message and the photos
 * are re-embedded; a catalogue recovered from its backup says what was lost.
 */
import { open, readdir, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { CATALOGUE_FILE, Catalogue } from '../../../src-main/engine/store/catalogue.js';
import { EmbeddingStore } from '../../../src-main/engine/store/embedding-store.js';
import { tinyEngineOptions, tinyLibrary } from '../../helpers/engine-fixture.js';
import { tempDir } from '../../helpers/temp.js';

describe('damaged storage', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  it('rebuilds embeddings whose header is damaged, saying so', async () => {
    const lib = await tinyLibrary({ colours: { red: [255, 0, 0], blue: [0, 0, 255] } });
    const { photos } = lib;
    const options = tinyEngineOptions(lib, { thumbnails: true });
    const first = await Engine.open(options);
    await new Api(first).call('indexPaths', { paths: [photos] });
    await first.close();
    const file = EmbeddingStore.fileFor(options.dataDir, 'tiny');
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from('JUNK'), 0, 4, 0);
    await handle.close();

    const engine = await Engine.open(options);
    engines.push(engine);
    const api = new Api(engine);
    const status = await api.call('status', {});
    expect(status.notices).toEqual([
      expect.stringMatching(/damaged header.*2 photos will be re-embedded/),
    ]);
    expect(status.photos.indexed).toBe(0);
    const names = await readdir(path.dirname(file));
    expect(names.some((n) => n.startsWith('tiny.aem.damaged-'))).toBe(true);
    await api.call('indexPaths', { paths: [photos] });
    expect((await api.call('status', {})).photos).toEqual({ total: 2, indexed: 2, failed: 0 });
    const { hits } = await api.call('search', { query: 'red' });
    expect(path.basename(hits[0]!.path)).toBe('red.png');
  });

  it('says what a recovery from the backup lost', async () => {
    const dir = await tempDir();
    const catalogue = await Catalogue.open(dir, { debounceMs: 5 });
    catalogue.addFolder('/photos/one');
    await catalogue.flush();
    const backupTime = (await stat(path.join(dir, CATALOGUE_FILE))).mtime.toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    catalogue.addFolder('/photos/two');
    await catalogue.flush();
    const file = path.join(dir, CATALOGUE_FILE);
    await truncate(file, (await stat(file)).size - 10);
    const recovered = await Catalogue.open(dir);
    const report = recovered.loadReport;
    expect(report.backupSavedAt).toBe(backupTime);
    expect(report.lost).toMatch(new RegExp(`changes saved after ${backupTime} .* are lost`));
    expect(report.keptAs).toMatch(/catalogue\.json\.corrupt-\d+$/);
    expect(await stat(report.keptAs!)).toBeTruthy();
    expect(recovered.folders().map((f) => f.path)).toEqual(['/photos/one']);
  });
});
