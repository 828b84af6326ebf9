/**
 * What the photographer suites (photographer-folders.test.ts, photographer-photos.test.ts) share:
 * a `serve` over a temp copy of the 11 reference photos plus one 64×48 picture, a Chromium, the
 * two window sizes, and per page the helpers the steps use (screenshots named
 * photographer-<size>-*.png, the open dialog, "lies wholly on screen", the viewer's image
 * loaded), and the hook that keeps a failed step from leaving a dialog open for the next.
 */
import { execFile } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { REFERENCE_PHOTOS, REPO_ROOT } from '../helpers/shared.js';
import { solidImage, tempDir } from '../helpers/temp.js';
import { launchChromium } from './chromium.js';
import { requireServeBuilt, SHOTS, startServe, type ServeProcess } from './serve-process.js';

export const WAIT = { timeout: 30_000 };
/** 11 reference photos and one 64×48 picture (smaller than any screen). */
export const PHOTOS = 12;
export const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
export type Size = (typeof SIZES)[number];

export interface Photographer {
  serve: ServeProcess;
  browser: BrowserContext;
  /** The photos' folder (Pictures in a temp folder). */
  folder: string;
  close(): Promise<void>;
}

/**
 * Copies the photos, then starts `serve` on a new data folder and Chromium. With `indexed`, the
 * folder is added and indexed first (the real CLI), so the library is ready when the page opens.
 */
export async function startPhotographer(
  options: { indexed?: boolean } = {},
): Promise<Photographer> {
  await requireServeBuilt();
  const dir = await tempDir();
  const folder = path.join(dir, 'Pictures');
  await cp(REFERENCE_PHOTOS, folder, { recursive: true });
  await solidImage(path.join(folder, 'small.png'), [200, 40, 40], { width: 64, height: 48 });
  const data = path.join(dir, 'data');
  if (options.indexed) {
    const cli = path.join(REPO_ROOT, 'bin', 'anytag.js');
    await promisify(execFile)('node', [cli, 'index', folder, '--data', data], {
      timeout: 280_000,
    });
  }
  const serve = await startServe(data);
  const browser = await launchChromium(await tempDir('anytag-chromium-'));
  return {
    serve,
    browser,
    folder,
    close: async () => {
      await browser.close();
      await serve.stop();
    },
  };
}

/** The helpers a step uses on `page()` at `size`. */
export function pageHelpers(page: () => Page, size: Size) {
  const dialog = (): ReturnType<Page['getByRole']> => page().getByRole('dialog');
  return {
    shot: (name: string): Promise<Buffer> =>
      page().screenshot({ path: path.join(SHOTS, `photographer-${size.name}-${name}.png`) }),
    dialog,
    /** The dialog's button lies wholly inside the window (reachable without scrolling). */
    onScreen: async (name: string | RegExp): Promise<void> => {
      const box = await dialog().getByRole('button', { name, exact: true }).boundingBox();
      expect(box, String(name)).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
      expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);
    },
  };
}

/**
 * After a failed step: a picture of what the page showed, and any dialog it left open closed.
 * For `afterEach`.
 */
export async function afterFailedStep(
  page: Page,
  task: { name: string; result?: { state?: string } },
  shot: (name: string) => Promise<Buffer>,
): Promise<void> {
  if (task.result?.state !== 'fail') return;
  await shot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  for (let i = 0; i < 3 && (await page.locator('dialog[open]').count()) > 0; i++) {
    await page.keyboard.press('Escape');
  }
}

/** Waits until the open photo's image has loaded. */
export async function imageLoaded(page: Page): Promise<void> {
  const img = page.getByRole('dialog').locator('img');
  await expect
    .poll(() => img.evaluate((e) => (e as unknown as { complete: boolean }).complete), WAIT)
    .toBe(true);
}
