/**
 * The terminal sessions of this process, behind the `terminal.*` commands: opened by any UI,
 * output and state broadcast as events, closed with the core.
 */
import { ContractError } from '../../../shared/contract';
import type { TerminalInfo, TerminalTarget } from '../../../shared/model/terminal';
import type { EventBus } from '../events/bus';
import type { ConnectionPool } from '../connections/pool';
import type { ResolvedRoute } from '../connections/route';
import { TerminalSession } from './terminalSession';

const MAX_SESSIONS = 200;

export interface TerminalServiceOptions {
  pool: ConnectionPool;
  bus: EventBus;
  resolve: (target: TerminalTarget) => Promise<ResolvedRoute>;
  log?: (message: string) => void;
}

export class TerminalService {
  readonly #options: TerminalServiceOptions;
  readonly #sessions = new Map<string, TerminalSession>();
  #next = 1;

  constructor(options: TerminalServiceOptions) {
    this.#options = options;
  }

  open(target: TerminalTarget, size: { cols: number; rows: number }): TerminalInfo {
    if (this.#sessions.size >= MAX_SESSIONS) {
      throw new ContractError({
        code: 'conflict',
        message: `${String(MAX_SESSIONS)} terminals are open; close some first.`,
      });
    }
    const id = `t${String(this.#next++)}`;
    const session = new TerminalSession(id, target, size, {
      pool: this.#options.pool,
      resolve: this.#options.resolve,
      onData: (terminal, data) => this.#options.bus.emit('terminal.data', { id: terminal, data }),
      onState: (terminal) => this.#options.bus.emit('terminal.state', { terminal }),
      ...(this.#options.log ? { log: this.#options.log } : {}),
    });
    this.#sessions.set(id, session);
    void session.connect();
    return session.info();
  }

  list(): TerminalInfo[] {
    return [...this.#sessions.values()].map((s) => s.info());
  }

  get(id: string): TerminalSession {
    const session = this.#sessions.get(id);
    if (!session) {
      throw new ContractError({
        code: 'not-found',
        message: `There is no terminal ${id}; it was closed.`,
      });
    }
    return session;
  }

  async reconnect(id: string): Promise<TerminalInfo> {
    const session = this.get(id);
    await session.connect();
    return session.info();
  }

  close(id: string): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    this.#sessions.delete(id);
    session.close();
  }

  /** Credentials of a site were stored: sessions waiting for a sign-in come back. */
  signedIn(site: string): void {
    for (const session of this.#sessions.values()) if (session.site === site) session.signedIn();
  }

  closeAll(): void {
    for (const id of [...this.#sessions.keys()]) this.close(id);
  }
}
