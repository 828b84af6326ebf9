/**
 * The library's part of the API: folder and queue methods, and its events mapped to the
 * contract's shapes.
 */
import type { EventEmitter } from 'node:events';
import type { Library, LibraryEvents } from '../library/library.js';
import { DEFAULT_SKIPPED_FOLDERS } from '../library/scan.js';
import type { Emit, Handlers } from './api.js';
import type { IndexingStatus } from './contract.js';
import { photoSummaryOf } from './photo-summary.js';

type Method =
  | 'addFolder'
  | 'removeFolder'
  | 'listFolders'
  | 'setFolderPolling'
  | 'skippedFolders'
  | 'setSkippedFolders'
  | 'pauseIndexing'
  | 'resumeIndexing'
  | 'indexingStatus';

/** `library` opens the library on first use (it needs the active pack). */
export function libraryHandlers(library: () => Promise<Library>): Handlers<Method> {
  return {
    addFolder: async ({ path, polling }) => (await library()).addFolder(path, { polling }),
    removeFolder: async ({ path }) => ({
      removed: path,
      photos: await (await library()).removeFolder(path),
    }),
    listFolders: async () => ({ folders: (await library()).listFolders() }),
    setFolderPolling: async ({ path, polling }) =>
      (await library()).setFolderPolling(path, polling),
    skippedFolders: async () => ({
      names: (await library()).skippedFolderNames(),
      defaults: [...DEFAULT_SKIPPED_FOLDERS],
    }),
    setSkippedFolders: async ({ names }) => {
      const lib = await library();
      const folders = await lib.setSkippedFolderNames(names);
      return { names: lib.skippedFolderNames(), defaults: [...DEFAULT_SKIPPED_FOLDERS], folders };
    },
    pauseIndexing: async () => {
      const lib = await library();
      lib.queue.pause();
      return indexingStatus(lib);
    },
    resumeIndexing: async () => {
      const lib = await library();
      lib.queue.resume();
      return indexingStatus(lib);
    },
    indexingStatus: async () => indexingStatus(await library()),
  };
}

function indexingStatus(library: Library): IndexingStatus {
  return {
    progress: library.queue.snapshot(),
    paused: library.queue.isPaused,
    queued: library.queue.lanesSnapshot(),
  };
}

/** Forwards the library's events, in the contract's shapes, to `emit`. */
export function forwardLibraryEvents(events: EventEmitter<LibraryEvents>, emit: Emit): void {
  events.on('indexProgress', (progress) => emit('indexProgress', progress));
  events.on('photoIndexed', (photo) => emit('photoIndexed', photoSummaryOf(photo)));
  events.on('photoRemoved', (photo) => emit('photoRemoved', { id: photo.id, path: photo.path }));
  events.on('folderChanged', (folder) => emit('folderChanged', folder));
}
