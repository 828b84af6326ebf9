/**
 * Indexing as the user sees it: adds folders (the engine queues their photos), follows
 * `indexProgress` events, words the rate and ETA, and pauses or resumes the queue.
 */
import type { ApiEvents } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';
import { describeProgress } from '../words.js';

type Progress = ApiEvents['indexProgress'];

export class Indexing {
  progress = $state<Progress | null>(null);
  /** A folder is being added (scanned) or photos are waiting in the queue. */
  adding = $state(0);
  paused = $state(false);
  error = $state<string | null>(null);
  lastFinished = $state<Progress | null>(null);

  readonly running = $derived(
    this.adding > 0 || (this.progress !== null && this.progress.done < this.progress.total),
  );
  readonly percent = $derived(
    this.progress && this.progress.total > 0
      ? Math.round((100 * this.progress.done) / this.progress.total)
      : 0,
  );
  readonly summary = $derived(this.progress ? describeProgress(this.progress) : '');

  /**
   * `onChanged('scanned')` once folders were added or rescanned (photos found, their places in
   * the list unknown); `onChanged('finished')` when a run of the queue ends.
   */
  constructor(
    private readonly client: ApiClient,
    private readonly onChanged: (why: 'scanned' | 'finished') => void,
  ) {
    client.on('indexProgress', (p) => {
      const wasRunning = this.progress !== null && this.progress.done < this.progress.total;
      this.progress = p;
      if (p.total > 0 && p.done >= p.total && (wasRunning || this.adding === 0)) {
        this.lastFinished = p;
        this.onChanged('finished');
      }
    });
    client
      .call('indexingStatus', {})
      .then((s) => {
        this.paused = s.paused;
        if (s.progress.done < s.progress.total) this.progress = s.progress;
      })
      .catch(() => undefined);
  }

  /**
   * Adds folders to the library; the engine scans them and queues their photos. Resolves to the
   * error in words (shown beside the field that asked), or null when every folder was added.
   */
  async addFolders(paths: string[], options: { polling?: boolean } = {}): Promise<string | null> {
    this.adding++;
    try {
      for (const path of paths) await this.client.call('addFolder', { path, ...options });
      return null;
    } catch (error) {
      return describeError(error);
    } finally {
      this.adding--;
      this.noteFinishedScan();
      this.onChanged('scanned');
    }
  }

  /** A scan that found nothing to index (every photo known) finished its run at once. */
  private noteFinishedScan(): void {
    const p = this.progress;
    if (this.adding === 0 && p && p.total > 0 && p.done >= p.total) this.lastFinished = p;
  }

  /** Looks at a folder again now (new, changed and deleted photos). */
  async rescan(path: string): Promise<void> {
    this.error = null;
    this.adding++;
    try {
      await this.client.call('indexPaths', { paths: [path] });
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.adding--;
      this.onChanged('scanned');
    }
  }

  async setPaused(paused: boolean): Promise<void> {
    try {
      const status = await this.client.call(paused ? 'pauseIndexing' : 'resumeIndexing', {});
      this.paused = status.paused;
    } catch (error) {
      this.error = describeError(error);
    }
  }
}
