/**
 * The renderer applies the engine's events instead of asking again, counted in Chromium against
 * a real `anytag serve` with the starter pack: one keystroke in the vocabulary editor sends one
 * request (after its debounce), and photos being indexed change state in the gallery from their
 * `photoIndexed` events with no `listPhotos` request and no status polling.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_PHOTOS } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp.js';
import { launchChromium } from './chromium.js';
import { requireServeBuilt, startServe, type ServeProcess } from './serve-process.js';

const PHOTOS = ['bird.jpg', 'cat.jpg', 'owl.jpg'];
/** Longer than every debounce in the renderer (250 ms keystrokes, 1 s event bursts). */
const SETTLE_MS = 1500;
const WAIT = { timeout: 60_000 };

describe('the renderer applies events', () => {
  let serve: ServeProcess;
  let browser: BrowserContext;
  let page: Page;
  let folder: string;
  /** API requests the page made, by method, in order (the event stream aside). */
  const requests: string[] = [];
  const since = (start: number): string[] => requests.slice(start);
  const callApi = (method: string): Promise<number> =>
    page.evaluate(
      async (m) =>
        (
          await fetch(`api/${m}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      method,
    );

  beforeAll(async () => {
    await requireServeBuilt();
    folder = path.join(await tempDir(), 'photos');
    await mkdir(folder, { recursive: true });
    for (const name of PHOTOS)
      await copyFile(path.join(REFERENCE_PHOTOS, name), path.join(folder, name));
    serve = await startServe(path.join(await tempDir(), 'data'));
    browser = await launchChromium(await tempDir('anytag-chromium-'));
    page = await browser.newPage();
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      const method = /\/api\/([^/]+)$/.exec(pathname)?.[1];
      if (method && method !== 'events') requests.push(method);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('updates gallery tiles from photoIndexed events, without refetching the list', async () => {
    await page.goto(serve.url);
    await page.getByRole('heading', { name: 'Welcome to Anytag' }).waitFor(WAIT);
    // Held queue: the folder's photos are found (pending) and listed before any is indexed.
    expect(await callApi('pauseIndexing')).toBe(200);
    await page.getByLabel('Folder path').fill(folder);
    await page.getByRole('button', { name: 'Add and index' }).click();
    const tiles = page.getByRole('button', { name: /^Open / });
    await expect.poll(() => tiles.count(), WAIT).toBe(PHOTOS.length);
    await expect
      .poll(() => tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), WAIT)
      .toEqual(PHOTOS.map(() => 'pending'));

    await page.waitForTimeout(SETTLE_MS);
    const start = requests.length;
    expect(await callApi('resumeIndexing')).toBe(200);
    await expect
      .poll(() => tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), WAIT)
      .toEqual(PHOTOS.map(() => 'indexed'));
    await page.waitForTimeout(SETTLE_MS);
    const during = since(start).filter((m) => m !== 'resumeIndexing');
    // The tiles changed from the events alone: the photo list was never asked for again.
    expect(during).not.toContain('listPhotos');
    // No polling: the status was asked for at most once a second while the events came.
    expect(during.filter((m) => m === 'status').length).toBeLessThanOrEqual(3);
  });

  it('sends one request per keystroke in the vocabulary editor, after the debounce', async () => {
    await page.getByRole('button', { name: 'Vocabulary' }).click();
    await page.getByRole('heading', { name: 'Vocabulary' }).waitFor(WAIT);
    await page.waitForTimeout(SETTLE_MS);

    let start = requests.length;
    await page.getByLabel('Filter labels').press('s');
    await page.waitForTimeout(SETTLE_MS);
    expect(since(start)).toEqual(['listLabels']);

    start = requests.length;
    await page.getByLabel('New label').press('s');
    await page.waitForTimeout(SETTLE_MS);
    expect(since(start)).toEqual(['previewLabel']);

    // Fast typing: one request for the whole word, once typing pauses.
    start = requests.length;
    await page.getByLabel('New label').pressSequentially('ky', { delay: 30 });
    await page.waitForTimeout(SETTLE_MS);
    expect(since(start)).toEqual(['previewLabel']);
  });
});
