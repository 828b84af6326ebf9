/** The user's labels as the engine keeps them, and the edits the vocabulary editor makes. */
import type { LabelSummary } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';
import type { Toasts } from './toasts.svelte.js';

export type LabelEdit =
  | { kind: 'rename'; to: string }
  | { kind: 'hide'; hidden: boolean }
  | { kind: 'alias'; alias: string; remove: boolean }
  | { kind: 'threshold'; threshold: number | null }
  | { kind: 'remove' };

/** How long the filter waits for typing to pause before it asks the engine, in ms. */
export const FILTER_DEBOUNCE_MS = 250;

export class VocabularyList {
  labels = $state.raw<LabelSummary[]>([]);
  total = $state(0);
  filter = $state('');
  kind = $state<'user' | 'all'>('user');
  error = $state<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: ApiClient,
    /** Where renames and removals say what they did, with Undo. */
    private readonly toasts?: Toasts,
  ) {}

  /** The filter as typed: one listLabels request once typing pauses (FILTER_DEBOUNCE_MS). */
  setFilter(filter: string): void {
    this.filter = filter;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), FILTER_DEBOUNCE_MS);
  }

  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    try {
      const result = await this.client.call('listLabels', {
        kind: this.kind,
        hidden: true,
        filter: this.filter.trim() || undefined,
        limit: 500,
      });
      this.labels = result.labels;
      this.total = result.total;
      this.error = null;
    } catch (error) {
      this.error = describeError(error);
    }
  }

  async edit(label: string, edit: LabelEdit): Promise<void> {
    try {
      if (edit.kind === 'rename') await this.client.call('renameLabel', { label, to: edit.to });
      else if (edit.kind === 'hide')
        await this.client.call('hideLabel', { label, hidden: edit.hidden });
      else if (edit.kind === 'alias')
        await this.client.call('aliasLabel', { label, alias: edit.alias, remove: edit.remove });
      else if (edit.kind === 'threshold')
        await this.client.call('setLabelThreshold', { label, threshold: edit.threshold });
      else await this.client.call('removeLabel', { label });
      this.error = null;
      this.offerUndo(
        this.labels.find((l) => l.key === label || l.name === label),
        edit,
      );
    } catch (error) {
      this.error = describeError(error);
    }
    await this.refresh();
  }

  /** A rename or removal, said in a toast with the Undo that puts the label back. */
  private offerUndo(before: LabelSummary | undefined, edit: LabelEdit): void {
    if (!this.toasts || !before) return;
    const photos = `${before.tagged} ${before.tagged === 1 ? 'photo' : 'photos'}`;
    const undo = async (action: () => Promise<unknown>): Promise<void> => {
      await action();
      await this.refresh();
      this.toasts?.show(`Undone: “${before.name}” is back`);
    };
    if (edit.kind === 'rename') {
      this.toasts.show(`Renamed “${before.name}” to “${edit.to}”`, {
        undo: () =>
          undo(() => this.client.call('renameLabel', { label: edit.to, to: before.name })),
      });
    } else if (edit.kind === 'remove' && before.kind === 'seen') {
      this.toasts.show(`Hid “${before.name}” (it tagged ${photos})`, {
        undo: () => undo(() => this.client.call('hideLabel', { label: before.key, hidden: false })),
      });
    } else if (edit.kind === 'remove') {
      this.toasts.show(`Removed “${before.name}” from ${photos}`, {
        undo: () =>
          undo(async () => {
            await this.client.call('addLabel', { text: before.name, aliases: before.aliases });
            const manual = before.threshold?.manual;
            if (manual !== undefined) {
              await this.client.call('setLabelThreshold', {
                label: before.name,
                threshold: manual,
              });
            }
          }),
      });
    }
  }
}
