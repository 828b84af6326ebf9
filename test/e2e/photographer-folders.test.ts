/**
 * The app as a photographer meets it (issue 15), part one — folders and the gallery — at a
 * phone's 390×844 and a laptop's 1280×800: a typed folder's error stays beside the field, the
 * server's folders can be browsed, a search typed before there were photos is dropped once a
 * folder is added, the gallery fills the width, removing a folder asks first and can be undone
 * (and adding it back re-indexes nothing), a folder's name shows its photos, the gallery sorts by
 * name and back, and an unreachable folder shows as offline, not as broken images. Part two is
 * photographer-photos.test.ts. Screenshots go to test-artifacts/e2e/photographer-<size>-*.png.
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitForImages, watchedPage } from './page-waits.js';
import {
  afterFailedStep,
  pageHelpers,
  PHOTOS,
  SIZES,
  startPhotographer,
  WAIT,
  type Photographer,
} from './photographer-fixture.js';

let app: Photographer;
let folder: string;
/** Script errors and CSP refusals the pages report; none are expected. */
const problems: string[] = [];

beforeAll(async () => {
  app = await startPhotographer({ indexed: false });
  folder = app.folder;
}, 300_000);

afterAll(async () => {
  await app?.close();
});

for (const size of SIZES) {
  describe(`a photographer’s folders and gallery, ${size.name} ${size.width}×${size.height}`, () => {
    let page: Page;
    const { shot } = pageHelpers(() => page, size);

    beforeAll(async () => {
      page = await watchedPage(app.browser, problems, size);
      await page.goto(app.serve.url);
    });

    afterAll(() => page.close());
    // A failed step leaves a picture of what the page showed, and closes any dialog it left open.
    afterEach(async ({ task }) => afterFailedStep(page, task, shot));

    it('keeps a typed folder and shows its error beside the field, staying in Folders', async () => {
      await page.getByRole('button', { name: 'Folders', exact: true }).click();
      const field = page.getByLabel('Folder path');
      await field.fill('/no/such/folder');
      await page.getByRole('button', { name: 'Add folder' }).click();
      await expect.poll(() => field.getAttribute('aria-invalid'), WAIT).toBe('true');
      await expect(field.inputValue()).resolves.toBe('/no/such/folder');
      const error = page.locator('#folder-path-error');
      await expect(error.textContent()).resolves.toMatch(/does not exist/);
      await page.getByRole('heading', { name: 'Folders' }).waitFor();
      await shot('01-folder-error');
    });

    it('browses the server’s folders to choose one (web mode)', async () => {
      await page.getByLabel('Folder path').fill(path.dirname(folder));
      await page.getByRole('button', { name: 'Browse…' }).click();
      const browser = page.getByRole('region', { name: 'Choose a folder on this computer' });
      await browser.getByRole('button', { name: /Pictures$/ }).click();
      await browser.getByText(folder, { exact: true }).waitFor(WAIT);
      await browser.getByRole('button', { name: `Up to ${path.dirname(folder)}` }).waitFor();
      await shot('01b-folder-browser');
      await browser.getByRole('button', { name: 'Cancel' }).click();
      await browser.waitFor({ state: 'detached' });
      await page.getByLabel('Folder path').fill('');
    });

    it(
      'drops a search typed before there were photos once a folder is added',
      { timeout: 300_000 },
      async () => {
        if (size.name !== 'desktop') return; // the library is empty only in the first run
        await page.getByRole('combobox', { name: /Search photos/ }).fill('dog');
        await page.keyboard.press('Enter');
        await page.getByRole('button', { name: 'Folders', exact: true }).click();
        await page.getByLabel('Folder path').fill(folder);
        await page.getByRole('button', { name: 'Add folder' }).click();
        await page
          .getByRole('list', { name: 'Library folders' })
          .getByText(`${PHOTOS} photos, all indexed`)
          .waitFor({ timeout: 280_000 });
        await page.getByRole('button', { name: 'Photos', exact: true }).click();
        await page.getByRole('heading', { name: `All photos (${PHOTOS})` }).waitFor(WAIT);
        await expect(
          page.getByRole('combobox', { name: /Search photos/ }).inputValue(),
        ).resolves.toBe('');
      },
    );

    it('fills the width with the gallery', async () => {
      await page.getByRole('button', { name: 'Photos', exact: true }).click();
      const tiles = page.getByRole('button', { name: /^Open / });
      await tiles.first().waitFor(WAIT);
      const scroller = await page.locator('.scroller').boundingBox();
      const lefts = await tiles.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()));
      const firstRow = lefts.filter((r) => Math.abs(r.top - lefts[0]!.top) < 2);
      const used = firstRow.at(-1)!.right - firstRow[0]!.left;
      expect(used / scroller!.width).toBeGreaterThan(0.95);
      await waitForImages(page);
      await shot('02-gallery');
    });

    it('asks before removing a folder, names the photos, and Undo brings them back at once', async () => {
      await page.getByRole('button', { name: 'Folders', exact: true }).click();
      await page.getByRole('button', { name: `Remove ${folder} from the library` }).click();
      const confirm = page.getByRole('dialog', { name: 'Remove this folder from the library?' });
      await expect(confirm.textContent()).resolves.toContain(`${PHOTOS} photos from ${folder}`);
      await shot('03-remove-confirm');
      // Cancel keeps it.
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('list', { name: 'Library folders' }).getByText(folder).waitFor();
      await page.getByRole('button', { name: `Remove ${folder} from the library` }).click();
      await confirm.getByRole('button', { name: `Remove ${PHOTOS} photos` }).click();
      const toast = page.getByRole('status', { name: 'Notifications' });
      await toast.getByText(`Removed ${folder} (${PHOTOS} photos)`).waitFor(WAIT);
      await page.getByText('No folders yet').waitFor(WAIT);
      await shot('04-removed-undo');
      await toast.getByRole('button', { name: 'Undo', exact: true }).click();
      await page
        .getByRole('list', { name: 'Library folders' })
        .getByText(`${PHOTOS} photos, all indexed`)
        .waitFor(WAIT);
      // Nothing was indexed again: the photos came back by content hash.
      await page.getByText(`Indexing finished: 0 new, ${PHOTOS} unchanged`).waitFor(WAIT);
      await shot('05-undone');
    });

    it('shows a folder’s photos when its name is clicked', async () => {
      await page.getByRole('button', { name: folder, exact: true }).click();
      await page.getByRole('heading', { name: `${folder} (${PHOTOS})` }).waitFor(WAIT);
      await page.getByRole('button', { name: 'All photos' }).click();
      await page.getByRole('heading', { name: `All photos (${PHOTOS})` }).waitFor(WAIT);
    });

    it('sorts the gallery by file name and back to date taken', async () => {
      const first = (): Promise<string | null> =>
        page
          .getByRole('button', { name: /^Open / })
          .first()
          .getAttribute('aria-label');
      await page.getByLabel('Sort by').selectOption('name');
      await expect.poll(first, WAIT).toMatch(/^Open bird\.jpg/);
      const names = await page
        .getByRole('button', { name: /^Open / })
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!.split(/[ ,]/)[1]));
      const byName = (a: string, b: string): number =>
        a.localeCompare(b, undefined, { numeric: true });
      expect(names).toEqual([...names].sort(byName));
      await page.getByLabel('Sort by').selectOption('taken-desc');
      await expect.poll(first, WAIT).not.toMatch(/^Open bird\.jpg/);
    });

    it('marks the photos of an unreachable folder offline, and says so in Folders', async () => {
      const away = `${folder}-away`;
      await rename(folder, away);
      try {
        await page.getByText('Offline', { exact: true }).first().waitFor({ timeout: 60_000 });
        await expect
          .poll(() => page.getByRole('button', { name: /, offline$/ }).count(), WAIT)
          .toBe(PHOTOS);
        await shot('10-offline-tiles');
        await page.getByRole('button', { name: 'Folders', exact: true }).click();
        await page.getByText(`Offline: ${PHOTOS} photos kept with their tags`).waitFor(WAIT);
        await shot('11-offline-folder');
      } finally {
        await rename(away, folder);
      }
      await page.getByText(`${PHOTOS} photos, all indexed`).waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Photos', exact: true }).click();
    });
  });
}

it('ran without script errors or Content-Security-Policy refusals', () => {
  expect(problems).toEqual([]);
});
