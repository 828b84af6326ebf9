/** `anytag serve`'s HTTP transport against a real engine on the tiny pack. */
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type AnytagServer } from '../../../src-main/server/http-server.js';
import { openLibraryFixture, type LibraryFixture } from '../../helpers/library-fixture.js';
import { tempDir } from '../../helpers/temp.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
  send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('HTTP + SSE transport', () => {
  let lib: LibraryFixture;
  let server: AnytagServer;
  let base: string;

  beforeAll(async () => {
    lib = await openLibraryFixture();
    const web = await tempDir();
    await writeFile(path.join(web, 'index.html'), '<!doctype html><title>Anytag</title>');
    server = await startServer({ api: lib.api, staticRoot: web, port: 0 });
    base = server.url.replace(/\/$/, '');
  });
  afterAll(async () => {
    await server?.close();
    await lib?.engine.close();
  });

  it('listens on the loopback and prints a plain address there', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('streams events over SSE while a method runs over POST', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    const stream = await fetch(`${base}/api/events`, { signal: controller.signal });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        events.push(decoder.decode(value));
        if (events.join('').includes('"done":3')) return;
      }
    })();
    const result = await post(`${base}/api/indexPaths`, { paths: [lib.photos] });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ total: 3, indexed: 3 });
    await reading;
    controller.abort();
    expect(events.join('')).toMatch(/event: indexProgress\ndata: \{.*"done":3/);
  });

  it('answers every contract method by name and errors as {code, message}', async () => {
    const status = await post(`${base}/api/status`, {});
    expect(JSON.parse(status.body)).toMatchObject({ photos: { total: 3, indexed: 3 } });
    const search = JSON.parse((await post(`${base}/api/search`, { query: 'red' })).body);
    expect(path.basename(search.hits[0].path)).toBe('red.png');

    const unknown = await post(`${base}/api/deleteEverything`, {});
    expect(unknown.status).toBe(404);
    const bad = await post(`${base}/api/search`, { query: '' });
    expect(bad.status).toBe(400);
    // A plain sentence for the person; the method stays in details, for developers.
    expect(JSON.parse(bad.body).error).toEqual({
      code: 'INVALID_INPUT',
      message: 'Search text is empty',
      details: { method: 'search', fields: [{ field: 'query', problem: 'is empty' }] },
    });
    const form = await send(`${base}/api/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(400);
    expect((await send(`${base}/api/status`)).status).toBe(405);
  });

  it('refuses other Hosts (DNS rebinding) and other Origins', async () => {
    const rebound = await post(`${base}/api/status`, {}, { host: 'evil.example:80' });
    expect(rebound.status).toBe(403);
    const foreign = await post(`${base}/api/status`, {}, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const own = await post(`${base}/api/status`, {}, { origin: base });
    expect(own.status).toBe(200);
  });

  it('serves catalogue photos inside the library folders and nothing else', async () => {
    const red = lib.engine.catalogue.photoByPath(path.join(lib.photos, 'red.png'))!;
    const photo = await send(`${base}/media/photo/${red.id}`);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect((await send(`${base}/media/thumb/${red.id}`)).status).toBe(200);
    expect((await send(`${base}/media/photo/no-such-id`)).status).toBe(404);
    expect((await send(`${base}/media/photo/..%2f..%2fetc%2fpasswd`)).status).toBe(404);

    lib.engine.catalogue.addPhoto({
      id: 'outside-1',
      path: lib.outside,
      size: 1,
      mtimeMs: 1,
      hash: null,
      state: 'indexed',
      tags: [],
    });
    expect((await send(`${base}/media/photo/outside-1`)).status).toBe(404);
  });

  it('serves the renderer with a strict CSP, never a file outside its folder', async () => {
    const page = await send(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    const escape = await send(`${base}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(escape.body).not.toMatch(/root:/);
    expect((await send(`${base}/missing.js`)).status).toBe(404);
  });
});

describe('HTTP transport off the loopback', () => {
  let lib: LibraryFixture;
  let server: AnytagServer;

  beforeAll(async () => {
    lib = await openLibraryFixture();
    server = await startServer({
      api: lib.api,
      staticRoot: await tempDir(),
      host: '0.0.0.0',
      port: 0,
      token: 'sesame-1234',
    });
  });
  afterAll(async () => {
    await server?.close();
    await lib?.engine.close();
  });

  it('refuses to start without a token', async () => {
    await expect(
      startServer({ api: lib.api, staticRoot: '.', host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/token is required/);
  });

  it('requires the token as a bearer header or the cookie the token address sets', async () => {
    const port = new URL(server.url).port;
    const base = `http://127.0.0.1:${port}`;
    expect(server.url).toContain('?token=sesame-1234');
    expect((await post(`${base}/api/status`, {})).status).toBe(401);
    expect((await post(`${base}/api/status`, {}, { authorization: 'Bearer wrong' })).status).toBe(
      401,
    );
    const bearer = await post(`${base}/api/status`, {}, { authorization: 'Bearer sesame-1234' });
    expect(bearer.status).toBe(200);
    const entry = await send(`${base}/?token=sesame-1234`);
    expect(entry.status).toBe(303);
    const cookie = String(entry.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe('anytag_token=sesame-1234');
    expect((await post(`${base}/api/status`, {}, { cookie })).status).toBe(200);
  });
});
