/**
 * The app as a photographer meets it (issue 15), part two — photos — at a phone's 390×844 and a
 * laptop's 1280×800, on a library indexed before the page opens: the photo viewer fits a phone
 * and zooms without enlarging small photos, "more like this", swiping, an emptied search box
 * clears its results, every view and photo has an address that reload and Back follow, smart
 * albums, labels added to several photos, votes and the review queue with Undo, removing a label
 * with Undo, and an axe-core audit of every view. Part one is photographer-folders.test.ts.
 * Screenshots go to test-artifacts/e2e/photographer-<size>-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, type AxeViolation } from './axe.js';
import { waitForImages, watchedPage } from './page-waits.js';
import {
  afterFailedStep,
  imageLoaded,
  pageHelpers,
  PHOTOS,
  SIZES,
  startPhotographer,
  WAIT,
  type Photographer,
} from './photographer-fixture.js';

let app: Photographer;
/** Script errors and CSP refusals the pages report; none are expected. */
const problems: string[] = [];

beforeAll(async () => {
  app = await startPhotographer({ indexed: true });
}, 300_000);

afterAll(async () => {
  await app?.close();
});

for (const size of SIZES) {
  describe(`a photographer’s photos, ${size.name} ${size.width}×${size.height}`, () => {
    let page: Page;
    const { shot, dialog, onScreen } = pageHelpers(() => page, size);

    beforeAll(async () => {
      page = await watchedPage(app.browser, problems, size);
      await page.goto(app.serve.url);
    });

    afterAll(() => page.close());
    // A failed step leaves a picture of what the page showed, and closes any dialog it left open.
    afterEach(async ({ task }) => afterFailedStep(page, task, shot));

    it('opens a photo whose controls fit the screen, zooms 1:1, never enlarges a small one', async () => {
      await page.getByRole('button', { name: /^Open bird\.jpg/ }).click();
      await dialog().getByRole('list', { name: 'Tags' }).waitFor(WAIT);
      for (const name of ['Close photo', 'Previous photo', 'Next photo', 'Actual size (1:1)'])
        await onScreen(name);
      const img = dialog().locator('img');
      await imageLoaded(page);
      const fit = await img.evaluate((e) => ({
        shown: e.getBoundingClientRect().width,
        natural: (e as unknown as { naturalWidth: number }).naturalWidth,
      }));
      expect(fit.shown).toBeLessThanOrEqual(fit.natural + 0.5);
      await dialog().getByRole('link', { name: 'Open original' }).waitFor();
      await dialog().getByRole('link', { name: 'Download' }).waitFor();
      await shot('06-viewer');
      await dialog().getByRole('button', { name: 'Actual size (1:1)' }).click();
      await expect
        .poll(() => img.evaluate((e) => e.getBoundingClientRect().width), WAIT)
        .toBeCloseTo(fit.natural, 0);
      await page.keyboard.press('+');
      await expect
        .poll(() => img.evaluate((e) => e.getBoundingClientRect().width), WAIT)
        .toBeCloseTo(fit.natural * 2, 0);
      await shot('07-viewer-zoomed');
      await page.keyboard.press('0');
      // The tags are reachable (scrolled to on a phone).
      const tags = dialog().getByRole('list', { name: 'Tags' });
      await tags.scrollIntoViewIfNeeded();
      expect(await tags.isVisible()).toBe(true);
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });

      await page.getByRole('button', { name: /^Open small\.png/ }).click();
      await imageLoaded(page);
      const small = await dialog()
        .locator('img')
        .evaluate((e) => e.getBoundingClientRect().width);
      expect(small).toBeCloseTo(64, 0);
      await shot('08-viewer-small-photo');
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
    });

    it('shows the photos most like one ("more like this"), the photo itself left out', async () => {
      await page.getByRole('button', { name: /^Open parrot\.jpg/ }).click();
      await dialog().getByRole('button', { name: 'More like this' }).click();
      await page.getByRole('heading', { name: 'Photos like parrot.jpg' }).waitFor(WAIT);
      const names = await page
        .getByRole('button', { name: /^Open .*score/ })
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      expect(names).toHaveLength(PHOTOS - 1);
      expect(names.some((n) => n.startsWith('Open parrot.jpg'))).toBe(false);
      // Birds are most like a bird.
      expect(names.slice(0, 2).every((n) => /^Open (bird|owl)\.jpg/.test(n))).toBe(true);
      await waitForImages(page);
      await shot('08b-more-like-this');
      await page.getByRole('button', { name: 'Clear', exact: true }).click();
      await page.getByRole('heading', { name: /All photos/ }).waitFor(WAIT);
    });

    it('steps with a swipe, and ‹ is off at the first photo', async () => {
      await page
        .getByRole('button', { name: /^Open / })
        .first()
        .click();
      await expect(
        dialog().getByRole('button', { name: 'Previous photo' }).isDisabled(),
      ).resolves.toBe(true);
      const first = await dialog().getAttribute('aria-label');
      const box = (await dialog().locator('figure').boundingBox())!;
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * 0.8, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.2, y, { steps: 5 });
      await page.mouse.up();
      await expect.poll(() => dialog().getAttribute('aria-label'), WAIT).not.toBe(first);
      await expect(dialog().getByText(`2 / ${PHOTOS}`).count()).resolves.toBe(1);
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
    });

    it('clears the results when the search box is emptied (Backspace, Esc)', async () => {
      const box = page.getByRole('combobox', { name: /Search photos/ });
      await box.fill('bird');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /match(es)? “bird”/ }).waitFor(WAIT);
      await box.fill('');
      await page.getByRole('heading', { name: /All photos/ }).waitFor(WAIT);
      await box.fill('owl');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /match(es)? “owl”/ }).waitFor(WAIT);
      await box.focus();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.getByRole('heading', { name: /All photos/ }).waitFor(WAIT);
      await expect(box.inputValue()).resolves.toBe('');
    });

    it('gives each view, search and photo an address: reload restores it, Back walks it', async () => {
      const box = page.getByRole('combobox', { name: /Search photos/ });
      await box.fill('bird');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /match(es)? “bird”/ }).waitFor(WAIT);
      await page.getByRole('button', { name: /^Open bird\.jpg/ }).click();
      await dialog().getByRole('list', { name: 'Tags' }).waitFor(WAIT);
      expect(page.url()).toMatch(/#\/photos\?q=bird&photo=[\w-]+$/);
      await page.reload();
      await page.getByRole('dialog', { name: 'Photo bird.jpg' }).waitFor(WAIT);
      await page.getByRole('heading', { name: /match(es)? “bird”/ }).waitFor(WAIT);
      await shot('09-reloaded-photo');
      await page.goBack();
      await dialog().waitFor({ state: 'detached', ...WAIT });
      await page.getByRole('heading', { name: /match(es)? “bird”/ }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      expect(page.url()).toMatch(/#\/settings/);
      await page.goBack();
      await page.getByRole('heading', { name: /match(es)? “bird”/ }).waitFor(WAIT);
      await page.goForward();
      await page.getByRole('radio', { name: /Starter: MobileNetV2/ }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Photos', exact: true }).click();
      await page.getByRole('button', { name: 'Clear search' }).click();
    });

    it('saves a search as a smart album that opens it again', async () => {
      const box = page.getByRole('combobox', { name: /Search photos/ });
      await box.fill('bird');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /match(es)? “bird”/ }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Save as album' }).click();
      await page.getByRole('button', { name: 'Remove album' }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Clear search' }).click();
      const albums = page.getByRole('list', { name: 'Albums (saved searches)' });
      await albums.getByRole('button', { name: /^bird \d+$/ }).waitFor(WAIT);
      await shot('11b-albums');
      await albums.getByRole('button', { name: /^bird/ }).click();
      await page.getByRole('heading', { name: /match(es)? “bird”/ }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Remove album' }).click();
      await page.getByRole('button', { name: 'Save as album' }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Clear search' }).click();
      await albums.waitFor({ state: 'detached' });
    });

    it('chooses several photos (tap, Ctrl+click, Space) and adds a label to all, with Undo', async () => {
      const toast = page.getByRole('status', { name: 'Notifications' });
      if (size.name === 'phone') {
        await page.getByRole('button', { name: 'Select', exact: true }).click();
        await page.getByRole('button', { name: /^Open bird\.jpg/ }).click();
        await page.getByRole('button', { name: /^Open owl\.jpg/ }).click();
      } else {
        await page
          .getByRole('button', { name: /^Open bird\.jpg/ })
          .click({ modifiers: ['Control'] });
        await page
          .getByRole('button', { name: /^Open owl\.jpg/ })
          .click({ modifiers: ['Control'] });
      }
      await expect(dialog().count()).resolves.toBe(0);
      const parrot = page.getByRole('button', { name: /^Open parrot\.jpg/ });
      await parrot.focus();
      await page.keyboard.press('Space');
      const bar = page.getByRole('region', { name: 'Selected photos' });
      await bar.getByText('3 selected').waitFor(WAIT);
      expect(await page.getByRole('button', { name: /, selected$/ }).count()).toBe(3);
      await bar.getByLabel('Label for the selected photos').fill('keepers');
      await bar.getByRole('button', { name: 'Add label' }).click();
      await toast
        .getByText(/New label\. Added “keepers” to 3 photos; .*tags changed on \d+ photos/)
        .waitFor(WAIT);
      await shot('12-bulk-label');
      await toast.getByRole('button', { name: 'Undo', exact: true }).first().click();
      await toast.getByText(/^(Undone: “keepers”|Undo failed)/).waitFor(WAIT);
      await expect(toast.textContent()).resolves.toContain('Undone: “keepers” is as it was');
      await bar.getByRole('button', { name: 'Clear selection' }).click();
      await bar.waitFor({ state: 'detached' });
      await expect(page.getByRole('button', { name: /, selected$/ }).count()).resolves.toBe(0);
    });

    it('votes on a word tried on one photo, says how many photos changed, and undoes it', async () => {
      await page.getByRole('button', { name: /^Open parrot\.jpg/ }).click();
      await dialog().getByRole('list', { name: 'Tags' }).waitFor(WAIT);
      await dialog().getByLabel('Score any label on this photo').fill('plumage');
      await dialog().getByRole('button', { name: 'Score', exact: true }).click();
      await dialog().getByRole('button', { name: 'Thumbs up: plumage is right' }).click();
      const toast = page.getByRole('status', { name: 'Notifications' });
      await toast
        .getByText(/Saved “plumage” as a label\. .*tags changed on \d+ photos?/)
        .waitFor(WAIT);
      await shot('13-feedback-undo');
      await toast.getByRole('button', { name: 'Undo', exact: true }).first().click();
      await toast.getByText(/^(Undone: your vote|Undo failed)/).waitFor(WAIT);
      await expect(toast.textContent()).resolves.toContain(
        'Undone: your vote on “plumage” is taken back',
      );
      await expect
        .poll(
          () =>
            dialog()
              .getByRole('button', { name: 'Thumbs up: plumage is right' })
              .getAttribute('aria-pressed'),
          WAIT,
        )
        .not.toBe('true');
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
    });

    it('reviews the closest calls one key at a time (Y), with Undo', async () => {
      await page.getByRole('button', { name: 'Vocabulary', exact: true }).click();
      await page.getByRole('button', { name: 'Start reviewing' }).click();
      const card = page.getByRole('group', { name: 'Is this photo “plumage”?' });
      await card.getByText(/to review$/).waitFor(WAIT);
      const before = await card.getByRole('img').getAttribute('alt');
      await shot('13c-review-queue');
      await page.keyboard.press('y');
      const toast = page.getByRole('status', { name: 'Notifications' });
      await toast
        .getByText(
          new RegExp(
            `^Yes: “plumage” on ${before!.replace('.', '\\.')}; tags changed on \\d+ photos?$`,
          ),
        )
        .waitFor(WAIT);
      await expect.poll(() => card.getByRole('img').getAttribute('alt'), WAIT).not.toBe(before);
      await toast.getByRole('button', { name: 'Undo', exact: true }).first().click();
      await card.getByRole('img', { name: before! }).waitFor(WAIT);
    });

    it('removes a label with Undo that brings it back', async () => {
      await page.getByRole('button', { name: 'Vocabulary', exact: true }).click();
      const labels = page.getByRole('list', { name: 'Labels' });
      await labels.getByRole('button', { name: 'plumage', exact: true }).waitFor(WAIT);
      await labels.getByRole('button', { name: 'Remove plumage', exact: true }).click();
      const toast = page.getByRole('status', { name: 'Notifications' });
      await toast.getByText(/^Removed “plumage” from \d+ photos?$/).waitFor(WAIT);
      await labels
        .getByRole('button', { name: 'plumage', exact: true })
        .waitFor({ state: 'detached' });
      await shot('13b-label-removed-undo');
      await toast.getByRole('button', { name: 'Undo', exact: true }).first().click();
      await toast.getByText('Undone: “plumage” is back').waitFor(WAIT);
      await labels.getByRole('button', { name: 'plumage', exact: true }).waitFor(WAIT);
      // Gone for good before the next size runs the same steps.
      await labels.getByRole('button', { name: 'Remove plumage', exact: true }).click();
      await labels
        .getByRole('button', { name: 'plumage', exact: true })
        .waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Photos', exact: true }).click();
    });

    it('passes an axe-core audit of every view and the photo viewer (no serious violations)', async () => {
      const report: Record<string, AxeViolation[]> = {};
      for (const view of ['Photos', 'Vocabulary', 'Folders', 'Settings']) {
        await page.getByRole('button', { name: view, exact: true }).click();
        await page.waitForTimeout(300);
        report[view] = await seriousViolations(page);
      }
      await page.getByRole('button', { name: 'Photos', exact: true }).click();
      await page.getByRole('button', { name: /^Open bird\.jpg/ }).click();
      await dialog().getByRole('list', { name: 'Tags' }).waitFor(WAIT);
      report.viewer = await seriousViolations(page);
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor(WAIT);
      report.shortcuts = await seriousViolations(page);
      await shot('14-shortcuts');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      expect(report).toEqual({
        Photos: [],
        Vocabulary: [],
        Folders: [],
        Settings: [],
        viewer: [],
        shortcuts: [],
      });
    });
  });
}

it('ran without script errors or Content-Security-Policy refusals', () => {
  expect(problems).toEqual([]);
});
