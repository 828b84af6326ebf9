/**
 * The gallery at 100k photos: the renderer in Chromium against `anytag serve`, with the photo
 * list answered by a synthetic 100,000-photo library (network interception). Only what is on
 * screen is in the page, pages of the list load as it scrolls, and the keyboard reaches the end.
 */
import path from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuilt } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp.js';
import { launchChromium } from './chromium.js';
import { startServe, type ServeProcess } from './serve-process.js';

const TOTAL = 100_000;
const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'e2e');
// A 1×1 grey GIF for every thumbnail.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAICAgP///yH5BAAAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

function fakePhotos(offset: number, limit: number): unknown[] {
  const end = Math.min(TOTAL, offset + limit);
  return Array.from({ length: Math.max(0, end - offset) }, (_, i) => ({
    id: `p-${offset + i}`,
    path: `/photos/photo-${String(offset + i).padStart(6, '0')}.jpg`,
    state: 'indexed',
  }));
}

describe('the gallery at 100,000 photos', () => {
  let serve: ServeProcess;
  let browser: BrowserContext;
  let page: Page;
  const requested: number[] = [];

  beforeAll(async () => {
    requireBuilt(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'), 'run `npm run build:web`');
    serve = await startServe(path.join(await tempDir(), 'data'));
    browser = await launchChromium(await tempDir('anytag-chromium-'));
    page = await browser.newPage();
    await page.route('**/api/listPhotos', async (route: Route) => {
      const { offset, limit } = route.request().postDataJSON() as { offset: number; limit: number };
      requested.push(offset);
      await route.fulfill({ json: { total: TOTAL, offset, photos: fakePhotos(offset, limit) } });
    });
    await page.route('**/api/status', async (route: Route) => {
      const real = await route.fetch();
      const status = (await real.json()) as Record<string, unknown>;
      await route.fulfill({
        json: {
          ...status,
          photos: { total: TOTAL, indexed: TOTAL, failed: 0 },
          folders: ['/photos'],
        },
      });
    });
    await page.route('**/media/thumb/*', (route: Route) =>
      route.fulfill({ body: PIXEL, contentType: 'image/gif' }),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('keeps only the visible tiles in the page while scrolling to the end', async () => {
    await page.goto(serve.url);
    await page.getByRole('heading', { name: /All photos \(100,000\)/ }).waitFor();
    const tiles = page.getByRole('button', { name: /^Open photo-/ });
    await tiles.first().waitFor();
    expect(await tiles.count()).toBeLessThan(200);
    expect(requested).toEqual([0]);

    await tiles.first().focus();
    await page.keyboard.press('End');
    await page.getByRole('button', { name: 'Open photo-099999.jpg' }).waitFor();
    expect(await page.getByRole('button', { name: /^Open photo-/ }).count()).toBeLessThan(200);
    // Only the first page and the last were asked for, never the 198 in between.
    expect(requested).toEqual([0, 99_500]);
    await page.screenshot({ path: path.join(SHOTS, '11-gallery-100k-end.png') });

    await page.keyboard.press('Home');
    await page.getByRole('button', { name: 'Open photo-000000.jpg' }).waitFor();
  });
});
