/**
 * Transport names, free of any import: the sandboxed preload can `require` only `electron`, so it
 * must be able to take these without pulling zod into its bundle. Re-exported by wire.ts.
 */

/** The name of the IPC channels the Electron host and the preload agree on. */
export const IPC_INVOKE_CHANNEL = 'onehop:invoke';
export const IPC_EVENT_CHANNEL = 'onehop:event';
/** The WebSocket path of the browser-mode host. */
export const WEB_RPC_PATH = '/rpc';
