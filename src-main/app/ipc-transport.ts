/**
 * The API over Electron IPC, generic over the contract: one invoke channel for every method and
 * one event channel for every event. Calls are accepted only from the app's own pages; the
 * method name is checked and the input parsed by Api.call, against the contract.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ApiMethod } from '../engine/api/contract.js';
import type { Api } from '../engine/api/api.js';
import { AnytagError, toErrorShape } from '../engine/errors.js';
import { IPC_CHANNELS, type BridgeOutcome } from './bridge-api.js';
import { APP_ORIGIN } from './app-protocol.js';

/** True for frames showing the app itself (anytag://app/…), never a remote page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const url = event.senderFrame?.url ?? '';
  try {
    return new URL(url).origin === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

export async function callApi(
  api: Api,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  method: unknown,
  input: unknown,
): Promise<BridgeOutcome<unknown>> {
  try {
    if (!isTrustedSender(event))
      throw new AnytagError('INVALID_INPUT', 'Calls are accepted only from the Anytag window');
    // Api.call answers NOT_FOUND for a method the contract lacks.
    return { ok: true, value: await api.call(method as ApiMethod, input) };
  } catch (error) {
    return { ok: false, error: toErrorShape(error) };
  }
}

export interface IpcTransportOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  api: Api;
  /** Windows that receive events. */
  targets: () => WebContents[];
  chooseFolders: () => Promise<string[] | null>;
}

/** Installs the handlers; returns a function that removes them. */
export function installIpcTransport(options: IpcTransportOptions): () => void {
  const { ipcMain, api } = options;
  ipcMain.handle(IPC_CHANNELS.call, (event, method: unknown, input: unknown) =>
    callApi(api, event, method, input),
  );
  ipcMain.handle(IPC_CHANNELS.chooseFolders, (event) =>
    isTrustedSender(event) ? options.chooseFolders() : null,
  );
  const off = api.onAny((name, payload) => {
    for (const contents of options.targets()) {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.event, name, payload);
    }
  });
  return () => {
    off();
    ipcMain.removeHandler(IPC_CHANNELS.call);
    ipcMain.removeHandler(IPC_CHANNELS.chooseFolders);
  };
}
