/**
 * The API over HTTP, generic over the contract: `POST /api/<method>` with a JSON body answers
 * the method's result as JSON, or `{ error: { code, message, details } }` with a status that
 * fits the code. (`GET /api/events`, the stream of every API event, is event-streams.ts.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiMethod } from '../engine/api/contract.js';
import type { Api } from '../engine/api/api.js';
import { AnytagError, toErrorShape, type ErrorCode, type ErrorShape } from '../engine/errors.js';

const MAX_BODY_BYTES = 1_000_000;

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNKNOWN_WORD: 422,
  NOT_FOUND: 404,
  PACK_NOT_FOUND: 409,
  PACK_INVALID: 409,
  IMAGE_UNSUPPORTED: 415,
  DATA_FOLDER_BUSY: 423,
  READ_ONLY: 409,
  CANCELLED: 409,
};

export function statusOf(error: ErrorShape): number {
  return STATUS_OF[error.code] ?? 500;
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(body);
}

export function sendError(response: ServerResponse, error: unknown): void {
  const shape = toErrorShape(error);
  sendJson(response, statusOf(shape), { error: shape });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  // Only JSON: a cross-site form or "simple" request cannot send it without a preflight we refuse.
  if (!/^application\/json\b/i.test(type)) {
    throw new AnytagError('INVALID_INPUT', `Send the input as application/json, not "${type}"`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new AnytagError('INVALID_INPUT', `The request body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AnytagError('INVALID_INPUT', 'The request body is not valid JSON');
  }
}

/** `POST /api/<method>`. */
export async function handleApiCall(
  api: Api,
  method: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'POST') {
    response.setHeader('allow', 'POST');
    sendJson(response, 405, { error: { code: 'INVALID_INPUT', message: 'Use POST' } });
    return;
  }
  try {
    const input = await readJson(request);
    // Api.call answers NOT_FOUND (404) for a method the contract lacks.
    const result = await api.call(method as ApiMethod, input);
    sendJson(response, 200, result ?? null);
  } catch (error) {
    sendError(response, error);
  }
}
