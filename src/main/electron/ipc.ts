/**
 * Binds the preload bridge to the core: invoke messages from our own window go to the
 * dispatcher (which validates them), core events go to the window.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type RpcResult } from '../../shared/contract';
import type { Core } from '../core';
import { isTrustedSender, parseInvokeMessage, type RendererSource } from './policy';

const UNAUTHORIZED: RpcResult = {
  ok: false,
  error: { code: 'unauthorized', message: 'Only the OneHop window may send commands.' },
};
const MALFORMED: RpcResult = {
  ok: false,
  error: { code: 'invalid-request', message: 'A command message needs a "command" name.' },
};

/** Returns a function that removes the binding (used when the app quits). */
export function bindIpc(
  core: Core,
  getWindow: () => BrowserWindow | null,
  source: RendererSource,
): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, message: unknown): Promise<RpcResult> => {
    if (!isFromOurWindow(event, getWindow(), source)) return UNAUTHORIZED;
    const parsed = parseInvokeMessage(message);
    if (!parsed) return MALFORMED;
    return core.dispatcher.dispatch(parsed.command, parsed.payload);
  });

  const unsubscribe = core.events.subscribe((event) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event);
  });

  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe();
  };
}

function isFromOurWindow(
  event: IpcMainInvokeEvent,
  window: BrowserWindow | null,
  source: RendererSource,
): boolean {
  const frame = event.senderFrame;
  return isTrustedSender(
    {
      fromOurWindow:
        window !== null && !window.isDestroyed() && event.sender === window.webContents,
      fromMainFrame: frame !== null && frame.parent === null,
      frameUrl: frame?.url ?? '',
    },
    source,
  );
}
