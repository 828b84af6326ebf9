/**
 * Who may talk to `anytag serve`. Loopback-bound servers answer only requests whose Host names
 * the loopback (DNS-rebinding defence) and whose Origin, if any, is the server itself. A server
 * bound to another address also requires the token: as `Authorization: Bearer`, or the cookie a
 * browser gets by opening the printed `/?token=` address once.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'anytag_token';

export interface GuardOptions {
  /** The address the server is bound to (e.g. 127.0.0.1, 0.0.0.0, a LAN address). */
  host: string;
  port: number;
  /** Required when `host` is not a loopback address. */
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

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
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

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export class RequestGuard {
  readonly needsToken: boolean;

  constructor(private readonly options: GuardOptions) {
    this.needsToken = !isLoopback(options.host);
    if (this.needsToken && !options.token) {
      throw new Error(`A token is required to serve on ${options.host} (not a loopback address)`);
    }
  }

  get token(): string | undefined {
    return this.options.token;
  }

  /** Checks Host, Origin and (off loopback) the token of one request. */
  check(request: IncomingMessage, urlToken?: string | null): GuardVerdict {
    const hostHeader = request.headers.host ?? '';
    const name = hostName(hostHeader);
    if (!this.needsToken && !isLoopback(name)) {
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
    if (!this.needsToken) return { ok: true };
    const expected = this.options.token!;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const cookie = cookieValue(request.headers.cookie, TOKEN_COOKIE);
    for (const given of [bearer, cookie, urlToken ?? undefined]) {
      if (given && sameToken(given, expected)) return { ok: true };
    }
    return { ok: false, status: 401, reason: 'This server needs its access token' };
  }
}
