/**
 * Model packs: the installed ones, switching, removing, importing from disk and downloading the
 * official SDL model, with the download's and conversion's progress in words.
 */
import type {
  OfficialDownloadSize,
  PackProgress,
  PackSummary,
} from '../../../src-main/engine/api/contract.js';
import { ApiError, describeError, type ApiClient } from '../api/client.js';

export { describePackProgress } from '../words.js';

export class Packs {
  list = $state.raw<PackSummary[]>([]);
  busy = $state<string | null>(null);
  progress = $state<PackProgress | null>(null);
  error = $state<string | null>(null);
  note = $state<string | null>(null);
  /** The official model's download, sized and waiting for the user's go-ahead (or null). */
  offer = $state.raw<OfficialDownloadSize | null>(null);
  /** The size is being asked for. */
  sizing = $state(false);
  /** A download is in flight (it can be cancelled). */
  downloading = $state(false);

  readonly official = $derived(this.list.find((p) => /official|sdl/i.test(`${p.id} ${p.name}`)));

  constructor(
    private readonly client: ApiClient,
    private readonly changed: () => void,
  ) {
    client.on('packProgress', (p) => (this.progress = p));
  }

  async refresh(): Promise<void> {
    try {
      this.list = (await this.client.call('listPacks', {})).packs;
    } catch (error) {
      this.error = describeError(error);
    }
  }

  use(id: string): Promise<void> {
    return this.run(`Switching to ${id}`, async () => {
      const result = await this.client.call('usePack', { id });
      this.note = `Now using ${result.pack.name}; ${result.reembedQueued.toLocaleString()} photos are re-read in the background.`;
    });
  }

  remove(id: string): Promise<void> {
    return this.run(`Removing ${id}`, async () => {
      await this.client.call('removePack', { id });
      this.note = `Removed ${id}.`;
    });
  }

  importFrom(path: string): Promise<void> {
    return this.run('Importing', async () => {
      const result = await this.client.call('importPack', { path });
      this.note = `Installed ${result.pack.name} (${result.how}).`;
    });
  }

  /** Asks what the official model's download costs, and offers it (nothing starts yet). */
  async offerDownload(): Promise<void> {
    this.sizing = true;
    this.error = null;
    this.note = null;
    try {
      this.offer = await this.client.call('officialModelDownload', {});
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.sizing = false;
    }
  }

  /** The offer declined: nothing was downloaded. */
  declineDownload(): void {
    this.offer = null;
  }

  downloadOfficial(): Promise<void> {
    this.offer = null;
    this.downloading = true;
    return this.run('Downloading the official SDL model', async () => {
      try {
        const result = await this.client.call('downloadOfficialModel', {});
        this.note = `Installed ${result.pack.name}. Choose it above to use it.`;
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'CANCELLED') throw error;
        this.note = 'Download cancelled; nothing was kept.';
      } finally {
        this.downloading = false;
      }
    });
  }

  /** Stops the download in flight; it leaves nothing behind (the engine deletes what came). */
  async cancelDownload(): Promise<void> {
    try {
      await this.client.call('cancelPackDownload', {});
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private async run(what: string, action: () => Promise<void>): Promise<void> {
    this.busy = what;
    this.error = null;
    this.note = null;
    this.progress = null;
    try {
      await action();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = null;
      this.progress = null;
      await this.refresh();
      this.changed();
    }
  }
}
