/** The open photo: its tags (seen labels, plus any label the user tries) and feedback. */
import type { PhotoTagsResult } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

export class PhotoView {
  photoId = $state<string | null>(null);
  result = $state.raw<PhotoTagsResult | null>(null);
  tried = $state<string[]>([]);
  error = $state<string | null>(null);
  busy = $state(false);
  feedback = $state<Record<string, 'up' | 'down'>>({});
  /** What the last vote did, in words. */
  feedbackNote = $state<string | null>(null);

  constructor(private readonly client: ApiClient) {}

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

  async vote(label: string, vote: 'up' | 'down'): Promise<void> {
    if (!this.photoId) return;
    const again = this.feedback[label] === vote;
    try {
      const result = await this.client.call('tagFeedback', {
        photo: this.photoId,
        label,
        vote: again ? 'clear' : vote,
      });
      const next = { ...this.feedback };
      if (again) delete next[label];
      else next[label] = vote;
      this.feedback = next;
      const { before, after } = result.threshold;
      this.feedbackNote =
        before !== null && after !== null && before !== after
          ? `“${result.label.name}” threshold moved from ${before.toFixed(2)} to ${after.toFixed(2)}`
          : `Thanks — noted for “${result.label.name}”`;
      await this.load();
    } catch (error) {
      this.error = describeError(error);
    }
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
