/**
 * One running tunnel profile: its listeners (all bound, or none: no half-started profile), the
 * SSH connection its clients' channels go through, the clients waiting (bounded) for that
 * connection while it reconnects, its state and event log, and its teardown.
 *
 * connectLoop.ts drives the connection; the manager hears of changes through RunHooks.
 */
import type { Duplex } from 'node:stream';
import type { Forward, TunnelProfile } from '../../../shared/model/settings';
import type {
  LauncherRuntime,
  TunnelEvent,
  TunnelRuntime,
  TunnelState,
} from '../../../shared/model/tunnel';
import type { AutostartAlerts } from './alerts';
import { connectLoop } from './connectLoop';
import { ConnectionWaiters } from './connectionWaiters';
import { codeOf } from './errorKinds';
import { errorMessage, type ForwardServer } from './forwarding/common';
import { startLocalForwardServer } from './forwarding/localForwardServer';
import { startSocks5Server } from './forwarding/socks5Server';
import { forwardRuntime } from './snapshot';
import type { TunnelTiming } from './timing';
import { forwardLabel } from './validation';
import type { TunnelConnector, ViaConnection } from './viaConnection';

const MAX_EVENTS = 50;
const STOP_WAIT_MS = 3_000;

export interface RunHooks {
  /** The run's state or reason changed (and once as it begins). */
  stateChanged(): void;
  /** Counters or the event log moved: worth reporting, throttled. */
  activity(): void;
  /** The run stopped or failed for good. */
  ended(run: TunnelRun): void;
}

export interface RunOptions {
  connector: TunnelConnector;
  timing: TunnelTiming;
  /** Only autostarted runs raise alerts. */
  alerts: AutostartAlerts | null;
  hooks: RunHooks;
}

interface Slot {
  forward: Forward;
  server: ForwardServer | null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export class TunnelRun {
  state: TunnelState = 'starting';
  reason: string | null = null;
  /** The live SSH connection; null while connecting or reconnecting. */
  connection: ViaConnection | null = null;
  readonly abort = new AbortController();
  stopped = false;
  /** Clients waiting for the connection while there is none. */
  readonly waiters = new ConnectionWaiters();
  /** Interrupts a backoff or sign-in pause. */
  wake: (() => void) | null = null;
  /** Resolves the current connection's watch when a dial found it dead. */
  drop: (() => void) | null = null;
  private readonly slots: Slot[];
  private readonly events: TunnelEvent[] = [];
  private loop: Promise<void> = Promise.resolve();

  constructor(
    readonly profile: TunnelProfile,
    /** The via host as login@host:port, for messages. */
    readonly target: string,
    private readonly options: RunOptions,
  ) {
    this.slots = profile.forwards.map((forward) => ({ forward, server: null }));
  }

  /**
   * Announces the run, binds every listener (a failure closes those bound and ends the run as
   * failed), then connects in the background.
   */
  async start(): Promise<void> {
    this.notifyState();
    for (const slot of this.slots) {
      try {
        slot.server = await this.bind(slot.forward);
      } catch (error) {
        const reason = errorMessage(error);
        await this.closeListeners();
        for (const s of this.slots) s.server = null;
        this.event('error', reason);
        this.finish('failed', reason);
        return;
      }
      if (this.stopped) break;
    }
    if (this.stopped) {
      // stop() ran while binding: it may have missed servers bound since.
      await this.closeListeners();
      return;
    }
    for (const slot of this.slots) {
      this.event('info', `Listening on ${forwardLabel(slot.forward)}.`);
    }
    this.loop = connectLoop(this, this.options).catch((error: unknown) => {
      // A bug in the loop must not leave a tunnel that claims to work.
      void this.fail(`Internal error: ${errorMessage(error)}`);
    });
  }

  /** Closes the listeners and every connection; waits (bounded) for the loop to end. */
  async stop(): Promise<void> {
    await this.teardown();
    this.event('info', 'Stopped.');
    this.finish('stopped', null);
    await Promise.race([this.loop, sleep(STOP_WAIT_MS)]);
  }

  async fail(reason: string): Promise<void> {
    if (this.stopped) return;
    await this.teardown();
    this.finish('failed', reason);
  }

  setState(state: TunnelState, reason: string | null): void {
    const changed = this.state !== state || this.reason !== reason;
    this.state = state;
    this.reason = reason;
    if (changed) this.notifyState();
  }

  event(level: TunnelEvent['level'], message: string): void {
    this.events.push({ at: new Date().toISOString(), level, message });
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.options.hooks.activity();
  }

  snapshot(launcher: LauncherRuntime | null): TunnelRuntime {
    return {
      name: this.profile.name,
      state: this.state,
      reason: this.reason,
      forwards: this.slots.map((slot) => forwardRuntime(slot.forward, slot.server)),
      events: this.events.map((e) => ({ ...e })),
      launcher,
    };
  }

  private notifyState(): void {
    this.options.alerts?.update(this);
    this.options.hooks.stateChanged();
  }

  private finish(state: 'stopped' | 'failed', reason: string | null): void {
    this.stopped = true;
    this.setState(state, reason);
    this.options.hooks.ended(this);
  }

  private async teardown(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    this.drop?.();
    this.waiters.settle(new Error('The tunnel was stopped.'));
    this.options.alerts?.cancel();
    await this.closeListeners();
    this.connection?.release();
    this.connection = null;
  }

  private async closeListeners(): Promise<void> {
    await Promise.all(
      this.slots.map((slot) => (slot.server ? slot.server.close() : Promise.resolve())),
    );
  }

  private bind(forward: Forward): Promise<ForwardServer> {
    const common = {
      bindAddress: forward.bindAddress,
      bindPort: forward.bindPort,
      dial: (host: string, port: number) => this.dial(host, port),
      onActivity: () => this.options.hooks.activity(),
      onConnectionError: (message: string) => this.event('warning', message),
    };
    return forward.kind === 'dynamic'
      ? startSocks5Server(common)
      : startLocalForwardServer({
          ...common,
          targetHost: forward.targetHost,
          targetPort: forward.targetPort,
        });
  }

  /**
   * Opens host:port on the via host. A channel open that fails because the connection died is
   * retried once on the next connection, so a client caught by a drop still gets through.
   */
  private async dial(host: string, port: number): Promise<Duplex> {
    for (let attempt = 0; ; attempt++) {
      const connection = await this.waitForConnection();
      try {
        return await connection.forwardOut(host, port);
      } catch (error) {
        if (codeOf(error) !== 'connection-lost') throw error;
        if (this.connection === connection) {
          // Forget it now: the loop hears of the close a few ticks later.
          this.connection = null;
          this.drop?.();
        }
        if (attempt >= 1 || this.stopped) throw error;
      }
    }
  }

  private waitForConnection(): Promise<ViaConnection> {
    if (this.connection) return Promise.resolve(this.connection);
    if (this.stopped) return Promise.reject(new Error('The tunnel is stopping.'));
    if (this.state === 'waiting-for-sign-in') {
      return Promise.reject(
        Object.assign(new Error(`The tunnel is waiting for sign-in: ${this.reason ?? ''}`), {
          code: 'signed-out',
        }),
      );
    }
    const waitMs = this.options.timing.connectionWaitMs;
    return this.waiters.wait(waitMs, () =>
      Object.assign(
        new Error(
          `No SSH connection to ${this.target} within ${String(Math.round(waitMs / 1000))} s: timed out while reconnecting${this.reason ? ` (${this.reason})` : ''}.`,
        ),
        { code: 'ETIMEDOUT' },
      ),
    );
  }
}
