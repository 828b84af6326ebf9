/**
 * Which commands change the data folder, and where they go when another process is its writer:
 * to that process's API when it listens for them — `anytag serve` or the desktop app (the
 * address and token are in writer.json, readable by the owner only); else nowhere: the DATA_FOLDER_BUSY error names the holder.
 * Commands that only read run beside a writer on a read-only engine.
 */
import { hostname } from 'node:os';
import { writerOf, type DataFolderAccess } from '../engine/engine.js';
import { AnytagError } from '../engine/errors.js';
import type { CliOptions } from './options.js';
import { RemoteApi } from './remote-api.js';

const READING_ACTIONS: Record<string, readonly (string | undefined)[]> = {
  vocab: ['list', 'preview', undefined],
  pack: ['list', undefined],
};
const READING_COMMANDS = new Set(['search', 'status', 'tags', 'packs', 'export', 'browse']);

/** 'write' for commands that change the data folder (serve, index, vocab add…), else 'auto'. */
export function accessFor(options: CliOptions): DataFolderAccess {
  const command = options.command ?? '';
  if (READING_COMMANDS.has(command)) return 'auto';
  const reading = READING_ACTIONS[command];
  if (reading?.includes(options.args[0])) return 'auto';
  return 'write';
}

/**
 * The running writer to send this command to (`anytag serve`, or the desktop app, whose API
 * listener is recorded in writer.json), when opening the data folder failed because it holds
 * the folder; undefined when the command must fail with `error` instead. `holder` names it.
 */
export function forwardTarget(
  error: unknown,
  options: CliOptions,
  dataDir: string,
): { api: RemoteApi; holder: string } | undefined {
  if (!(error instanceof AnytagError) || error.code !== 'DATA_FOLDER_BUSY') return undefined;
  if (options.command === 'serve') return undefined;
  const holder = writerOf(dataDir);
  if (!holder?.url || holder.host !== hostname()) return undefined;
  return { api: new RemoteApi(holder.url, holder.token), holder: holder.command };
}
