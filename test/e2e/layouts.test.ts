/**
 * Issue 15's "layouts checked at 390, 800 and 1280 px" and "light/dark": every view (the gallery
 * with its folder and date browser, a search with results, the photo viewer, the vocabulary with
 * a label's tuner, the review queue, Folders, Settings, the shortcuts sheet) at a small laptop's
 * 800×1000 in the light scheme, and at a laptop's 1280×800 and a phone's 390×844 with the
 * system in dark mode (emulated prefers-color-scheme; the app follows it unless Settings
 * chooses). In each, nothing scrolls sideways, no control lies off-screen or under another, and
 * axe-core (colour contrast included) finds no serious violation. Typing a quoted phrase never
 * suggests a word with a quote in it (`dog"`, issue 15 item 12).
 * Screenshots: test-artifacts/e2e/{layout-800,dark-desktop,dark-phone}-NN-<view>.png.
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_PHOTOS } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp.js';
import { seriousViolations, type AxeViolation } from './axe.js';
import { launchChromium } from './chromium.js';
import { horizontalOverflow, misplacedControls, squeezedText } from './layout-checks.js';
import { waitForImages, watchedPage } from './page-waits.js';
import {
  callApi,
  requireServeBuilt,
  SHOTS,
  startServe,
  type ServeProcess,
} from './serve-process.js';

const WAIT = { timeout: 30_000 };
const LAYOUTS = [
  { name: 'layout-800', width: 800, height: 1000, scheme: 'light' },
  { name: 'dark-desktop', width: 1280, height: 800, scheme: 'dark' },
  { name: 'dark-phone', width: 390, height: 844, scheme: 'dark' },
] as const;

interface FolderRow {
  photos: { total: number; pending: number };
}

let serve: ServeProcess;
let browser: BrowserContext;
let total = 0;
const problems: string[] = [];

beforeAll(async () => {
  await requireServeBuilt();
  const dir = await tempDir();
  const folder = path.join(dir, 'Pictures');
  await cp(REFERENCE_PHOTOS, folder, { recursive: true });
  serve = await startServe(path.join(dir, 'data'));
  browser = await launchChromium(await tempDir('anytag-chromium-'));
  await callApi(serve, 'addFolder', { path: folder });
  const until = Date.now() + 280_000;
  for (;;) {
    const { folders } = await callApi<{ folders: FolderRow[] }>(serve, 'listFolders');
    const photos = folders[0]?.photos;
    if (photos && photos.total > 0 && photos.pending === 0) {
      total = photos.total;
      break;
    }
    if (Date.now() > until) throw new Error(`indexing did not finish:\n${serve.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // A label of the user's: the tuner and the review queue show it.
  await callApi(serve, 'addLabel', { text: 'feathers' });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** What one view showed: sideways overflow (px), misplaced controls and axe's findings. */
interface ViewReport {
  overflow: number;
  misplaced: string[];
  squeezed: string[];
  axe: AxeViolation[];
}

for (const layout of LAYOUTS) {
  describe(`every view at ${layout.width}×${layout.height}, ${layout.scheme}`, () => {
    let page: Page;
    let step = 0;
    const phone = layout.width < 700;
    const report: Record<string, ViewReport> = {};
    const nav = (name: string) => page.getByRole('button', { name, exact: true }).click();
    const dialog = () => page.getByRole('dialog');
    /** The page's scheme as its background shows it (brightest sRGB channel < or > 50%). */
    const scheme = async (): Promise<'light' | 'dark'> => {
      const channels = await page.evaluate<number[]>(
        `getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)`,
      );
      return Math.max(...channels) / 255 < 0.5 ? 'dark' : 'light';
    };
    /** Checks the view as it is now, keeps its report and saves its screenshot. */
    const check = async (view: string, within?: string): Promise<void> => {
      await waitForImages(page);
      await page.waitForTimeout(200); // transitions settle
      report[view] = {
        overflow: await horizontalOverflow(page),
        misplaced: await misplacedControls(page, within),
        squeezed: await squeezedText(page),
        axe: await seriousViolations(page),
      };
      const name = `${layout.name}-${String(++step).padStart(2, '0')}-${view}.png`;
      await page.screenshot({ path: path.join(SHOTS, name) });
    };

    beforeAll(async () => {
      page = await watchedPage(browser, problems, layout);
      await page.emulateMedia({ colorScheme: layout.scheme });
      await page.goto(serve.url);
      await page.getByRole('heading', { name: `All photos (${total})` }).waitFor(WAIT);
    });
    afterAll(() => page.close());
    afterEach(async ({ task }) => {
      if (task.result?.state !== 'fail') return;
      const name = `${layout.name}-failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}.png`;
      await page.screenshot({ path: path.join(SHOTS, name) });
    });

    it(`follows the system's ${layout.scheme} scheme`, async () => {
      await expect(scheme()).resolves.toBe(layout.scheme);
    });

    it('shows the gallery with the folder and date browser', async () => {
      await page
        .getByRole('button', { name: /^Open / })
        .first()
        .waitFor(WAIT);
      if (phone) {
        await check('gallery');
        await page.getByRole('button', { name: 'Browse folders and dates' }).click();
      }
      await page.getByRole('tree', { name: 'Folders' }).waitFor(WAIT);
      // On a phone the open drawer covers the page: its own controls are what must fit.
      await check(phone ? 'browse-drawer' : 'gallery-browse', phone ? 'aside.open' : undefined);
      if (phone) {
        await page.keyboard.press('Escape');
        await page.getByRole('tree', { name: 'Folders' }).waitFor({ state: 'hidden' });
      }
    });

    it('suggests a quoted phrase as the phrase, never a word ending in a quote', async () => {
      const box = page.getByRole('combobox', { name: /Search photos/ });
      await box.fill('"hot dog"');
      const options = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
      await options.first().waitFor(WAIT);
      const texts = await options.locator('span:first-child').allTextContents();
      expect(texts.some((t) => t.includes('"'))).toBe(false);
      expect(texts[0]).toBe('hot dog');
      // The open list covers the page below it: the search form's own controls must fit.
      await check('search-suggestions', 'form:has(#search-suggestions)');
      await box.fill('');
      await page.keyboard.press('Escape');
    });

    it('shows a search with results', async () => {
      const box = page.getByRole('combobox', { name: /Search photos/ });
      await box.fill('bird');
      await page.keyboard.press('Escape'); // the suggestions close; the word stays
      await box.press('Enter');
      await page.getByRole('heading', { name: /“bird”/ }).waitFor(WAIT);
      await page
        .getByRole('button', { name: /^Open / })
        .first()
        .waitFor(WAIT);
      await check('search-results');
    });

    it('shows the photo viewer', async () => {
      await page
        .getByRole('button', { name: /^Open / })
        .first()
        .click();
      await dialog().getByRole('list', { name: 'Tags' }).waitFor(WAIT);
      await check('photo-viewer');
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Clear search' }).click();
    });

    it('shows the vocabulary with a saved label’s tuner', async () => {
      await nav('Vocabulary');
      const labels = page.getByRole('list', { name: 'Labels' });
      await labels.getByRole('button', { name: 'Tune feathers: preview and threshold' }).click();
      const preview = labels.getByRole('region', { name: 'Preview of feathers' });
      await preview.getByRole('slider', { name: 'Threshold' }).waitFor(WAIT);
      await preview
        .getByRole('list', { name: 'Just below the threshold' })
        .getByRole('button')
        .first()
        .waitFor(WAIT);
      await check('vocabulary-tuner');
    });

    it('shows the review queue', async () => {
      await page.getByRole('button', { name: 'Start reviewing' }).click();
      await page
        .getByRole('group', { name: /^Is this photo “.+”\?$/ })
        .getByText(/to review$/)
        .waitFor(WAIT);
      await page.getByRole('group', { name: /^Is this photo/ }).scrollIntoViewIfNeeded();
      await check('review-queue');
    });

    it('shows an answer’s toast with Undo', async () => {
      const card = page.getByRole('group', { name: /^Is this photo/ });
      const before = await card.getByRole('img').getAttribute('alt');
      await page.keyboard.press('n');
      const toasts = page.getByRole('status', { name: 'Notifications' });
      const undo = toasts.getByRole('button', { name: 'Undo', exact: true }).first();
      await undo.waitFor(WAIT);
      // The toast floats over the page: its own controls must fit.
      await check('review-toast', '[aria-label="Notifications"]');
      await undo.click();
      await card.getByRole('img', { name: before! }).waitFor(WAIT);
    });

    it('shows Folders', async () => {
      await nav('Folders');
      await page.getByRole('list', { name: 'Library folders' }).waitFor(WAIT);
      await check('folders');
      // An error beside the field (its colour is audited too), then the field cleared.
      const field = page.getByLabel('Folder path');
      await field.fill('/no/such/folder');
      await page.getByRole('button', { name: 'Add folder' }).click();
      await expect.poll(() => field.getAttribute('aria-invalid'), WAIT).toBe('true');
      await check('folders-error');
      await field.fill('');
    });

    it('shows Settings', async () => {
      await nav('Settings');
      await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor(WAIT);
      await check('settings');
    });

    it('lets Settings choose the other scheme over the system’s, and back', async () => {
      const other = layout.scheme === 'dark' ? 'light' : 'dark';
      try {
        await page.getByRole('radio', { name: other === 'dark' ? 'Dark' : 'Light' }).check();
        await expect.poll(scheme, WAIT).toBe(other);
        // The browser's own parts (radios, checkboxes, scroll bars) follow the choice too.
        await expect(
          page.evaluate<string>('getComputedStyle(document.documentElement).colorScheme'),
        ).resolves.toBe(other);
        await page.screenshot({ path: path.join(SHOTS, `${layout.name}-settings-${other}.png`) });
      } finally {
        // Remembered (this browser shares it with the other layouts): back to the system's.
        await page.getByRole('radio', { name: 'Like the system' }).check();
      }
      await expect.poll(scheme, WAIT).toBe(layout.scheme);
    });

    it('shows the shortcuts sheet', async () => {
      await nav('Photos');
      await page.evaluate('document.activeElement && document.activeElement.blur()');
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor(WAIT);
      await check('shortcuts');
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
    });

    it('has no sideways scroll, misplaced control or serious axe finding in any view', () => {
      const clean: ViewReport = { overflow: 0, misplaced: [], squeezed: [], axe: [] };
      const views = Object.keys(report);
      expect(views.length).toBe(phone ? 12 : 11);
      expect(report).toEqual(Object.fromEntries(views.map((v) => [v, clean])));
    });
  });
}

it('ran without script errors or Content-Security-Policy refusals', () => {
  expect(problems).toEqual([]);
});
