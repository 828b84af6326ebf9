/**
 * Short notes after an action, each with an optional Undo: what a destructive or library-wide
 * change did ("Removed ~/Trips: 400 photos") and the one click that takes it back. A toast
 * leaves by itself after `ms` (Undo is offered that long), when dismissed, or once undone.
 */
export interface Toast {
  id: number;
  text: string;
  /** Takes the action back; the toast then says what Undo did. */
  undo?: () => Promise<void>;
  error?: boolean;
}

/** How long a toast (and its Undo) stays, by default (ms). */
const TOAST_MS = 10_000;

export class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  show(text: string, options: { undo?: () => Promise<void>; error?: boolean; ms?: number } = {}) {
    const toast: Toast = { id: this.next++, text, undo: options.undo, error: options.error };
    this.items = [...this.items.slice(-3), toast];
    setTimeout(() => this.dismiss(toast.id), options.ms ?? TOAST_MS);
    return toast.id;
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
