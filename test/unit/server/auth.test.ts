/**
 * Authentication in web mode: a token by default on every address (loopback too), traded once
 * for an HttpOnly SameSite=Strict cookie and a redirect to a fixed path; a wrong token never
 * replaces a good cookie; a malformed cookie is a 400; `--no-token` only on loopback.
 */
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnytagServer } from '../../../src-main/server/http-server.js';
import { chooseToken, serve } from '../../../src-main/server/serve.js';
import { openLibraryFixture, type LibraryFixture } from '../../helpers/library-fixture.js';
import { tempDir } from '../../helpers/temp.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

function send(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('web mode authentication', () => {
  let lib: LibraryFixture;
  let server: AnytagServer;
  let base: string;
  let token: string;

  beforeAll(async () => {
    lib = await openLibraryFixture();
    const web = await tempDir();
    await writeFile(path.join(web, 'index.html'), '<!doctype html><title>Anytag</title>');
    delete process.env.ANYTAG_TOKEN;
    server = await serve(lib.api, { port: 0, staticRoot: web });
    const url = new URL(server.url);
    base = url.origin;
    token = url.searchParams.get('token')!;
  });
  afterAll(async () => {
    await server?.close();
    await lib?.engine.close();
  });

  it('asks for a token on the loopback too, printed in the address', async () => {
    expect(token).toMatch(/^[\w-]{24,}$/);
    expect((await send(`${base}/`)).status).toBe(401);
    const api = (headers: Record<string, string>) =>
      send(`${base}/api/status`, { 'content-type': 'application/json', ...headers }, 'POST');
    expect((await api({})).status).toBe(401);
    expect((await api({ authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie, redirecting to a fixed path', async () => {
    const entry = await send(`${base}//evil.example/x?token=${token}`);
    expect(entry.status).toBe(303);
    expect(entry.headers.location).toBe('/');
    const cookie = String(entry.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const jar = cookie.split(';')[0]!;
    expect((await send(`${base}/`, { cookie: jar })).status).toBe(200);
  });

  it('never lets a wrong token replace a good cookie', async () => {
    const jar = `anytag_token=${token}`;
    const wrong = await send(`${base}/?token=not-the-token`, { cookie: jar });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.headers.location).toBe('/');
    expect((await send(`${base}/?token=not-the-token`)).status).toBe(401);
  });

  it('answers a malformed cookie with 400, not 500', async () => {
    expect((await send(`${base}/`, { cookie: 'anytag_token=%E0%A4%A' })).status).toBe(400);
  });

  it('takes --token and $ANYTAG_TOKEN, and --no-token only on the loopback', () => {
    expect(chooseToken('127.0.0.1', { token: 'given-token-1' })).toBe('given-token-1');
    process.env.ANYTAG_TOKEN = 'from-the-environment';
    try {
      expect(chooseToken('127.0.0.1', {})).toBe('from-the-environment');
    } finally {
      delete process.env.ANYTAG_TOKEN;
    }
    expect(chooseToken('127.0.0.1', { noToken: true })).toBeUndefined();
    expect(() => chooseToken('0.0.0.0', { noToken: true })).toThrow(/only allowed on a loopback/);
  });

  it('refuses a short token as bad input (INVALID_INPUT), naming where it came from', () => {
    expect(() => chooseToken('127.0.0.1', { token: 'short' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/--token/) }),
    );
    process.env.ANYTAG_TOKEN = 'tiny';
    try {
      expect(() => chooseToken('127.0.0.1', {})).toThrow(
        expect.objectContaining({
          code: 'INVALID_INPUT',
          message: expect.stringMatching(/\$ANYTAG_TOKEN/),
        }),
      );
    } finally {
      delete process.env.ANYTAG_TOKEN;
    }
  });
});
