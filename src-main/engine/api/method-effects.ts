/**
 * What each API method does to the data folder: 'read' methods work on a read-only engine (beside
 * another writer, or on a folder that cannot be written); 'write' methods are refused there, and
 * elsewhere answer only once their change is on disk. A record over every method, so a new method
 * does not compile until someone says which it is.
 */
import type { ApiMethod } from './contract.js';

export type MethodEffect = 'read' | 'write';

export const METHOD_EFFECTS: Record<ApiMethod, MethodEffect> = {
  status: 'read',
  listPacks: 'read',
  importPack: 'write',
  downloadOfficialModel: 'write',
  /** Asks the server for the size; nothing is recorded. */
  officialModelDownload: 'read',
  /** Stops the download in flight, which deletes what it fetched. */
  cancelPackDownload: 'write',
  usePack: 'write',
  removePack: 'write',
  indexPaths: 'write',
  search: 'read',
  photoTags: 'read',
  /** Scores a photo (a file outside the library too) without cataloguing it. */
  rankLabels: 'read',
  addFolder: 'write',
  removeFolder: 'write',
  listFolders: 'read',
  setFolderPolling: 'write',
  pauseIndexing: 'write',
  resumeIndexing: 'write',
  indexingStatus: 'read',
  listLabels: 'read',
  addLabel: 'write',
  removeLabel: 'write',
  renameLabel: 'write',
  hideLabel: 'write',
  aliasLabel: 'write',
  setLabelThreshold: 'write',
  previewLabel: 'read',
  tagFeedback: 'write',
  recalibrate: 'write',
  suggest: 'read',
  listPhotos: 'read',
  folderTree: 'read',
  photoDates: 'read',
  /** Opts a folder in or out of tag writing (the folder record changes). */
  setTagWriting: 'write',
  /** Writes sidecars / files and records what was written. */
  writeTags: 'write',
  /** Returns text; the catalogue is not changed. */
  exportTags: 'read',
  runtimeSettings: 'read',
  setRuntimeSettings: 'write',
  skippedFolders: 'read',
  setSkippedFolders: 'write',
  /** Lists folders on the engine's machine; nothing is recorded. */
  listDirectories: 'read',
  similarPhotos: 'read',
  reviewQueue: 'read',
  listSavedSearches: 'read',
  /** Labels many photos at once (feedback, like tagFeedback). */
  labelPhotos: 'write',
  saveSearch: 'write',
  removeSavedSearch: 'write',
};

export function isWriteMethod(method: ApiMethod): boolean {
  return METHOD_EFFECTS[method] !== 'read';
}
