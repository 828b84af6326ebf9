/**
 * `GET /media/photo/<id>` and `GET /media/thumb/<id>`: catalogue photos inside the library
 * folders, nothing else. engine/api/media.ts opens and checks the file; this
 * streams from that open descriptor (never reopening it by name).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Engine } from '../engine/engine.js';
import { openMediaFile, type MediaKind } from '../engine/api/media.js';
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
  let media;
  try {
    media = await openMediaFile(engine, target.kind, target.id);
  } catch (error) {
    sendError(response, error);
    return;
  }
  const { handle, size, mtimeMs, contentType } = media;
  const etag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'cache-control': 'private, max-age=3600',
    etag,
  };
  if (request.headers['if-none-match'] === etag || request.method === 'HEAD' || size === 0) {
    await handle.close();
    const notModified = request.headers['if-none-match'] === etag;
    response.writeHead(notModified ? 304 : 200, {
      ...headers,
      ...(!notModified && { 'content-length': size }),
    });
    response.end();
    return;
  }
  response.writeHead(200, { ...headers, 'content-length': size });
  // Exactly the bytes fstat saw; the stream closes the descriptor when done or failed.
  await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), response).catch(() =>
    response.destroy(),
  );
}
