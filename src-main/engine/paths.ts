/** Where Anytag keeps its data: the same folder Electron's app.getPath('userData') gives. */
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Anytag';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.ANYTAG_DATA_DIR) return path.resolve(env.ANYTAG_DATA_DIR);
  const home = os.homedir();
  switch (platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
  }
}

/**
 * True when `child` is `parent` or lies below it. Both absolute (resolve or realpath them
 * first); compared by path segments, so /photos-secret is not inside /photos. The one such test.
 */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * A folder path as a user types it: `~` and `~/…` are the home folder (spaces around them
 * ignored), and a relative path is taken from the home folder (a server's working directory means
 * nothing to its user). Any other path is kept exactly as given: a folder name may end in a space.
 */
export function expandHome(given: string, home = os.homedir()): string {
  const trimmed = given.trim();
  if (trimmed === '~') return home;
  if (trimmed.startsWith('~/') || trimmed.startsWith('~\\')) {
    return path.join(home, trimmed.slice(2));
  }
  return path.resolve(home, given);
}
