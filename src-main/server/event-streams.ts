/**
 * `GET /api/events`: one Server-Sent Events message per API event (`event: <name>`,
 * `data: <json>`), to a bounded number of clients, each with a bounded send buffer. A client
 * that stops reading (its unsent bytes pass `maxBufferedBytes`) is disconnected — its browser
 * reconnects after `retry` and the page reloads what it shows — so a slow or idle client costs
 * at most that much memory; past `maxClients` a new stream is answered 503.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Api } from '../engine/api/api.js';
import { sendJson } from './api-routes.js';

const HEARTBEAT_MS = 20_000;

export interface EventStreamLimits {
  /** Streams open at once (default 64). */
  maxClients: number;
  /** Unsent bytes a client may have queued before it is dropped (default 1 MiB). */
  maxBufferedBytes: number;
}

export const DEFAULT_EVENT_LIMITS: EventStreamLimits = {
  maxClients: 64,
  maxBufferedBytes: 1 << 20,
};

export class EventStreams {
  private readonly clients = new Set<ServerResponse>();
  private readonly off: () => void;
  /** Clients dropped because they fell behind. */
  dropped = 0;

  constructor(
    api: Api,
    readonly limits: EventStreamLimits = DEFAULT_EVENT_LIMITS,
  ) {
    this.off = api.onAny((event, payload) => {
      if (this.clients.size === 0) return;
      const message = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const client of this.clients) this.send(client, message);
    });
  }

  get size(): number {
    return this.clients.size;
  }

  /** Bytes queued for all clients and not yet taken by the network. */
  bufferedBytes(): number {
    let total = 0;
    for (const client of this.clients) total += client.writableLength;
    return total;
  }

  /** Starts a stream for this request, or answers 503 when there are too many. */
  open(request: IncomingMessage, response: ServerResponse): void {
    if (this.clients.size >= this.limits.maxClients) {
      response.setHeader('retry-after', '5');
      sendJson(response, 503, {
        error: {
          code: 'IO',
          message: `Too many event streams (${this.limits.maxClients}); try again later`,
        },
      });
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 2000\n\n');
    this.clients.add(response);
    const heartbeat = setInterval(() => this.send(response, ': keep-alive\n\n'), HEARTBEAT_MS);
    const forget = (): void => {
      clearInterval(heartbeat);
      this.clients.delete(response);
    };
    request.on('close', forget);
    response.on('close', forget);
  }

  /** Ends every stream and stops listening to the API. */
  close(): void {
    this.off();
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private send(client: ServerResponse, message: string): void {
    if (client.writableLength + message.length > this.limits.maxBufferedBytes) {
      this.dropped++;
      this.clients.delete(client);
      client.destroy();
      return;
    }
    client.write(message);
  }
}
