/**
 * The browser-mode transport: JSON over one WebSocket to the web host's `/rpc`.
 * Calls made while the socket is opening wait for it; calls in flight when it drops are rejected
 * with a plain message, and the socket is re-opened a bounded number of times.
 */
import type { RpcTransport } from '../../../shared/contract/client';
import type { RpcEvent, RpcResult } from '../../../shared/contract/wire';
import { ConnectionMonitor } from './connection';

interface Pending {
  resolve: (result: RpcResult) => void;
  reject: (error: Error) => void;
}

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 8000, 8000, 8000];

export const CONNECTION_LOST_MESSAGE =
  'The connection to OneHop was lost before it answered. Try again once it is back.';

export function createWebSocketTransport(url: string): {
  transport: RpcTransport;
  connection: ConnectionMonitor;
} {
  const connection = new ConnectionMonitor({ status: 'connecting' });
  const pending = new Map<number, Pending>();
  const waitingForOpen: (() => void)[] = [];
  const listeners = new Set<(event: RpcEvent) => void>();
  let nextId = 1;
  let socket: WebSocket;
  let attempt = 0;
  let everOpened = false;

  const failPending = (message: string): void => {
    for (const call of pending.values()) call.reject(new Error(message));
    pending.clear();
  };

  const open = (): void => {
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      attempt = 0;
      everOpened = true;
      connection.set({ status: 'connected' });
      for (const send of waitingForOpen.splice(0)) send();
    });
    socket.addEventListener('message', (message) => onMessage(message.data));
    socket.addEventListener('close', (event) => {
      failPending(CONNECTION_LOST_MESSAGE);
      const reason = everOpened
        ? 'The connection to OneHop was lost.'
        : 'OneHop did not accept the connection. Open the exact address the host printed (it carries a token).';
      const delay = RECONNECT_DELAYS_MS[attempt];
      if (delay === undefined || event.code === 1008) {
        connection.set({ status: 'lost', reason });
        for (const send of waitingForOpen.splice(0)) send();
        return;
      }
      attempt += 1;
      connection.set({ status: 'reconnecting', attempt, reason });
      setTimeout(open, delay);
    });
  };

  const onMessage = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (!message || typeof message !== 'object') return;
    const record = message as Record<string, unknown>;
    if (typeof record.id === 'number') {
      const call = pending.get(record.id);
      if (!call) return;
      pending.delete(record.id);
      call.resolve(record as unknown as RpcResult);
    } else if (typeof record.event === 'string') {
      for (const listener of listeners) listener({ event: record.event, payload: record.payload });
    }
  };

  open();

  const transport: RpcTransport = {
    invoke(command, payload) {
      return new Promise<RpcResult>((resolve, reject) => {
        const send = (): void => {
          if (socket.readyState !== WebSocket.OPEN) {
            reject(
              new Error(
                'OneHop is not connected. Wait for the connection to come back, or reload the page.',
              ),
            );
            return;
          }
          const id = nextId++;
          pending.set(id, { resolve, reject });
          socket.send(JSON.stringify({ id, command, payload }));
        };
        const state = connection.get().status;
        if (state === 'connecting' || state === 'reconnecting') waitingForOpen.push(send);
        else send();
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { transport, connection };
}
