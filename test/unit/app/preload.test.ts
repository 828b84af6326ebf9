/** The preload bridge under Node, with only `electron` stubbed: fixed channels, checked names. */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { AnytagBridge } from '../../../src-main/app/bridge-api.js';
import { IPC_CHANNELS } from '../../../src-main/app/bridge-api.js';

const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const renderer = Object.assign(new EventEmitter(), {
  invoke: (...args: unknown[]) => {
    invoked.push(args);
    return Promise.resolve({ ok: true, value: 'answer' });
  },
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: renderer,
}));

await import('../../../src-main/app/preload.js');
const bridge = exposed.get('anytag') as AnytagBridge;

describe('preload bridge', () => {
  it('exposes only window.anytag', () => {
    expect([...exposed.keys()]).toEqual(['anytag']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'chooseFolders', 'on', 'transport']);
  });

  it('sends calls over the one call channel and refuses odd method names', async () => {
    expect(await bridge.call('status', {})).toEqual({ ok: true, value: 'answer' });
    expect(invoked.at(-1)).toEqual([IPC_CHANNELS.call, 'status', {}]);
    const odd = await bridge.call('../../x' as 'status', {});
    expect(odd).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(invoked).toHaveLength(1);
  });

  it('delivers only the subscribed event, until unsubscribed', () => {
    const seen: unknown[] = [];
    const off = bridge.on('indexProgress', (p) => seen.push(p));
    renderer.emit(IPC_CHANNELS.event, {}, 'folderChanged', { path: '/x' });
    renderer.emit(IPC_CHANNELS.event, {}, 'indexProgress', { done: 1 });
    off();
    renderer.emit(IPC_CHANNELS.event, {}, 'indexProgress', { done: 2 });
    expect(seen).toEqual([{ done: 1 }]);
  });
});
