/**
 * `anytag serve`: the web mode. Runs the engine API over HTTP + SSE with the built renderer, on
 * 127.0.0.1 unless told otherwise, always behind a token (--token, $ANYTAG_TOKEN, or a new one,
 * printed in the address to open) unless `--no-token` on a loopback address. Prints one line
 * with the address to open, then serves until SIGINT/SIGTERM.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Api } from '../engine/api/api.js';
import { AnytagError } from '../engine/errors.js';
import { isLoopback, MIN_TOKEN_LENGTH } from './request-guard.js';
import type { AnytagServer } from './http-server.js';
import { newToken, startLocalApi, type ForwardingRecord } from './local-api.js';

export interface ServeOptions {
  host?: string;
  port?: number;
  token?: string;
  /** No token (loopback only): every local user and program may use the server. */
  noToken?: boolean;
  /** Default: <install root>/out/renderer. */
  staticRoot?: string;
}

/** out/node/server/serve.js → <root>/out/renderer, where the renderer build lands. */
export function defaultStaticRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer');
}

/**
 * Starts the web mode's listener (local-api.ts): API, media and the renderer; its address and
 * token are recorded through `record` (the writer lock) for other processes to forward to.
 */
export async function serve(
  api: Api,
  options: ServeOptions = {},
  record?: ForwardingRecord,
): Promise<AnytagServer> {
  const host = options.host ?? '127.0.0.1';
  const token = chooseToken(host, options);
  return startLocalApi(
    {
      api,
      staticRoot: options.staticRoot ?? defaultStaticRoot(),
      host,
      port: options.port ?? 4170,
      token,
    },
    record,
  );
}

/** The token to ask for: --token, else $ANYTAG_TOKEN, else a new random one; none only with
 *  --no-token, which a non-loopback address refuses. INVALID_INPUT for a token shorter than
 *  MIN_TOKEN_LENGTH characters or --no-token off the loopback. */
export function chooseToken(host: string, options: ServeOptions): string | undefined {
  if (options.noToken) {
    if (!isLoopback(host)) {
      throw new AnytagError(
        'INVALID_INPUT',
        `--no-token is only allowed on a loopback address, not ${host}`,
      );
    }
    if (options.token)
      throw new AnytagError('INVALID_INPUT', 'Give --token or --no-token, not both');
    return undefined;
  }
  const fromEnv = process.env.ANYTAG_TOKEN?.trim();
  const token = options.token ?? (fromEnv || undefined) ?? newToken();
  if (token.length < MIN_TOKEN_LENGTH) {
    const source = options.token !== undefined ? '--token' : '$ANYTAG_TOKEN';
    throw new AnytagError(
      'INVALID_INPUT',
      `The access token (${source}) must be at least ${MIN_TOKEN_LENGTH} characters long`,
    );
  }
  return token;
}

/**
 * Serves until the process is asked to stop (SIGINT, SIGTERM); `announce` gets the address
 * line; `record` (the writer lock) gets the address and token other processes forward to.
 */
export async function serveUntilStopped(
  api: Api,
  options: ServeOptions,
  announce: (line: string) => void,
  record?: ForwardingRecord,
): Promise<void> {
  const server = await serve(api, options, record);
  if (!server.token) {
    announce(
      'WARNING: --no-token: every user and program on this computer can use this server, read your photos and change your library.\n',
    );
  }
  announce(`Anytag is serving at ${server.url}\n`);
  if (/^http:\/\/(0\.0\.0\.0|\[::\])/.test(server.url)) {
    announce('(from another computer, use this machine’s address in place of the 0.0.0.0 part)\n');
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
}
