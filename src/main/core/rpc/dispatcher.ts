/**
 * The core side of the contract: validates each request against its command's schema, runs the
 * handler, validates the response, and turns every failure into a typed error. Hosts (Electron
 * IPC, WebSocket, CLI) call `dispatch` with untrusted input; it never throws.
 */
import {
  commands,
  ContractError,
  describeZodError,
  isCommandName,
  type CommandName,
  type HandlerRequest,
  type HandlerResponse,
  type RpcResult,
} from '../../../shared/contract';

export type CommandHandlers = {
  [C in CommandName]: (
    request: HandlerRequest<C>,
  ) => Promise<HandlerResponse<C>> | HandlerResponse<C>;
};

export interface Dispatcher {
  dispatch(command: unknown, payload: unknown): Promise<RpcResult>;
}

export interface DispatcherOptions {
  /** Called for failures that are bugs (not the caller's fault), for the log. */
  onInternalError?: (command: string, error: unknown) => void;
}

export function createDispatcher(
  handlers: CommandHandlers,
  options: DispatcherOptions = {},
): Dispatcher {
  return {
    async dispatch(command, payload) {
      if (!isCommandName(command)) {
        const shown = typeof command === 'string' ? command.slice(0, 100) : typeof command;
        return fail('unknown-command', `Unknown command "${shown}".`);
      }
      const spec = commands[command];
      const request = spec.request.safeParse(payload ?? {});
      if (!request.success) {
        return { ok: false, error: describeZodError(request.error, `request for ${command}`) };
      }
      try {
        const handler = handlers[command] as (req: unknown) => unknown;
        const raw = await handler(request.data);
        const response = spec.response.safeParse(raw);
        if (!response.success) {
          options.onInternalError?.(command, response.error);
          return fail(
            'internal',
            `OneHop produced an invalid response for ${command}; this is a bug.`,
          );
        }
        return { ok: true, result: response.data };
      } catch (error) {
        if (error instanceof ContractError) return { ok: false, error: error.toData() };
        options.onInternalError?.(command, error);
        const reason = error instanceof Error ? error.message : String(error);
        return fail('internal', `${command} failed unexpectedly: ${reason}`);
      }
    },
  };
}

function fail(code: 'unknown-command' | 'internal', message: string): RpcResult {
  return { ok: false, error: { code, message } };
}
