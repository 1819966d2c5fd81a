/**
 * Picks the transport once at start-up: the Electron preload bridge when it exists, otherwise
 * the browser-mode host's WebSocket. Everything else in the UI sees only `OneHopClient`.
 */
import {
  createClient,
  type OneHopClient,
  type RpcTransport,
} from '../../../shared/contract/client';
import { WEB_RPC_PATH } from '../../../shared/contract/wire';
import { ConnectionMonitor } from './connection';
import { createWebSocketTransport } from './webSocketTransport';

export type { ConnectionState } from './connection';
export { ConnectionMonitor } from './connection';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge. */
    onehop?: RpcTransport;
  }
}

export interface Api {
  client: OneHopClient;
  connection: ConnectionMonitor;
  transport: 'electron' | 'websocket';
}

export function connect(): Api {
  if (typeof window.onehop?.invoke === 'function') {
    // IPC to the main process cannot drop while the window lives.
    return {
      client: createClient(window.onehop),
      connection: new ConnectionMonitor({ status: 'connected' }),
      transport: 'electron',
    };
  }
  const { transport, connection } = createWebSocketTransport(webSocketUrl(window.location));
  return { client: createClient(transport), connection, transport: 'websocket' };
}

export function webSocketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return `${scheme}://${location.host}${WEB_RPC_PATH}?token=${encodeURIComponent(token)}`;
}
