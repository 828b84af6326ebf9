/**
 * `anytag serve`: the web mode. Runs the engine API over HTTP + SSE with the built renderer, on
 * 127.0.0.1 unless told otherwise (another address needs a token: given, or made up and printed).
 * Prints one line with the address to open, then serves until SIGINT/SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Api } from '../engine/api/api.js';
import { isLoopback } from './request-guard.js';
import { startServer, type AnytagServer } from './http-server.js';

export interface ServeOptions {
  host?: string;
  port?: number;
  token?: string;
  /** Default: <install root>/out/renderer. */
  staticRoot?: string;
}

/** out/node/server/serve.js → <root>/out/renderer, where the renderer build lands. */
export function defaultStaticRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer');
}

export async function serve(api: Api, options: ServeOptions = {}): Promise<AnytagServer> {
  const host = options.host ?? '127.0.0.1';
  const token =
    options.token ??
    process.env.ANYTAG_TOKEN ??
    (isLoopback(host) ? undefined : randomBytes(18).toString('base64url'));
  return startServer({
    api,
    staticRoot: options.staticRoot ?? defaultStaticRoot(),
    host,
    port: options.port ?? 4170,
    token,
  });
}

/** Serves until the process is asked to stop; `announce` gets the address line. */
export async function serveUntilStopped(
  api: Api,
  options: ServeOptions,
  announce: (line: string) => void,
): Promise<void> {
  const server = await serve(api, options);
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
