/**
 * Who may talk to `anytag serve`. Every server asks for its token by default, on every address
 * (another local user can reach a loopback port too): as `Authorization: Bearer`, or the
 * HttpOnly cookie a browser gets by opening the printed `/?token=` address once. Only a
 * loopback server may run without one (`--no-token`). Loopback-bound servers also answer only
 * requests whose Host names the loopback (DNS-rebinding defence), and every server only requests
 * whose Origin, if any, is the server itself.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AnytagError } from '../engine/errors.js';

/** The shortest access token a server accepts (characters). */
export const MIN_TOKEN_LENGTH = 8;

export const TOKEN_COOKIE = 'anytag_token';

export interface GuardOptions {
  /** The address the server is bound to (e.g. 127.0.0.1, 0.0.0.0, a LAN address). */
  host: string;
  port: number;
  /** The access token; absent only on a loopback address. */
  token?: string;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function hostName(hostHeader: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (bracketed) return bracketed[1]!;
  return hostHeader.replace(/:\d+$/, '');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A cookie's value; undefined when absent; null when it is malformed (bad %-encoding). */
export function cookieValue(header: string | undefined, name: string): string | undefined | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return null;
    }
  }
  return undefined;
}

function originHostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return '';
  }
}

/**
 * ok with `setCookie` when the address carried the right token (trade it for the cookie);
 * a 400 for a malformed cookie, 401 without a valid token, 403 for a foreign Host or Origin.
 */
export type GuardVerdict =
  { ok: true; setCookie: boolean } | { ok: false; status: 400 | 401 | 403; reason: string };

export class RequestGuard {
  readonly needsToken: boolean;

  constructor(private readonly options: GuardOptions) {
    this.needsToken = options.token !== undefined;
    if (!this.needsToken && !isLoopback(options.host)) {
      throw new AnytagError(
        'INVALID_INPUT',
        `A token is required to serve on ${options.host} (not a loopback address)`,
      );
    }
    if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH) {
      throw new AnytagError(
        'INVALID_INPUT',
        `The access token must be at least ${MIN_TOKEN_LENGTH} characters long`,
      );
    }
  }

  get token(): string | undefined {
    return this.options.token;
  }

  /** Checks Host, Origin and the token of one request (`urlToken`: the address's ?token=). */
  check(request: IncomingMessage, urlToken?: string | null): GuardVerdict {
    const hostHeader = request.headers.host ?? '';
    const name = hostName(hostHeader);
    if (isLoopback(this.options.host) && !isLoopback(name)) {
      return { ok: false, status: 403, reason: `Host "${hostHeader}" is not this server` };
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      if (originHostOf(origin) !== hostHeader) {
        return { ok: false, status: 403, reason: `Origin "${origin}" may not call this server` };
      }
    } else if (origin === 'null') {
      return { ok: false, status: 403, reason: 'Opaque origins may not call this server' };
    }
    const cookie = cookieValue(request.headers.cookie, TOKEN_COOKIE);
    if (cookie === null) {
      return { ok: false, status: 400, reason: `The ${TOKEN_COOKIE} cookie is malformed` };
    }
    const expected = this.options.token;
    if (expected === undefined) return { ok: true, setCookie: false };
    // Only a right token in the address sets the cookie: a wrong one never replaces a good one.
    if (urlToken && sameToken(urlToken, expected)) return { ok: true, setCookie: true };
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    for (const given of [bearer, cookie]) {
      if (given && sameToken(given, expected)) return { ok: true, setCookie: false };
    }
    return { ok: false, status: 401, reason: 'This server needs its access token' };
  }
}
