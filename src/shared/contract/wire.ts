/**
 * The messages every transport carries (Electron IPC, WebSocket). Transports move these as-is;
 * only the core gives them meaning.
 */
import { z } from 'zod';
import { ContractErrorSchema, type ContractErrorData } from './errors';

export const RpcRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  command: z.string().max(100),
  payload: z.unknown(),
});
export type RpcRequest = z.infer<typeof RpcRequestSchema>;

export type RpcResult = { ok: true; result: unknown } | { ok: false; error: ContractErrorData };

export const RpcResultSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ContractErrorSchema }),
]);

export type RpcResponse = RpcResult & { id: number };

export interface RpcEvent {
  event: string;
  payload: unknown;
}

/** The name of the IPC channels the Electron host and the preload agree on. */
export const IPC_INVOKE_CHANNEL = 'onehop:invoke';
export const IPC_EVENT_CHANNEL = 'onehop:event';
/** The WebSocket path of the browser-mode host. */
export const WEB_RPC_PATH = '/rpc';
