/**
 * What the preload script exposes to the renderer as `window.anytag`: the engine API (one call
 * function and one event subscription, generic over the contract) plus the few desktop-only
 * abilities. The renderer imports its types only; the channel names are for main and preload.
 */
import type { ApiEventName, ApiEvents, ApiMethod, ApiResults } from '../engine/api/contract.js';
import type { ErrorShape } from '../engine/errors.js';

/** A call's outcome as it crosses IPC: errors travel as data, never as thrown objects. */
export type BridgeOutcome<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export interface AnytagBridge {
  readonly transport: 'ipc';
  call<M extends ApiMethod>(method: M, input: unknown): Promise<BridgeOutcome<ApiResults[M]>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** The native folder picker; null when cancelled. */
  chooseFolders(): Promise<string[] | null>;
}

export const IPC_CHANNELS = {
  call: 'anytag:call',
  event: 'anytag:event',
  chooseFolders: 'anytag:choose-folders',
} as const;
