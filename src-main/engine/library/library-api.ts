/**
 * The library's part of the API: folder and queue methods, and its events mapped to the
 * contract's shapes. api.ts spreads these into its handler table.
 */
import type {
  ApiEvents,
  ApiParsedInput,
  ApiResults,
  IndexingStatus,
  PhotoSummary,
} from '../api-contract.js';
import type { Engine } from '../engine.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { Library } from './library.js';

type LibraryMethod =
  | 'addFolder'
  | 'removeFolder'
  | 'listFolders'
  | 'setFolderPolling'
  | 'pauseIndexing'
  | 'resumeIndexing'
  | 'indexingStatus';

type LibraryHandlers = {
  [M in LibraryMethod]: (input: ApiParsedInput<M>) => Promise<ApiResults[M]>;
};

export function libraryHandlers(engine: Engine): LibraryHandlers {
  const library = (): Promise<Library> => engine.library();
  return {
    addFolder: async ({ path, polling }) => (await library()).addFolder(path, { polling }),
    removeFolder: async ({ path }) => {
      await (await library()).removeFolder(path);
      return { removed: path };
    },
    listFolders: async () => ({ folders: (await library()).listFolders() }),
    setFolderPolling: async ({ path, polling }) =>
      (await library()).setFolderPolling(path, polling),
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
export function forwardLibraryEvents(
  engine: Engine,
  emit: <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void,
  summaryOf: (photo: PhotoRecord) => PhotoSummary,
): void {
  const events = engine.libraryEvents;
  events.on('indexProgress', (progress) => emit('indexProgress', progress));
  events.on('photoIndexed', (photo) => emit('photoIndexed', summaryOf(photo)));
  events.on('photoRemoved', (photo) => emit('photoRemoved', { id: photo.id, path: photo.path }));
  events.on('folderChanged', (folder) => emit('folderChanged', folder));
}
