/** The `terminal.*` commands. */
import type { CommandHandlers } from '../rpc/dispatcher';
import type { TerminalService } from './terminalService';

export function createTerminalHandlers(
  terminals: TerminalService,
): Pick<
  CommandHandlers,
  | 'terminal.open'
  | 'terminal.list'
  | 'terminal.write'
  | 'terminal.resize'
  | 'terminal.ack'
  | 'terminal.reconnect'
  | 'terminal.close'
> {
  return {
    'terminal.open': ({ target, cols, rows }) => ({
      terminal: terminals.open(target, { cols, rows }),
    }),
    'terminal.list': () => ({ terminals: terminals.list() }),
    'terminal.write': ({ id, data }) => {
      terminals.get(id).write(data);
      return {};
    },
    'terminal.resize': ({ id, cols, rows }) => {
      terminals.get(id).resize(cols, rows);
      return {};
    },
    'terminal.ack': ({ id, chars }) => {
      terminals.get(id).ack(chars);
      return {};
    },
    'terminal.reconnect': async ({ id }) => ({ terminal: await terminals.reconnect(id) }),
    'terminal.close': ({ id }) => {
      terminals.close(id);
      return {};
    },
  };
}
