/**
 * The browser transport: `POST api/<method>` with a JSON body, and one shared EventSource on
 * `api/events` for every event. URLs are relative to the page, so a reverse proxy's sub-path
 * works too.
 */
import { ApiError, type Transport } from './client.js';

export function createHttpTransport(base: string): Transport {
  const url = (relative: string): string => new URL(relative, base).toString();
  let source: EventSource | undefined;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const ensureSource = (event: string): EventSource => {
    source ??= new EventSource(url('api/events'));
    if (!listeners.has(event)) {
      const set = new Set<(payload: unknown) => void>();
      listeners.set(event, set);
      source.addEventListener(event, (message) => {
        const payload: unknown = JSON.parse((message as MessageEvent<string>).data);
        for (const listener of set) listener(payload);
      });
    }
    return source;
  };

  return {
    kind: 'http',
    async call(method, input) {
      let response: Response;
      try {
        response = await fetch(url(`api/${encodeURIComponent(method)}`), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
      } catch {
        throw new ApiError({
          code: 'IO',
          message: 'Cannot reach the Anytag server. Is `anytag serve` still running?',
        });
      }
      const body = (await response.json().catch(() => null)) as {
        error?: { code: string; message: string; details?: unknown };
      } | null;
      if (!response.ok) {
        throw new ApiError(
          body?.error ?? { code: 'IO', message: `The server answered ${response.status}` },
        );
      }
      return body;
    },
    on(event, listener) {
      ensureSource(event);
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)?.delete(listener);
    },
  };
}
