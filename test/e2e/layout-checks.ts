/**
 * Layout checks run in the page (page.evaluate is outside the app's Content-Security-Policy):
 * whether the document scrolls sideways, and which visible controls lie off-screen or under
 * something else. Used by layouts.test.ts at each width and colour scheme.
 */
import type { Page } from 'playwright-core';

/** How far the document reaches past the window sideways, in CSS pixels (0: it fits). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(
    `Math.max(0, document.documentElement.scrollWidth - window.innerWidth,
       document.body.scrollWidth - window.innerWidth)`,
  );
}

/**
 * Every visible control (button, link, field, slider, tree item, focusable element) inside
 * `within` (a CSS selector: a drawer that covers the page), else the open modal dialog, else the
 * page, that reaches past the window's left or right
 * edge, or whose centre is covered by an element outside it. A control scrolled out of its own
 * scrolling container (a long list) is skipped, as is one hidden off the window vertically (the
 * page scrolls there). Each entry reads "<name>: <what is wrong>".
 */
export function misplacedControls(page: Page, within?: string): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const W = window.innerWidth, H = window.innerHeight;
    const root = document.querySelector(${JSON.stringify(within ?? 'dialog[open]')}) ||
      document.querySelector('dialog[open]') || document.body;
    const selector = 'button, a[href], input:not([type=hidden]), select, textarea, ' +
      '[role=slider], [role=treeitem], [role=option], [tabindex]:not([tabindex="-1"])';
    const nameOf = (e) => (e.getAttribute('aria-label') || e.textContent || e.getAttribute('name')
      || e.tagName).trim().replace(/\\s+/g, ' ').slice(0, 50);
    /** The nearest ancestor that scrolls, and whether e's centre lies outside its box. */
    const scrolledAway = (e, x, y) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (!/(auto|scroll)/.test(s.overflowX + s.overflowY)) continue;
        const b = a.getBoundingClientRect();
        if (x < b.left || x > b.right || y < b.top || y > b.bottom) return true;
      }
      return false;
    };
    const found = [];
    for (const e of root.querySelectorAll(selector)) {
      const r = e.getBoundingClientRect();
      if (r.width <= 2 || r.height <= 2) continue;
      const s = getComputedStyle(e);
      if (s.visibility === 'hidden' || Number(s.opacity) === 0) continue;
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (scrolledAway(e, x, y)) continue;
      if (r.left < -0.5 || r.right > W + 0.5) {
        found.push(nameOf(e) + ': off-screen, x ' + Math.round(r.left) + '..' + Math.round(r.right));
        continue;
      }
      if (y < 0 || y >= H) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit && !e.contains(hit) && !hit.contains(e) && !(e.labels && [...e.labels].some((l) => l.contains(hit)))) {
        found.push(nameOf(e) + ': covered by ' + hit.tagName.toLowerCase() +
          (hit.className && typeof hit.className === 'string' ? '.' + hit.className.split(' ')[0] : '') +
          ' "' + nameOf(hit) + '"');
      }
    }
    return found;
  })()`);
}

/**
 * Text squeezed into a narrow column: every visible element (of the page or the open modal
 * dialog) with text of its own that is laid out narrower than 7em and taller than three lines,
 * as "<text>: <width>px wide, <lines> lines" (a checkbox's label broken a word a line beside a
 * field, a shortcut's description pushed to a sliver by its keys).
 */
export function squeezedText(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const root = document.querySelector('dialog[open]') || document.body;
    const found = [];
    for (const e of root.querySelectorAll('*')) {
      const own = [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
      if (own.length < 12) continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const s = getComputedStyle(e);
      if (s.visibility === 'hidden' || s.position === 'absolute' && r.width <= 2) continue;
      const font = parseFloat(s.fontSize);
      const line = parseFloat(s.lineHeight) || font * 1.2;
      const lines = Math.round(r.height / line);
      if (r.width < 7 * font && lines > 3) {
        found.push(own.replace(/\\s+/g, ' ').slice(0, 40) + ': ' + Math.round(r.width) + 'px wide, ' + lines + ' lines');
      }
    }
    return found;
  })()`);
}
