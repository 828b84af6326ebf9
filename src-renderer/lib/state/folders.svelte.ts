/**
 * The library's folders with what the engine knows of each: online, polling, photo counts.
 * Loaded once; then each `folderChanged` event (a folder's whole FolderInfo, or `removed`) is
 * applied to the list as it comes — also the news of this panel's own edits.
 */
import type { FolderInfo } from '../../../src-main/engine/api/contract.js';
import { describeError, type ApiClient } from '../api/client.js';

export type TagWritingChoice = 'off' | 'sidecar-full' | 'sidecar-base' | 'embedded';

/** A folder's tag writing as one of the panel's choices. */
export function tagWritingChoice(folder: FolderInfo): TagWritingChoice {
  const writing = folder.tagWriting;
  if (!writing) return 'off';
  return writing.mode === 'embedded' ? 'embedded' : `sidecar-${writing.naming}`;
}

export class Folders {
  list = $state.raw<FolderInfo[]>([]);
  error = $state<string | null>(null);
  loaded = $state(false);

  constructor(private readonly client: ApiClient) {
    client.on('folderChanged', (folder) => this.apply(folder));
  }

  /** One folder's news: replaces its entry, adds it (last, as listFolders orders), or drops it. */
  apply(folder: FolderInfo): void {
    const rest = this.list.filter((f) => f.path !== folder.path);
    if (folder.removed) {
      if (rest.length !== this.list.length) this.list = rest;
      return;
    }
    const at = this.list.findIndex((f) => f.path === folder.path);
    this.list = at < 0 ? [...this.list, folder] : this.list.with(at, folder);
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

  /** Removes a folder; its folderChanged event (removed) takes it off the list. */
  async remove(path: string): Promise<void> {
    await this.run(async () => {
      await this.client.call('removeFolder', { path });
    });
  }

  /** Switches a folder to polling (or back); its folderChanged event brings the new state. */
  async setPolling(path: string, polling: boolean): Promise<void> {
    await this.run(async () => {
      await this.client.call('setFolderPolling', { path, polling });
    });
  }

  /**
   * Opts a folder in or out of having tags written back: "off", "sidecar-full" (photo.jpg.xmp),
   * "sidecar-base" (photo.xmp) or "embedded" (into the file); its folderChanged event follows.
   */
  async setTagWriting(path: string, choice: TagWritingChoice): Promise<void> {
    await this.run(async () => {
      const [mode, naming] =
        choice === 'sidecar-full'
          ? (['sidecar', 'full'] as const)
          : choice === 'sidecar-base'
            ? (['sidecar', 'base'] as const)
            : ([choice, 'full'] as const);
      await this.client.call('setTagWriting', { path, mode, naming });
    });
  }

  private async run(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this.error = null;
    } catch (error) {
      this.error = describeError(error);
    }
  }
}
