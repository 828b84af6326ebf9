/**
 * Writing tags back, as the API offers it: a folder opts in or out (`setTagWriting`), and a pass
 * runs on demand (`writeTags`) — the engine also runs one after indexing settles.
 */
import path from 'node:path';
import type { Library } from '../library/library.js';
import type { TagWriter } from '../library/tag-writer.js';
import type { Handlers } from './api.js';

export interface TagWritingSource {
  library(): Promise<Library>;
  tagWriter(): TagWriter;
  /** Runs a pass soon (after indexing settles). */
  scheduleWrite(): void;
}

export function tagWritingHandlers(
  source: TagWritingSource,
): Handlers<'setTagWriting' | 'writeTags'> {
  return {
    setTagWriting: async ({ path: folder, mode, naming }) => {
      const library = await source.library();
      const info = library.setTagWriting(
        path.resolve(folder),
        mode === 'off' ? undefined : { mode, naming },
      );
      source.scheduleWrite();
      return info;
    },
    writeTags: async ({ folder }) => source.tagWriter().write(folder && path.resolve(folder)),
  };
}
