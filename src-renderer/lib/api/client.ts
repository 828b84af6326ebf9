/**
 * The renderer's one API client, generic over the contract. It uses the preload bridge
 * (`window.anytag`) inside the desktop app and HTTP + Server-Sent Events in a browser.
 */
import type {
  ApiEventName,
  ApiEvents,
  ApiInput,
  ApiMethod,
  ApiResults,
} from '../../../src-main/engine/api/contract.js';
import type { ErrorShape } from '../../../src-main/engine/errors.js';
import type { AnytagBridge } from '../../../src-main/app/bridge-api.js';
import { createHttpTransport } from './http-transport.js';

export interface Transport {
  readonly kind: 'ipc' | 'http';
  call(method: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  chooseFolders?: () => Promise<string[] | null>;
}

/** An API error as the UI sees it: the engine's stable code and its message in words. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(shape: ErrorShape | { code: string; message: string; details?: unknown }) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.details = shape.details as Record<string, unknown> | undefined;
  }
}

export class ApiClient {
  constructor(private readonly transport: Transport) {}

  get kind(): Transport['kind'] {
    return this.transport.kind;
  }

  get canChooseFolders(): boolean {
    return this.transport.chooseFolders !== undefined;
  }

  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResults[M]> {
    return this.transport.call(method, input) as Promise<ApiResults[M]>;
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    return this.transport.on(event, listener as (payload: unknown) => void);
  }

  chooseFolders(): Promise<string[] | null> {
    return this.transport.chooseFolders?.() ?? Promise.resolve(null);
  }
}

function bridgeTransport(bridge: AnytagBridge): Transport {
  return {
    kind: 'ipc',
    async call(method, input) {
      const outcome = await bridge.call(method as ApiMethod, input);
      if (!outcome.ok) throw new ApiError(outcome.error);
      return outcome.value;
    },
    on: (event, listener) => bridge.on(event as ApiEventName, listener),
    chooseFolders: () => bridge.chooseFolders(),
  };
}

declare global {
  interface Window {
    anytag?: AnytagBridge;
  }
}

export function createClient(win: Window = window): ApiClient {
  const bridge = win.anytag;
  return new ApiClient(bridge ? bridgeTransport(bridge) : createHttpTransport(win.location.href));
}

/** Words for any error, for the UI. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
