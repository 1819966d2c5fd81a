/**
 * The one client interface every UI uses. A transport (preload bridge, WebSocket, in-process)
 * moves raw messages; this turns them into typed calls and typed events, so the renderer cannot
 * tell which host it runs under.
 */
import type { CommandName, CommandRequest, CommandResponse } from './commands';
import { ContractError } from './errors';
import type { EventName, EventPayload } from './events';
import type { RpcEvent, RpcResult } from './wire';

export interface RpcTransport {
  invoke(command: string, payload: unknown): Promise<RpcResult>;
  /** Receive every event; returns an unsubscribe function. */
  subscribe(listener: (event: RpcEvent) => void): () => void;
}

export interface OneHopClient {
  /** Runs a command; rejects with a `ContractError` when the core says no. */
  call<C extends CommandName>(command: C, request: CommandRequest<C>): Promise<CommandResponse<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(transport: RpcTransport): OneHopClient {
  return {
    async call(command, request) {
      const result = await transport.invoke(command, request);
      if (!result.ok) throw new ContractError(result.error);
      // The core validated the response against the contract before sending it.
      return result.result as never;
    },
    on(event, listener) {
      return transport.subscribe((message) => {
        if (message.event === event) listener(message.payload as never);
      });
    },
  };
}
