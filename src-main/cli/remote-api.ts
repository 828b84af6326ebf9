/**
 * The engine API as the CLI sees it, local or remote. `RemoteApi` is the HTTP transport's
 * client: a CLI command that wants to change a data folder whose writer is `anytag serve`
 * sends its calls there (POST /api/<method> with the holder's token, events from the SSE
 * stream) instead of opening the folder a second time.
 */
import type { ApiEventName, ApiEvents, ApiMethod, ApiResults } from '../engine/api/contract.js';
import { AnytagError, type ErrorCode } from '../engine/errors.js';

/** What the CLI's commands need of the API: Api (in process) and RemoteApi both fit. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, input: unknown): Promise<ApiResults[M]>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

type Listener = (payload: unknown) => void;

export class RemoteApi implements ApiClient {
  private readonly listeners = new Map<string, Set<Listener>>();
  private events: AbortController | undefined;

  /** `base`: the server's origin (http://127.0.0.1:4170); `token`: its access token, if any. */
  constructor(
    readonly base: string,
    private readonly token: string | undefined,
  ) {}

  private get headers(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  async call<M extends ApiMethod>(method: M, input: unknown): Promise<ApiResults[M]> {
    let response: Response;
    try {
      response = await fetch(`${this.base}/api/${method}`, {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch (error) {
      throw new AnytagError(
        'IO',
        `The running Anytag at ${this.base} cannot be reached: ${(error as Error).message}`,
        { url: this.base },
      );
    }
    const body = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) {
      const shape = (body as { error?: { code?: string; message?: string; details?: object } })
        ?.error;
      throw new AnytagError(
        (shape?.code ?? 'IO') as ErrorCode,
        shape?.message ?? `${this.base} answered HTTP ${response.status}`,
        shape?.details as Record<string, unknown> | undefined,
      );
    }
    return body as ApiResults[M];
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    this.events ??= this.listen();
    return () => {
      set.delete(listener as Listener);
    };
  }

  /** Stops listening to the server's events. */
  close(): void {
    this.events?.abort();
    this.events = undefined;
  }

  /** Reads GET /api/events: `event: <name>` and `data: <json>` lines, a blank line ends one. */
  private listen(): AbortController {
    const controller = new AbortController();
    const run = async (): Promise<void> => {
      const response = await fetch(`${this.base}/api/events`, {
        headers: this.headers,
        signal: controller.signal,
      });
      if (!response.body) return;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    };
    run().catch(() => undefined); // progress is a nicety: the calls themselves report errors
    return controller;
  }

  private dispatch(message: string): void {
    let event = '';
    let data = '';
    for (const line of message.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    const listeners = this.listeners.get(event);
    if (!listeners || !data) return;
    const payload = JSON.parse(data) as unknown;
    for (const listener of listeners) listener(payload);
  }
}
