/**
 * Writing tags back, as the API offers it: a folder opts in or out (`setTagWriting`), and a pass
 * runs on demand (`writeTags`) — the engine also runs one after indexing settles.
 */
import path from 'node:path';
import { AnytagError } from '../errors.js';
import type { Library } from '../library/library.js';
import type { TagWriter } from '../library/tag-writer.js';
import type { Catalogue } from '../store/catalogue.js';
import type { Handlers } from './api.js';

export interface TagWritingSource {
  readonly catalogue: Catalogue;
  library(): Promise<Library>;
  tagWriter(): TagWriter;
}

export function tagWritingHandlers(
  source: TagWritingSource,
): Handlers<'setTagWriting' | 'writeTags'> {
  return {
    setTagWriting: async ({ path: folder, mode, naming }) => {
      const resolved = path.resolve(folder);
      const record = source.catalogue.folder(resolved);
      if (!record) {
        throw new AnytagError('NOT_FOUND', `${resolved} is not a library folder`, {
          folder: resolved,
        });
      }
      source.catalogue.updateFolder(record, {
        tagWriting: mode === 'off' ? undefined : { mode, naming },
        writeError: undefined,
      });
      const info = (await source.library()).listFolders().find((f) => f.path === resolved);
      return info!;
    },
    writeTags: async ({ folder }) => source.tagWriter().write(folder && path.resolve(folder)),
  };
}
