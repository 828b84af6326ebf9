/**
 * `listDirectories`: the sub-folders of a folder on the machine the engine runs on, so a browser
 * in web mode can pick a library folder without typing its path. Hidden folders (".name") are
 * left out; `~` and relative paths start from the home folder.
 */
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AnytagError } from '../errors.js';
import { expandHome } from '../paths.js';
import type { Handlers } from './api.js';

/** At most this many sub-folders are listed (by name); `more` says there were others. */
const MAX_FOLDERS = 2000;

export function directoryHandlers(home = os.homedir()): Handlers<'listDirectories'> {
  return {
    listDirectories: async ({ path: given }) => {
      const folder = expandHome(given ?? '~', home);
      const info = await stat(folder).catch(() => null);
      if (!info?.isDirectory()) {
        throw new AnytagError('NOT_FOUND', `${given} does not exist or is not a folder`, {
          path: given,
        });
      }
      const entries = await readdir(folder, { withFileTypes: true }).catch((error: Error) => {
        throw new AnytagError('IO', `Cannot open ${folder}: ${error.message}`, { path: folder });
      });
      const names = entries
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort((a, b) => a.localeCompare(b));
      const parent = path.dirname(folder);
      return {
        path: folder,
        parent: parent === folder ? null : parent,
        home,
        folders: names
          .slice(0, MAX_FOLDERS)
          .map((name) => ({ name, path: path.join(folder, name) })),
        more: names.length > MAX_FOLDERS,
      };
    },
  };
}
