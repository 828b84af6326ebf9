/**
 * The photos chosen in the gallery for a bulk action: click with Ctrl/⌘ (or in select mode)
 * toggles one, Shift extends from the last one chosen, Space toggles the focused tile, Esc
 * clears. Ids, so a selection survives the gallery reloading its pages.
 */
import { SvelteSet } from 'svelte/reactivity';

export class Selection {
  readonly ids = new SvelteSet<string>();
  /** Select mode: a plain click or tap chooses instead of opening (touch screens). */
  selecting = $state(false);
  private anchor: number | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  toggle(id: string, index: number): void {
    if (this.ids.has(id)) this.ids.delete(id);
    else this.ids.add(id);
    this.anchor = index;
  }

  /** Everything from the last chosen tile to `index` (both ends), from `items` in order. */
  extend(index: number, items: readonly ({ id: string } | undefined)[]): void {
    const from = this.anchor ?? index;
    const [start, end] = from <= index ? [from, index] : [index, from];
    for (const item of items.slice(start, end + 1)) if (item) this.ids.add(item.id);
    this.anchor = index;
  }

  selectAll(items: readonly ({ id: string } | undefined)[]): void {
    for (const item of items) if (item) this.ids.add(item.id);
  }

  clear(): void {
    this.ids.clear();
    this.anchor = null;
    this.selecting = false;
  }
}
