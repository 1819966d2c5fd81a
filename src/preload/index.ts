/**
 * The preload bridge (sandboxed, CommonJS): exposes `window.onehop`, an `RpcTransport`, and
 * nothing else. It moves raw messages only; the core validates commands, and the renderer wraps
 * this with `createClient`. Never hand the renderer `ipcRenderer` or an `IpcRendererEvent`:
 * either would let page code reach every channel.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
// Type-only imports vanish from the bundle; the constants come from the import-free module.
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/contract/channels';
import type { RpcTransport } from '../shared/contract/client';
import type { RpcEvent, RpcResult } from '../shared/contract/wire';

const transport: RpcTransport = {
  invoke(command: string, payload: unknown): Promise<RpcResult> {
    if (typeof command !== 'string') {
      return Promise.resolve({
        ok: false,
        error: { code: 'invalid-request', message: 'A command name must be a string.' },
      });
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, { command, payload }) as Promise<RpcResult>;
  },

  subscribe(listener: (event: RpcEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function.');
    const handler = (_event: IpcRendererEvent, message: unknown) => {
      if (isRpcEvent(message)) listener(message);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

function isRpcEvent(message: unknown): message is RpcEvent {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { event?: unknown }).event === 'string'
  );
}

contextBridge.exposeInMainWorld('onehop', transport);
