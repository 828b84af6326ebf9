/**
 * Bounded event streams: 500 clients ask for /api/events (100 of them never read) while 300
 * large events go out. At most `maxClients` streams open (the rest get 503), a client that
 * stops reading is dropped once its queue passes `maxBufferedBytes`, so the server never holds
 * more than maxClients × maxBufferedBytes for them, and the clients that read get every event.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import { startServer, type AnytagServer } from '../../../src-main/server/http-server.js';
import { DEFAULT_EVENT_LIMITS } from '../../../src-main/server/event-streams.js';
import { openLibraryFixture, type LibraryFixture } from '../../helpers/library-fixture.js';
import { tempDir } from '../../helpers/temp.js';

const EVENTS = 300;
const EVENT_BYTES = 32_000;

interface Client {
  socket: Socket;
  received: number;
  status: number;
  closed: boolean;
}

function openStream(port: number, read: boolean): Promise<Client> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const client: Client = { socket, received: 0, status: 0, closed: false };
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      client.received += chunk.length;
      if (!client.status) {
        head += chunk.toString('latin1');
        const match = /^HTTP\/1\.1 (\d+)/.exec(head);
        if (match) {
          client.status = Number(match[1]);
          resolve(client);
          if (!read) socket.pause(); // from now on it never reads
        }
      }
    });
    socket.on('close', () => {
      client.closed = true;
      resolve(client);
    });
    socket.on('error', () => undefined);
    socket.write(
      'GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n',
    );
  });
}

describe('event streams under 500 clients, 100 idle', () => {
  let lib: LibraryFixture;
  let server: AnytagServer;
  let clients: Client[] = [];

  beforeAll(async () => {
    lib = await openLibraryFixture();
    server = await startServer({ api: lib.api, staticRoot: await tempDir(), port: 0 });
  });
  afterAll(async () => {
    for (const client of clients) client.socket.destroy();
    await server?.close();
    await lib?.engine.close();
  });

  it('caps the streams and the memory queued for them', async () => {
    const port = Number(new URL(server.url).port);
    const { maxClients, maxBufferedBytes } = DEFAULT_EVENT_LIMITS;
    const readers = await Promise.all(Array.from({ length: 10 }, () => openStream(port, true)));
    const idle = await Promise.all(Array.from({ length: 100 }, () => openStream(port, false)));
    const late = await Promise.all(Array.from({ length: 390 }, () => openStream(port, true)));
    clients = [...readers, ...idle, ...late];
    const accepted = clients.filter((c) => c.status === 200).length;
    expect(accepted).toBe(maxClients);
    expect(clients.filter((c) => c.status === 503)).toHaveLength(500 - maxClients);
    expect(server.events.size).toBe(maxClients);

    const rssBefore = process.memoryUsage().rss;
    let peakQueued = 0;
    for (let i = 0; i < EVENTS; i++) {
      const removed = { id: `gone-${i}`, path: `/${'p'.repeat(EVENT_BYTES)}` };
      lib.engine.libraryEvents.emit('photoRemoved', removed as PhotoRecord);
      peakQueued = Math.max(peakQueued, server.events.bufferedBytes());
      await new Promise((resolve) => setImmediate(resolve));
    }
    const deadline = Date.now() + 30_000;
    while (readers.some((c) => c.received < EVENTS * EVENT_BYTES) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    console.log(
      `500 SSE clients (100 idle), ${EVENTS} events of ${EVENT_BYTES} B: ${accepted} streams, ` +
        `${server.events.dropped} dropped, peak queued ${(peakQueued / 2 ** 20).toFixed(1)} MiB, ` +
        `RSS +${(rssGrowth / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(peakQueued).toBeLessThanOrEqual(maxClients * maxBufferedBytes);
    const idleAccepted = idle.filter((c) => c.status === 200).length;
    expect(server.events.dropped).toBeGreaterThanOrEqual(idleAccepted);
    for (const reader of readers) expect(reader.received).toBeGreaterThan(EVENTS * EVENT_BYTES);
  }, 120_000);
});
