/**
 * The `anytag://app/` protocol: the renderer's files (with a strict CSP header) and, under
 * /media/<photo|thumb>/<id>, catalogue photos inside the library folders — nothing else on disk.
 * One origin for both, so the renderer's relative media addresses work as in the web mode.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { contentTypeOf, openMediaFile, type MediaKind } from '../engine/api/media.js';
import { toErrorShape } from '../engine/errors.js';
import { CONTENT_SECURITY_POLICY } from '../server/static-files.js';

export const APP_SCHEME = 'anytag';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** The web mode's policy: the same renderer runs under both, so one CSP serves both. */
export const APP_CSP = CONTENT_SECURITY_POLICY;

/** Registered before `app` is ready: a standard, secure scheme that may use fetch. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const HEADERS = {
  'content-security-policy': APP_CSP,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

function notFound(message = 'Not found'): Response {
  return new Response(message, {
    status: 404,
    headers: { ...HEADERS, 'content-type': 'text/plain' },
  });
}

/** The renderer file for a URL path, or null when the path leaves the renderer folder. */
export function rendererFile(rendererDir: string, urlPath: string): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath).replace(/^\/+/, '') || 'index.html';
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

export function createAppProtocolHandler(options: {
  rendererDir: string;
  engine: () => Engine | undefined;
}): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: HEADERS });
    }
    const media = /^\/media\/(photo|thumb)\/([^/]+)$/.exec(url.pathname);
    if (media) {
      const engine = options.engine();
      if (!engine) return notFound('The library is not open yet');
      try {
        const opened = await openMediaFile(
          engine,
          media[1] as MediaKind,
          decodeURIComponent(media[2]!),
        );
        let body: Buffer;
        try {
          // Read from the descriptor openMediaFile checked, never the path again.
          body = await opened.handle.readFile();
        } finally {
          await opened.handle.close();
        }
        return new Response(body, {
          headers: {
            ...HEADERS,
            'content-type': opened.contentType,
            'cache-control': 'private, max-age=3600',
          },
        });
      } catch (error) {
        return notFound(toErrorShape(error).message);
      }
    }
    const file = rendererFile(options.rendererDir, url.pathname);
    if (!file) return notFound();
    try {
      const body = await readFile(file);
      const type = contentTypeOf(file);
      return new Response(body, { headers: { ...HEADERS, 'content-type': type } });
    } catch {
      return notFound();
    }
  };
}
