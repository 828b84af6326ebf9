/**
 * Tuning a saved label's threshold (model and user labels alike): the live preview of what it
 * tags at a threshold the user moves (the matches and the photos just below), then saving it —
 * a library-wide change, said in a toast with how many photos it tags now and an Undo that puts
 * the previous threshold back.
 */
import type { LabelSummary, PreviewResult } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';
import { photoCount } from '../folder-words.js';
import type { Toasts } from './toasts.svelte.js';
import { NEAREST_SIZE, PREVIEW_SIZE, SLIDER_DEBOUNCE_MS } from './vocabulary.svelte.js';

export class LabelTuning {
  preview = $state.raw<PreviewResult | null>(null);
  /** The threshold the user moved to; null: the label's own (nothing to save). */
  threshold = $state<number | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  saving = $state(false);
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: ApiClient,
    /** The label as listed when tuning began: its name, threshold and photo count. */
    readonly label: LabelSummary,
    private readonly toasts: Toasts | undefined,
    /** The library's tags changed (saved or undone): the list refreshes its counts. */
    private readonly changed: () => Promise<void> | void,
  ) {}

  /** The label at its own threshold. */
  load(): Promise<void> {
    this.threshold = null;
    return this.fetch(null);
  }

  /** The slider moved: a new preview once it pauses (SLIDER_DEBOUNCE_MS). */
  move(threshold: number): void {
    this.threshold = threshold;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fetch(threshold), SLIDER_DEBOUNCE_MS);
  }

  /** How many photos it tags now, and would tag at the threshold shown. */
  get counts(): { before: number; after: number } {
    return { before: this.label.tagged, after: this.preview?.matches ?? this.label.tagged };
  }

  /** Saves the threshold shown (null: back to the calibrated one), with an Undo toast. */
  async save(threshold: number | null = this.threshold): Promise<boolean> {
    clearTimeout(this.timer);
    const { key, name } = this.label;
    const previous = this.label.threshold?.manual ?? null;
    this.saving = true;
    try {
      const result = await this.client.call('setLabelThreshold', { label: key, threshold });
      const now = result.label.tagged;
      this.toasts?.show(
        `“${name}” now tags ${photoCount(now)} (was ${this.label.tagged.toLocaleString('en')})${
          threshold === null
            ? ', at its calibrated threshold'
            : ` at threshold ${threshold.toFixed(2)}`
        }`,
        {
          undo: async () => {
            const back = await this.client.call('setLabelThreshold', {
              label: key,
              threshold: previous,
            });
            await this.changed();
            this.toasts?.show(`Undone: “${name}” tags ${photoCount(back.label.tagged)} again`);
          },
        },
      );
      this.error = null;
      await this.changed();
      return true;
    } catch (error) {
      this.error = describeError(error);
      return false;
    } finally {
      this.saving = false;
    }
  }

  private async fetch(threshold: number | null): Promise<void> {
    const generation = ++this.generation;
    this.busy = true;
    try {
      const preview = await this.client.call('previewLabel', {
        text: this.label.key,
        limit: PREVIEW_SIZE,
        nearest: NEAREST_SIZE,
        ...(threshold !== null && { threshold }),
      });
      if (generation !== this.generation) return;
      this.preview = preview;
      this.error = null;
    } catch (error) {
      if (generation === this.generation) this.error = describeError(error);
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }
}
