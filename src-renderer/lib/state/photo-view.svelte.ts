/** The open photo: its tags (seen labels, plus any label the user tries) and feedback. */
import type { PhotoTagsResult } from '../../../src-main/engine/api/contract.js';
import { ApiError, describeError, type ApiClient } from '../api/client.js';
import type { Toasts } from './toasts.svelte.js';

export class PhotoView {
  photoId = $state<string | null>(null);
  result = $state.raw<PhotoTagsResult | null>(null);
  tried = $state<string[]>([]);
  error = $state<string | null>(null);
  busy = $state(false);
  feedback = $state<Record<string, 'up' | 'down'>>({});
  /** What the last vote did, in words. */
  feedbackNote = $state<string | null>(null);

  constructor(
    private readonly client: ApiClient,
    private readonly toasts?: Toasts,
  ) {}

  async open(photoId: string): Promise<void> {
    this.photoId = photoId;
    this.tried = [];
    this.feedback = {};
    this.feedbackNote = null;
    await this.load();
  }

  close(): void {
    this.photoId = null;
    this.result = null;
    this.error = null;
  }

  async tryLabel(label: string): Promise<void> {
    const text = label.trim().toLowerCase();
    if (!text || this.tried.includes(text)) return;
    this.tried = [...this.tried, text];
    await this.load();
    if (this.error) this.tried = this.tried.filter((t) => t !== text);
  }

  /**
   * A thumbs-up or -down on one of the photo's tags (the same again takes it back). A word only
   * tried on this photo becomes a label first. The note and toast say how far the threshold
   * moved and how many photos' tags changed; Undo puts the earlier vote back.
   */
  async vote(label: string, vote: 'up' | 'down'): Promise<void> {
    if (!this.photoId) return;
    const photo = this.photoId;
    const earlier = this.feedback[label];
    const again = earlier === vote;
    try {
      const send = () =>
        this.client.call('tagFeedback', { photo, label, vote: again ? 'clear' : vote });
      let created = false;
      const result = await send().catch(async (error: unknown) => {
        if (!(
          error instanceof ApiError &&
          error.code === 'NOT_FOUND' &&
          this.tried.includes(label)
        ))
          throw error;
        await this.client.call('addLabel', { text: label });
        created = true;
        return send();
      });
      this.setFeedback(label, again ? undefined : vote);
      const { before, after } = result.threshold;
      const changed = `tags changed on ${result.retagged} ${result.retagged === 1 ? 'photo' : 'photos'}`;
      this.feedbackNote =
        (created ? `Saved “${result.label.name}” as a label. ` : '') +
        (before !== null && after !== null && before !== after
          ? `“${result.label.name}” threshold moved from ${before.toFixed(2)} to ${after.toFixed(2)}; ${changed}`
          : `Noted for “${result.label.name}”; ${changed}`);
      this.toasts?.show(this.feedbackNote, {
        undo: async () => {
          await this.client.call('tagFeedback', { photo, label, vote: earlier ?? 'clear' });
          this.toasts?.show(`Undone: your vote on “${label}” is taken back`);
          if (this.photoId === photo) {
            this.setFeedback(label, earlier);
            this.feedbackNote = null;
            await this.load();
          }
        },
      });
      await this.load();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private setFeedback(label: string, vote: 'up' | 'down' | undefined): void {
    const next = { ...this.feedback };
    if (vote) next[label] = vote;
    else delete next[label];
    this.feedback = next;
  }

  async load(): Promise<void> {
    if (!this.photoId) return;
    this.busy = true;
    try {
      this.result = await this.client.call('photoTags', {
        photo: this.photoId,
        labels: this.tried,
      });
      this.error = null;
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
  }
}
