/**
 * The preload bridge (sandboxed, bundled to CommonJS by electron-vite): exposes `window.anytag`
 * with exactly the calls in bridge-api.ts over fixed channels. Nothing else of Electron or Node
 * reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type AnytagBridge } from './bridge-api.js';

const NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

const bridge: AnytagBridge = {
  transport: 'ipc',
  call: (method, input) => {
    if (typeof method !== 'string' || !NAME.test(method)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'INVALID_INPUT', message: `Unknown API method "${String(method)}"` },
      });
    }
    return ipcRenderer.invoke(IPC_CHANNELS.call, method, input);
  },
  on: (event, listener) => {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload as never);
    };
    ipcRenderer.on(IPC_CHANNELS.event, forward);
    return () => {
      ipcRenderer.off(IPC_CHANNELS.event, forward);
    };
  },
  chooseFolders: () => ipcRenderer.invoke(IPC_CHANNELS.chooseFolders),
};

contextBridge.exposeInMainWorld('anytag', bridge);
