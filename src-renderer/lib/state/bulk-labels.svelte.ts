/**
 * Adding or removing a label on many photos (a thumbs-up or -down on each, one re-tag), with a
 * toast that says what changed and an Undo that gives each photo back the vote it had. A word
 * that is not a label yet becomes one first (and Undo removes it again).
 */
import type { BulkFeedbackResult } from '../../../src-main/engine/api/contract.js';
import { ApiError, describeError, type ApiClient } from '../api/client.js';
import type { Toasts } from './toasts.svelte.js';

export class BulkLabels {
  busy = $state(false);
  error = $state<string | null>(null);

  constructor(
    private readonly client: ApiClient,
    private readonly toasts: Toasts,
    /** After a change (and after its Undo): photos' tags changed. */
    private readonly onChanged: () => void,
  ) {}

  async apply(photos: string[], text: string, vote: 'up' | 'down'): Promise<boolean> {
    const label = text.trim().toLowerCase();
    if (!label || photos.length === 0) return false;
    this.busy = true;
    try {
      let created = false;
      let result: BulkFeedbackResult;
      try {
        result = await this.client.call('labelPhotos', { photos, label, vote });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'NOT_FOUND' && vote === 'up'))
          throw error;
        await this.client.call('addLabel', { text: label });
        created = true;
        result = await this.client.call('labelPhotos', { photos, label, vote });
      }
      this.error = null;
      this.toasts.show(describe(result, created), { undo: () => this.undo(result, created) });
      this.onChanged();
      return true;
    } catch (error) {
      this.error = describeError(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  private async undo(result: BulkFeedbackResult, created: boolean): Promise<void> {
    const label = result.label.key;
    if (created) await this.client.call('removeLabel', { label });
    else {
      for (const vote of ['clear', 'up', 'down'] as const) {
        const photos = result.previous
          .filter((p) => (p.vote ?? 'clear') === vote)
          .map((p) => p.photo);
        if (photos.length > 0) await this.client.call('labelPhotos', { photos, label, vote });
      }
    }
    this.toasts.show(`Undone: “${result.label.name}” is as it was`);
    this.onChanged();
  }
}

function describe(result: BulkFeedbackResult, created: boolean): string {
  const n = `${result.photos} ${result.photos === 1 ? 'photo' : 'photos'}`;
  const what =
    result.vote === 'up'
      ? `Added “${result.label.name}” to ${n}`
      : `Removed “${result.label.name}” from ${n}`;
  const { before, after } = result.threshold;
  const moved =
    before !== null && after !== null && Math.abs(before - after) > 1e-4
      ? `; its threshold moved ${before.toFixed(2)} → ${after.toFixed(2)}`
      : '';
  return `${created ? 'New label. ' : ''}${what}${moved}; tags changed on ${result.retagged} ${result.retagged === 1 ? 'photo' : 'photos'}.`;
}
