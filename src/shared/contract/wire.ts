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

export { IPC_INVOKE_CHANNEL, IPC_EVENT_CHANNEL, WEB_RPC_PATH } from './channels';
