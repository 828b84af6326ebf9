/**
 * `anytag serve` as a user starts it: the compiled CLI in a child process on a free port. The
 * server asks for a token on every address: `url` is the printed address with `?token=` (a
 * browser opening it gets the cookie), `token` the token itself (for API calls, as a bearer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, STARTER_PACK, requireBuilt } from '../helpers/shared.js';

/** Where the e2e tests leave their screenshots. */
export const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'e2e');

/**
 * Fails loudly (not a skip) unless `anytag serve`, the web renderer and, with `starterPack`
 * (default true), the starter pack are built; then makes the screenshot folder.
 */
export async function requireServeBuilt(options: { starterPack?: boolean } = {}): Promise<void> {
  requireBuilt(path.join(REPO_ROOT, 'out', 'node', 'server', 'serve.js'), 'run `npm run build`');
  requireBuilt(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'), 'run `npm run build:web`');
  if (options.starterPack ?? true) requireBuilt(STARTER_PACK, 'run `npm run build:packs`');
  await mkdir(SHOTS, { recursive: true });
}

export interface ServeProcess {
  url: string;
  /** The server's origin (http://127.0.0.1:<port>) and access token. */
  origin: string;
  token: string | undefined;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export async function startServe(dataDir: string, extraArgs: string[] = []): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin', 'anytag.js'),
      'serve',
      '--data',
      dataDir,
      '--port',
      '0',
      ...extraArgs,
    ],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ANYTAG_TOKEN: '' },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve printed no address:\n${output}`)),
      30_000,
    );
    const look = (): void => {
      const match = /serving at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? undefined,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Calls the API of a running `anytag serve` as a script would (`POST /api/<method>` with the
 * bearer token): set-up steps a test does not click through. Throws the API's error message.
 */
export async function callApi<T = unknown>(
  serve: ServeProcess,
  method: string,
  input: unknown = {},
): Promise<T> {
  const response = await fetch(`${serve.origin}/api/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(serve.token && { authorization: `Bearer ${serve.token}` }),
    },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as T & { error?: { code: string; message: string } };
  if (!response.ok) throw new Error(`${method}: ${body.error?.code} ${body.error?.message}`);
  return body;
}
