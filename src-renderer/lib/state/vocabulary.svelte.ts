/**
 * The vocabulary editor's draft: a new label, its live preview over the library (the photos it
 * would tag at its threshold, and the closest ones below it, scored now, before anything is
 * saved), a threshold the user may move, and saving it.
 */
import type { PreviewResult } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';
import { quoted } from '../words.js';

export { quoted };

export const PREVIEW_SIZE = 24;
/** Photos shown just below the threshold, so the user sees where the line falls. */
export const NEAREST_SIZE = 12;
/** A moving threshold slider asks for a new preview once it pauses this long (ms). */
export const SLIDER_DEBOUNCE_MS = 120;

export class VocabularyDraft {
  label = $state('');
  /** The threshold the user chose; null: the calibrated one. */
  threshold = $state<number | null>(null);
  preview = $state.raw<PreviewResult | null>(null);
  /** The best-scoring photos under the threshold, so an empty preview still shows something. */
  nearest = $state.raw<PreviewResult['nearest']>([]);
  previewError = $state<string | null>(null);
  previewing = $state(false);
  saving = $state(false);
  saved = $state<string | null>(null);
  saveError = $state<string | null>(null);
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: ApiClient) {}

  /** The slider moved: a preview at `threshold` once it pauses (SLIDER_DEBOUNCE_MS). */
  moveThreshold(label: string, threshold: number): void {
    this.threshold = threshold;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.updatePreview(label, threshold), SLIDER_DEBOUNCE_MS);
  }

  async updatePreview(label: string, threshold: number | null = null): Promise<void> {
    clearTimeout(this.timer);
    this.label = label;
    this.threshold = threshold;
    this.saved = null;
    this.saveError = null;
    const text = label.trim();
    const generation = ++this.generation;
    if (!text) {
      this.preview = null;
      this.nearest = [];
      this.previewError = null;
      return;
    }
    this.previewing = true;
    try {
      // One request: the photos it would tag and the nearest ones below the threshold.
      const preview = await this.client.call('previewLabel', {
        text,
        limit: PREVIEW_SIZE,
        nearest: NEAREST_SIZE,
        ...(threshold !== null && { threshold }),
      });
      if (generation !== this.generation) return;
      this.preview = preview;
      this.nearest = preview.nearest;
      this.previewError = null;
    } catch (error) {
      if (generation !== this.generation) return;
      this.preview = null;
      this.nearest = [];
      this.previewError = describeError(error);
    } finally {
      if (generation === this.generation) this.previewing = false;
    }
  }

  /**
   * Saves `label` (default: the label previewed). A label other than the previewed one (typed,
   * then saved before the preview's debounce) drops the old preview and any in flight: it
   * showed another label's photos.
   */
  async save(label: string = this.label): Promise<boolean> {
    clearTimeout(this.timer);
    if (label !== this.label) {
      this.label = label;
      ++this.generation;
      this.preview = null;
      this.nearest = [];
      this.previewError = null;
      this.previewing = false;
    }
    const text = label.trim();
    if (!text) return false;
    this.saving = true;
    try {
      const added = await this.client.call('addLabel', { text });
      if (this.threshold !== null) {
        await this.client.call('setLabelThreshold', {
          label: added.label.key,
          threshold: this.threshold,
        });
      }
      this.saved = added.label.name;
      this.saveError = null;
      this.preview = null;
      this.nearest = [];
      return true;
    } catch (error) {
      this.saveError = describeError(error);
      return false;
    } finally {
      this.saving = false;
    }
  }
}
