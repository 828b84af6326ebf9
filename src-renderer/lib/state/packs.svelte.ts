/**
 * Model packs: the installed ones, switching, removing, importing from disk and downloading the
 * official SDL model, with the download's and conversion's progress in words.
 */
import type { PackProgress, PackSummary } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

export { describePackProgress } from '../words.js';

export class Packs {
  list = $state.raw<PackSummary[]>([]);
  busy = $state<string | null>(null);
  progress = $state<PackProgress | null>(null);
  error = $state<string | null>(null);
  note = $state<string | null>(null);

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

  downloadOfficial(): Promise<void> {
    return this.run('Downloading the official SDL model', async () => {
      const result = await this.client.call('downloadOfficialModel', {});
      this.note = `Installed ${result.pack.name}. Choose it above to use it.`;
    });
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
