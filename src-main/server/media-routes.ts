/**
 * `GET /media/photo/<id>` and `GET /media/thumb/<id>`: catalogue photos inside the library
 * folders, nothing else (the check lives in engine/api/media.ts).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../engine/engine.js';
import { resolveMediaFile, type MediaKind } from '../engine/api/media.js';
import { sendError } from './api-routes.js';
import { SECURITY_HEADERS } from './static-files.js';

export function parseMediaPath(urlPath: string): { kind: MediaKind; id: string } | null {
  const match = /^\/media\/(photo|thumb)\/([^/]+)$/.exec(urlPath);
  if (!match) return null;
  return { kind: match[1] as MediaKind, id: match[2]! };
}

export async function handleMedia(
  engine: Engine,
  target: { kind: MediaKind; id: string },
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const { file, contentType } = await resolveMediaFile(engine, target.kind, target.id);
    const info = await stat(file);
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers = {
      ...SECURITY_HEADERS,
      'content-type': contentType,
      'cache-control': 'private, max-age=3600',
      etag,
    };
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': info.size });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  } catch (error) {
    sendError(response, error);
  }
}
