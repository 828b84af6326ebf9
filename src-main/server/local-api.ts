/**
 * The local API listener a data folder's writer runs so that other processes can send it their
 * commands (`anytag index` while the app or `anytag serve` runs): the HTTP transport started on
 * an address, its address and token recorded in writer.json (owner-only, 0600) through the
 * writer lock. `anytag serve` starts it with the renderer and media; the desktop app starts it
 * API only, on loopback, with a new random token (startDesktopApi).
 */
import { randomBytes } from 'node:crypto';
import { startServer, type AnytagServer, type AnytagServerOptions } from './http-server.js';

/** Where a listener's address is recorded for forwarding: the engine's writer lock. */
export interface ForwardingRecord {
  /** Records `url` (the API's origin) and `token` in writer.json. */
  advertise(url: string, token: string | undefined): Promise<void>;
}

/** The address the API of a server bound to `host` is reached at from this machine. */
export function localApiBase(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A new access token: 24 random bytes, base64url (32 characters). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Starts the HTTP transport and records its address and token for forwarding (`record`:
 * undefined for an engine without the writer lock, which takes no forwarded writes). If the
 * record cannot be written the listener is closed again and the error thrown.
 */
export async function startLocalApi(
  options: AnytagServerOptions,
  record: ForwardingRecord | undefined,
): Promise<AnytagServer> {
  const server = await startServer(options);
  try {
    await record?.advertise(localApiBase(server.host, server.port), server.token);
  } catch (error) {
    await server.close();
    throw error;
  }
  return server;
}

/**
 * The desktop app's listener: API only (no renderer files, no media), on 127.0.0.1 at a free
 * port, behind a new random token, recorded in writer.json like `anytag serve`'s. Close it
 * before the engine (on quit).
 */
export function startDesktopApi(
  api: AnytagServerOptions['api'],
  record: ForwardingRecord | undefined,
): Promise<AnytagServer> {
  return startLocalApi({ api, host: '127.0.0.1', port: 0, token: newToken() }, record);
}
