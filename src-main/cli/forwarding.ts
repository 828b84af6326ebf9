/**
 * Which commands change the data folder, and where they go when another process is its writer:
 * to that process's API when it is `anytag serve` (its address and token are in writer.json,
 * readable by the owner only), else nowhere — the DATA_FOLDER_BUSY error names the holder.
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
 * The running `anytag serve` to send this command to, when opening the data folder failed
 * because that server holds it; undefined when the command must fail with `error` instead.
 */
export function forwardTarget(
  error: unknown,
  options: CliOptions,
  dataDir: string,
): RemoteApi | undefined {
  if (!(error instanceof AnytagError) || error.code !== 'DATA_FOLDER_BUSY') return undefined;
  if (options.command === 'serve') return undefined;
  const holder = writerOf(dataDir);
  if (!holder?.url || holder.host !== hostname()) return undefined;
  return new RemoteApi(holder.url, holder.token);
}

/** The address the API of a server bound to `host` is reached at from this machine. */
export function localApiBase(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
