/**
 * The Electron main process under plain Node, with only the `electron` module stubbed: single
 * instance, hardened window, the app protocol (renderer files + library media only) and IPC.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../src-main/app/bridge-api.js';
import type * as MainModule from '../../../src-main/app/main.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';
import { createElectronStub, FakeWindow, type ElectronStub } from './electron-stub.js';

let stub: ElectronStub;
vi.mock('electron', () => stub);

type StartApp = typeof MainModule.startApp;
let startApp: StartApp;

describe('Electron main process', () => {
  let root: string;
  let running: Awaited<ReturnType<StartApp>>;
  const trusted = { senderFrame: { url: 'anytag://app/index.html' } };

  beforeAll(async () => {
    root = await tempDir();
    const appPath = path.join(root, 'app');
    await writeTinyPack(path.join(appPath, 'resources', 'packs', 'tiny'));
    await mkdir(path.join(appPath, 'out', 'renderer'), { recursive: true });
    await mkdir(path.join(appPath, 'out', 'main'), { recursive: true });
    await writeFile(path.join(appPath, 'out', 'renderer', 'index.html'), '<!doctype html>');
    await mkdir(path.join(root, 'photos'));
    await solidImage(path.join(root, 'photos', 'red.png'), [255, 0, 0]);
    await solidImage(path.join(root, 'outside.png'), [1, 2, 3]);
    stub = createElectronStub(path.join(root, 'user-data'), appPath);
    ({ startApp } = await import('../../../src-main/app/main.js'));
    running = await startApp(path.join(appPath, 'out', 'main'));
  });
  let quit = false;
  afterAll(async () => {
    if (quit) return;
    await running?.forwarding?.close();
    await running?.api.engine.close();
  });
  beforeEach(() => {
    FakeWindow.all = FakeWindow.all.slice(0, 1);
  });

  it('opens one sandboxed, isolated window on the app protocol', () => {
    expect(running).not.toBeNull();
    const [window] = FakeWindow.all;
    expect(window!.loaded).toBe('anytag://app/index.html');
    expect(window!.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: expect.stringMatching(/preload[\\/]index\.cjs$/),
    });
    expect(stub.protocol.privileged).toEqual([
      expect.objectContaining({
        scheme: 'anytag',
        privileges: expect.objectContaining({ secure: true }),
      }),
    ]);
  });

  it('denies navigation, popups and permissions', () => {
    const contents = FakeWindow.all[0]!.webContents;
    stub.app.emit('web-contents-created', {}, contents);
    const away = { preventDefault: vi.fn() };
    contents.emit('will-navigate', away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    contents.emit('will-navigate', inside, 'anytag://app/index.html');
    expect(inside.preventDefault).not.toHaveBeenCalled();
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const granted = vi.fn();
    stub.permission.request?.({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(stub.permission.check?.()).toBe(false);
  });

  it('serves the renderer with a CSP header and never a path outside it', async () => {
    const handler = stub.protocol.handled.get('anytag')!;
    const page = await handler(new Request('anytag://app/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const escape = await handler(new Request('anytag://app/..%2f..%2fpackage.json'));
    expect(escape.status).toBe(404);
    expect((await handler(new Request('anytag://other/index.html'))).status).toBe(404);
  });

  it('answers API calls over IPC only from the app, with errors as data', async () => {
    const call = stub.ipcMain.handlers.get(IPC_CHANNELS.call)!;
    const outcome = (await call(trusted, 'indexPaths', { paths: [path.join(root, 'photos')] })) as {
      ok: boolean;
    };
    expect(outcome).toMatchObject({ ok: true, value: { indexed: 1 } });
    const sent = FakeWindow.all[0]!.webContents.sent;
    expect(sent.at(-1)).toEqual([
      IPC_CHANNELS.event,
      'indexProgress',
      expect.objectContaining({ done: 1 }),
    ]);

    const remote = await call({ senderFrame: { url: 'https://evil.example/' } }, 'status', {});
    expect(remote).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // One unknown-method check (Api.call) for every transport: NOT_FOUND, as over HTTP (404).
    const unknown = await call(trusted, 'constructor', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const invalid = await call(trusted, 'search', { query: 42 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('serves library photos through the protocol, nothing outside the folders', async () => {
    const handler = stub.protocol.handled.get('anytag')!;
    const red = running!.api.engine.catalogue.photoByPath(path.join(root, 'photos', 'red.png'))!;
    const photo = await handler(new Request(`anytag://app/media/photo/${red.id}`));
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    running!.api.engine.catalogue.addPhoto({
      id: 'outside-2',
      path: path.join(root, 'outside.png'),
      size: 1,
      mtimeMs: 1,
      hash: null,
      state: 'indexed',
      tags: [],
    });
    expect((await handler(new Request('anytag://app/media/photo/outside-2'))).status).toBe(404);
  });

  it('takes forwarded commands on a loopback API listener recorded in writer.json', async () => {
    const forwarding = running!.forwarding!;
    expect(forwarding.host).toBe('127.0.0.1');
    const file = path.join(root, 'user-data', 'writer.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const holder = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({
      command: 'Anytag (desktop app)',
      url: `http://127.0.0.1:${forwarding.port}`,
      token: forwarding.token,
    });
    const status = (token?: string): Promise<Response> =>
      fetch(`${holder.url as string}/api/status`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: '{}',
      });
    expect((await status()).status).toBe(401);
    const answer = await status(forwarding.token);
    expect(answer.status).toBe(200);
    const photos = running!.api.engine.catalogue.photos().length;
    expect(((await answer.json()) as { photos: { total: number } }).photos.total).toBe(photos);
    const page = await fetch(`${holder.url as string}/index.html`, {
      headers: { authorization: `Bearer ${forwarding.token}` },
    });
    expect(page.status).toBe(404);
  });

  it('quits when another instance holds the lock', async () => {
    stub.app.lock = false;
    stub.app.quitCalled = false;
    expect(await startApp(path.join(root, 'app', 'out', 'main'))).toBeNull();
    expect(stub.app.quitCalled).toBe(true);
    stub.app.lock = true;
  });

  it('stops the listener and lets the data folder go on quit', async () => {
    const url = `http://127.0.0.1:${running!.forwarding!.port}`;
    quit = true;
    stub.app.emit('will-quit', { preventDefault: vi.fn() });
    const file = path.join(root, 'user-data', 'writer.json');
    for (let i = 0; i < 200 && (await stat(file).catch(() => null)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await stat(file).catch(() => null)).toBeNull();
    await expect(fetch(`${url}/api/status`, { method: 'POST' })).rejects.toThrow();
  });
});
