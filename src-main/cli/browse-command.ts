/**
 * `anytag browse …`: the app's folder and date browsers from the terminal, over the same API.
 *   folders            the library folders and their sub-folders with photo counts
 *   dates [--folder]   photo counts per capture year and month (and the undated)
 */
import path from 'node:path';
import type { ApiResults, FolderNode } from '../engine/api/contract.js';
import { AnytagError } from '../engine/errors.js';
import type { ApiClient } from './remote-api.js';
import type { CliOptions } from './options.js';

export const BROWSE_USAGE = `anytag browse <action>:
  folders                          the library folders and their sub-folders, with photo counts
                                   (sub-folders included), offline and unreadable photos
  dates [--folder DIR]             photo counts per capture year and month, newest first, and
                                   the photos with no capture date; search one with taken:YYYY-MM`;

type Write = (value: unknown, text: () => string) => void;

/**
 * The action of `anytag browse <action>` (its arguments after "browse"), or INVALID_INPUT that
 * first says what is wrong (no action, an unknown one, an extra argument), then the usage.
 */
export function browseAction(args: readonly string[]): 'folders' | 'dates' {
  const [action, ...rest] = args;
  const refuse = (why: string): never => {
    throw new AnytagError('INVALID_INPUT', `${why}\n\n${BROWSE_USAGE}`);
  };
  if (action === undefined) return refuse('anytag browse needs an action: folders or dates');
  if (action !== 'folders' && action !== 'dates') {
    return refuse(`Unknown browse action "${action}": folders or dates`);
  }
  if (rest.length > 0) {
    const hint = action === 'dates' ? " (one folder's dates: --folder DIR)" : '';
    return refuse(`anytag browse ${action} takes no argument, not "${rest.join(' ')}"${hint}`);
  }
  return action;
}

export async function runBrowse(api: ApiClient, options: CliOptions, write: Write): Promise<void> {
  const action = browseAction(options.args);
  if (action === 'folders') {
    const result = await api.call('folderTree', {});
    write(result, () => formatFolderTree(result));
  } else if (action === 'dates') {
    const [folder] = options.folders;
    const result = await api.call('photoDates', folder ? { folder: path.resolve(folder) } : {});
    write(result, () => formatPhotoDates(result));
  }
}

/** The tree, indented two spaces a level: "name  count (n offline, n unreadable)". */
export function formatFolderTree(tree: ApiResults['folderTree']): string {
  const lines: string[] = [];
  const line = (node: FolderNode, depth: number, label: string, extra = ''): void => {
    const notes = [
      ...(node.offline ? [`${node.offline} offline`] : []),
      ...(node.failed ? [`${node.failed} unreadable`] : []),
    ];
    const said = notes.length ? ` (${notes.join(', ')})` : '';
    lines.push(`${'  '.repeat(depth)}${label}  ${node.photos}${said}${extra}`);
    for (const child of node.children) line(child, depth + 1, child.name);
  };
  for (const root of tree.roots) line(root, 0, root.path, root.online ? '' : '  [offline]');
  if (tree.outside) lines.push(`(outside the library folders: ${tree.outside})`);
  return lines.join('\n') || 'No library folders.';
}

/**
 * Years, then their months indented: "2024  120", "  2024-05  31"; then "no date  n"; then the
 * files with no date at all ("unreadable  n", "not read yet  n"), which are in no period.
 */
export function formatPhotoDates(dates: ApiResults['photoDates']): string {
  const lines: string[] = [];
  for (const year of dates.years) {
    lines.push(`${year.year}  ${year.photos}`);
    for (const month of year.months) lines.push(`  ${month.month}  ${month.photos}`);
  }
  if (dates.undated) lines.push(`no date  ${dates.undated}`);
  if (dates.unreadable) lines.push(`unreadable  ${dates.unreadable}`);
  if (dates.waiting) lines.push(`not read yet  ${dates.waiting}`);
  return lines.join('\n') || 'No photos.';
}
