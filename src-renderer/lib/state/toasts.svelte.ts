/**
 * Short notes after an action, each with an optional Undo: what a destructive or library-wide
 * change did ("Removed ~/Trips: 400 photos") and the one click that takes it back. A toast
 * leaves by itself after `ms` (30 s with an Undo, never while pointed at or focused), when
 * dismissed, or once undone.
 */
export interface Toast {
  id: number;
  text: string;
  /** Takes the action back; the toast then says what Undo did. */
  undo?: () => Promise<void>;
  error?: boolean;
}

/** How long a toast stays, by default (ms): long enough to read, and to reach its Undo. */
const TOAST_MS = 8_000;
const UNDO_TOAST_MS = 30_000;

export class Toasts {
  items = $state<Toast[]>([]);
  /** The pointer or the keyboard focus is on a toast: none leaves until it moves away. */
  held = false;
  private next = 1;

  show(text: string, options: { undo?: () => Promise<void>; error?: boolean; ms?: number } = {}) {
    const toast: Toast = { id: this.next++, text, undo: options.undo, error: options.error };
    this.items = [...this.items.slice(-3), toast];
    this.expire(toast.id, options.ms ?? (options.undo ? UNDO_TOAST_MS : TOAST_MS));
    return toast.id;
  }

  private expire(id: number, ms: number): void {
    setTimeout(() => (this.held ? this.expire(id, 2_000) : this.dismiss(id)), ms);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }

  /** Runs a toast's Undo once; a failure is shown as a toast of its own. */
  async undo(id: number): Promise<void> {
    const toast = this.items.find((t) => t.id === id);
    if (!toast?.undo) return;
    this.dismiss(id);
    try {
      await toast.undo();
    } catch (error) {
      this.show(`Undo failed: ${(error as Error).message}`, { error: true });
    }
  }
}
