/**
 * `anytag serve`'s HTTP server: the API (POST /api/<method>, GET /api/events), media for
 * catalogue photos (/media/…) and the built renderer, all behind the request guard. Without a
 * static root it answers the API only (the desktop app's forwarding listener, local-api.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Api } from '../engine/api/api.js';
import { handleApiCall, sendJson } from './api-routes.js';
import { EventStreams, type EventStreamLimits } from './event-streams.js';
import { handleMedia, parseMediaPath } from './media-routes.js';
import { RequestGuard, TOKEN_COOKIE } from './request-guard.js';
import { SECURITY_HEADERS, serveStatic } from './static-files.js';

export interface AnytagServerOptions {
  api: Api;
  /** The renderer's build folder (index.html + assets/); absent: API only, no renderer files
   *  and no media (every other path is a 404). */
  staticRoot?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** Bounds on the event streams (default: event-streams.ts). */
  events?: EventStreamLimits;
  /** Sockets open at once, all kinds (default 512); more are refused by the OS-level accept. */
  maxConnections?: number;
}

export interface AnytagServer {
  server: Server;
  /** The address and port it listens on, and its token (undefined: none asked). */
  host: string;
  port: number;
  token: string | undefined;
  /** The open event streams (for their count and buffered bytes). */
  events: EventStreams;
  /** The address to open, with `?token=` when one is needed. */
  url: string;
  close(): Promise<void>;
}

export async function startServer(options: AnytagServerOptions): Promise<AnytagServer> {
  const host = options.host ?? '127.0.0.1';
  const guard = new RequestGuard({ host, port: options.port ?? 0, token: options.token });
  const events = new EventStreams(options.api, options.events);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://anytag.invalid');
    const urlToken = url.searchParams.get('token');
    const verdict = guard.check(request, urlToken);
    if (!verdict.ok) {
      sendJson(response, verdict.status, {
        error: { code: 'INVALID_INPUT', message: verdict.reason },
      });
      return;
    }
    if (urlToken !== null && guard.needsToken && options.staticRoot !== undefined) {
      // Trade the token in the address for a cookie, then drop it from the address bar: always
      // to the app's page (a fixed path: the address cannot send the browser elsewhere). An
      // API-only listener has no page and gives no cookie: its callers send the token each time.
      response.writeHead(303, {
        ...SECURITY_HEADERS,
        ...(verdict.setCookie && {
          'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(urlToken)}; HttpOnly; SameSite=Strict; Path=/`,
        }),
        location: '/',
      });
      response.end();
      return;
    }
    const pathName = url.pathname;
    if (pathName === '/api/events' && request.method === 'GET') {
      events.open(request, response);
      return;
    }
    if (pathName.startsWith('/api/')) {
      await handleApiCall(options.api, pathName.slice('/api/'.length), request, response);
      return;
    }
    if (options.staticRoot === undefined) {
      sendJson(response, 404, {
        error: { code: 'NOT_FOUND', message: 'This listener answers the API (/api/) only' },
      });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { error: { code: 'INVALID_INPUT', message: 'Use GET' } });
      return;
    }
    const media = parseMediaPath(pathName);
    if (media) {
      await handleMedia(options.api.engine, media, request, response);
      return;
    }
    await serveStatic(options.staticRoot, pathName, response, request.method === 'HEAD');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { error: { code: 'IO', message: String(error) } });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.maxConnections = options.maxConnections ?? 512;
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const token = guard.needsToken ? `/?token=${encodeURIComponent(guard.token!)}` : '/';
  return {
    server,
    host,
    port,
    token: guard.token,
    events,
    url: `http://${shownHost}:${port}${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        events.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
