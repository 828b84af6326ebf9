/** The library's folders with what the engine knows of each: online, polling, photo counts. */
import type { FolderInfo } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

export class Folders {
  list = $state.raw<FolderInfo[]>([]);
  error = $state<string | null>(null);
  loaded = $state(false);

  constructor(
    private readonly client: ApiClient,
    private readonly changed: () => void,
  ) {
    client.on('folderChanged', () => void this.refresh());
  }

  async refresh(): Promise<void> {
    try {
      this.list = (await this.client.call('listFolders', {})).folders;
      this.error = null;
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.loaded = true;
    }
  }

  async remove(path: string): Promise<void> {
    await this.run(() => this.client.call('removeFolder', { path }));
  }

  async setPolling(path: string, polling: boolean): Promise<void> {
    await this.run(() => this.client.call('setFolderPolling', { path, polling }));
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      this.error = null;
      await this.refresh();
      this.changed();
    } catch (error) {
      this.error = describeError(error);
    }
  }
}
