/**
 * The tunnel manager: starts and stops tunnel profiles, keeps their listeners bound across SSH
 * connection drops (clients wait, bounded, while it reconnects with backoff), pauses for sign-in
 * when the certificate expires, and reports runtime snapshots.
 *
 * A profile's listeners are all bound before anything else, or none are (no half-started
 * profile). The SSH side comes from an injected TunnelConnector (the core's connection pool).
 */
import type { Duplex } from 'node:stream';
import { ContractError } from '../../../shared/contract/errors';
import type { Forward, TunnelProfile } from '../../../shared/model/settings';
import type {
  ForwardRuntime,
  LauncherRuntime,
  TunnelEvent,
  TunnelRuntime,
  TunnelState,
} from '../../../shared/model/tunnel';
import { errorMessage, newCounters, type ForwardServer } from './forwarding/common';
import { startLocalForwardServer } from './forwarding/localForwardServer';
import { startSocks5Server } from './forwarding/socks5Server';
import { runLauncher, type LauncherHandle } from './launcher';
import { forwardLabel, parseVia } from './validation';
import type { TunnelConnector, ViaConnection } from './viaConnection';

export interface TunnelTiming {
  /** How long a new client connection waits for the SSH connection (default 15 s). */
  connectionWaitMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** Counter-only changes are reported at most this often. */
  throttleMs: number;
  /** A connection that lived shorter than this does not reset the backoff. */
  stableMs: number;
  /** An autostarted tunnel reconnecting for this long raises a "failed" alert. */
  alertDelayMs: number;
  /** How long a launcher waits for the tunnel to listen. */
  launcherWaitMs: number;
}

const DEFAULT_TIMING: TunnelTiming = {
  connectionWaitMs: 15_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 30_000,
  throttleMs: 1_000,
  stableMs: 10_000,
  alertDelayMs: 10_000,
  launcherWaitMs: 60_000,
};
const MAX_EVENTS = 50;
const STOP_WAIT_MS = 3_000;

export interface TunnelAlert {
  name: string;
  kind: 'failed' | 'recovered';
  message: string;
}

export interface TunnelManagerOptions {
  connector: TunnelConnector;
  /** The stored profiles (settings), read on each call. */
  profiles: () => readonly TunnelProfile[];
  /** Where launchers' proxychains configurations are written (in the data directory). */
  confDir: string;
  timing?: Partial<TunnelTiming>;
}

const SIGN_IN_CODES = new Set([
  'certificate-expired',
  'certificate-not-yet-valid',
  'bad-credentials',
  'not-signed-in',
  'signed-out',
]);
const TRANSIENT_CODES = new Set([
  'unreachable',
  'handshake-timeout',
  'connection-lost',
  'ssh-failed',
]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Errors that a new sign-in fixes: an expired or unusable certificate, or none at all (the
 * connector may reject with any Error whose code is 'signed-out').
 */
export function needsSignIn(error: unknown): boolean {
  return SIGN_IN_CODES.has(codeOf(error) ?? '');
}

/** Errors worth retrying with backoff (network, server restarts); others fail the tunnel. */
export function isTransient(error: unknown): boolean {
  return TRANSIENT_CODES.has(codeOf(error) ?? '');
}

interface Waiter {
  resolve(connection: ViaConnection): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Slot {
  forward: Forward;
  server: ForwardServer | null;
}

class Run {
  state: TunnelState = 'starting';
  reason: string | null = null;
  readonly slots: Slot[];
  readonly events: TunnelEvent[] = [];
  connection: ViaConnection | null = null;
  readonly abort = new AbortController();
  stopped = false;
  readonly waiters = new Set<Waiter>();
  /** Interrupts a backoff or sign-in pause. */
  wake: (() => void) | null = null;
  /** Resolves the current connection's watch when a dial found it dead. */
  drop: (() => void) | null = null;
  alerted = false;
  alertTimer: NodeJS.Timeout | undefined;
  loop: Promise<void> = Promise.resolve();
  constructor(
    readonly profile: TunnelProfile,
    readonly autostarted: boolean,
    readonly target: string,
  ) {
    this.slots = profile.forwards.map((forward) => ({ forward, server: null }));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export class TunnelManager {
  private readonly timing: TunnelTiming;
  private readonly runs = new Map<string, Run>();
  /** Last snapshot of profiles that are no longer running (failed reason, events). */
  private readonly finals = new Map<string, TunnelRuntime>();
  private readonly launchers = new Map<string, LauncherHandle>();
  private readonly changeListeners = new Set<(tunnels: TunnelRuntime[]) => void>();
  private readonly alertListeners = new Set<(alert: TunnelAlert) => void>();
  private readonly stateWatchers = new Set<() => void>();
  private lastEmit = 0;
  private emitTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: TunnelManagerOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
  }

  // ---- queries -------------------------------------------------------------------------------

  /** Every stored profile (stopped ones too), plus running ones that were removed since. */
  status(): TunnelRuntime[] {
    const profiles = this.options.profiles();
    const names = new Set(profiles.map((p) => p.name));
    return [
      ...profiles.map((p) => this.snapshotOf(p.name, p)),
      ...[...this.runs.keys()].filter((n) => !names.has(n)).map((n) => this.snapshotOf(n)),
    ];
  }

  get(name: string): TunnelRuntime {
    return this.snapshotOf(name, this.findProfile(name));
  }

  onChange(listener: (tunnels: TunnelRuntime[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** An autostarted tunnel failed (or kept reconnecting) or recovered. */
  onAlert(listener: (alert: TunnelAlert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  // ---- commands ------------------------------------------------------------------------------

  /**
   * Binds every listener of the profile (or none), then connects in the background. Resolves
   * with the snapshot; a failure to bind shows as state 'failed' with the reason. Throws a
   * ContractError only for an unknown profile.
   */
  async start(name: string, options: { autostarted?: boolean } = {}): Promise<TunnelRuntime> {
    const profile = this.findProfile(name);
    if (!profile) {
      throw new ContractError({
        code: 'not-found',
        message: `There is no tunnel named "${name}".`,
      });
    }
    if (this.runs.has(name)) return this.get(name);
    let target: string;
    try {
      const via = parseVia(profile.via);
      target = `${via.login !== undefined ? `${via.login}@` : ''}${via.host}${via.port !== undefined ? `:${String(via.port)}` : ''}`;
    } catch (error) {
      this.finals.set(name, this.failedSnapshot(profile, errorMessage(error)));
      this.emit();
      return this.get(name);
    }
    const run = new Run(profile, options.autostarted ?? false, target);
    this.runs.set(name, run);
    this.finals.delete(name);
    this.notifyState(run);

    for (const slot of run.slots) {
      try {
        slot.server = await this.bind(run, slot.forward);
      } catch (error) {
        const reason = errorMessage(error);
        await Promise.all(run.slots.map((s) => closeSlot(s)));
        for (const s of run.slots) s.server = null;
        this.event(run, 'error', reason);
        this.finish(run, 'failed', reason);
        return this.get(name);
      }
      if (run.stopped) break;
    }
    if (run.stopped) {
      // stop() ran while binding: it may have missed servers bound since.
      await Promise.all(run.slots.map((s) => closeSlot(s)));
      return this.get(name);
    }
    for (const slot of run.slots) {
      this.event(run, 'info', `Listening on ${forwardLabel(slot.forward)}.`);
    }
    run.loop = this.connectLoop(run).catch((error: unknown) => {
      // A bug in the loop must not leave a tunnel that claims to work.
      void this.failRun(run, `Internal error: ${errorMessage(error)}`);
    });
    return this.get(name);
  }

  /** Closes the listeners and every connection of the profile (bounded). */
  async stop(name: string): Promise<TunnelRuntime> {
    const run = this.runs.get(name);
    if (!run) return this.get(name);
    await this.teardown(run);
    this.event(run, 'info', 'Stopped.');
    this.finish(run, 'stopped', null);
    await Promise.race([run.loop, sleep(STOP_WAIT_MS)]);
    return this.get(name);
  }

  /** Stops every tunnel (bounded); launched programs keep running. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((name) => this.stop(name)));
    if (this.emitTimer !== undefined) clearTimeout(this.emitTimer);
  }

  /** Starts the autostart profiles of `site` that are not running (after each sign-in). */
  async startAutostart(site: string): Promise<TunnelRuntime[]> {
    const profiles = this.options.profiles().filter((p) => p.autostart && p.site === site);
    const started: TunnelRuntime[] = [];
    for (const profile of profiles) {
      if (profile.via.trim() === '') continue;
      started.push(await this.start(profile.name, { autostarted: true }));
    }
    return started;
  }

  /** The user signed in to `site`: tunnels waiting for it (or retrying) connect at once. */
  onSignedIn(site: string): void {
    for (const run of this.runs.values()) {
      if (run.profile.site !== undefined && run.profile.site !== site) continue;
      if (run.state === 'waiting-for-sign-in' || run.state === 'reconnecting') run.wake?.();
    }
  }

  /**
   * OS resume or network change: tunnels waiting to retry do so now. Live connections are left
   * to the pool's keepalive; a dial that finds one dead reconnects at once.
   */
  reconnectNow(): void {
    for (const run of this.runs.values()) {
      if (run.state !== 'listening') run.wake?.();
    }
  }

  /** Starts the profile's launcher; starts the tunnel first if needed. */
  async launch(name: string): Promise<TunnelRuntime> {
    const profile = this.findProfile(name);
    if (!profile) {
      throw new ContractError({
        code: 'not-found',
        message: `There is no tunnel named "${name}".`,
      });
    }
    const launcher = profile.launcher;
    if (!launcher) {
      throw new ContractError({
        code: 'invalid-request',
        message: `The tunnel "${name}" has no launcher; add one in the tunnel's settings.`,
      });
    }
    if (!launcher.enabled) {
      throw new ContractError({
        code: 'conflict',
        message: `The launcher of "${name}" is off until you confirm that ${launcher.command} is installed; turn it on in the tunnel's settings.`,
      });
    }
    if (!this.runs.has(name)) await this.start(name);
    const handle = runLauncher({
      profile,
      confDir: this.options.confDir,
      ready: () => this.whenListening(name, this.timing.launcherWaitMs),
      onChange: () => this.emit(),
    });
    this.launchers.set(name, handle);
    this.emit();
    return this.get(name);
  }

  /** Stops the program a launcher started (by PID). */
  async stopLauncher(name: string): Promise<void> {
    await this.launchers.get(name)?.stop();
  }

  /** Resolves once the tunnel is listening (connected); rejects if it stops, fails or times out. */
  whenListening(name: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const run = this.runs.get(name);
        if (run?.state === 'listening') return done();
        if (!run || run.stopped) {
          const final = this.finals.get(name);
          return done(new Error(final?.reason ?? `The tunnel "${name}" is not running.`));
        }
      };
      const timer = setTimeout(() => {
        const run = this.runs.get(name);
        done(
          new Error(
            `The tunnel "${name}" did not connect within ${String(Math.round(timeoutMs / 1000))} s${run?.reason ? ` (${run.reason})` : ''}.`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.stateWatchers.delete(check);
        if (error) reject(error);
        else resolve();
      };
      this.stateWatchers.add(check);
      check();
    });
  }

  // ---- internals -----------------------------------------------------------------------------

  private findProfile(name: string): TunnelProfile | undefined {
    return this.options.profiles().find((p) => p.name === name) ?? this.runs.get(name)?.profile;
  }

  private bind(run: Run, forward: Forward): Promise<ForwardServer> {
    const common = {
      bindAddress: forward.bindAddress,
      bindPort: forward.bindPort,
      dial: (host: string, port: number) => this.dial(run, host, port),
      onActivity: () => this.notifyCounters(),
      onConnectionError: (message: string) => this.event(run, 'warning', message),
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
  private async dial(run: Run, host: string, port: number): Promise<Duplex> {
    for (let attempt = 0; ; attempt++) {
      const connection = await this.waitForConnection(run);
      try {
        return await connection.forwardOut(host, port);
      } catch (error) {
        if (codeOf(error) !== 'connection-lost') throw error;
        if (run.connection === connection) {
          // Forget it now: the loop hears of the close a few ticks later.
          run.connection = null;
          run.drop?.();
        }
        if (attempt >= 1 || run.stopped) throw error;
      }
    }
  }

  private waitForConnection(run: Run): Promise<ViaConnection> {
    if (run.connection) return Promise.resolve(run.connection);
    if (run.stopped) return Promise.reject(new Error('The tunnel is stopping.'));
    if (run.state === 'waiting-for-sign-in') {
      return Promise.reject(
        Object.assign(new Error(`The tunnel is waiting for sign-in: ${run.reason ?? ''}`), {
          code: 'signed-out',
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          run.waiters.delete(waiter);
          reject(
            Object.assign(
              new Error(
                `No SSH connection to ${run.target} within ${String(Math.round(this.timing.connectionWaitMs / 1000))} s: timed out while reconnecting${run.reason ? ` (${run.reason})` : ''}.`,
              ),
              { code: 'ETIMEDOUT' },
            ),
          );
        }, this.timing.connectionWaitMs),
      };
      waiter.timer.unref();
      run.waiters.add(waiter);
    });
  }

  private settleWaiters(run: Run, outcome: ViaConnection | Error): void {
    for (const waiter of run.waiters) {
      clearTimeout(waiter.timer);
      if (outcome instanceof Error) waiter.reject(outcome);
      else waiter.resolve(outcome);
    }
    run.waiters.clear();
  }

  /** Waits `ms` (Infinity: until woken) unless woken by reconnectNow, onSignedIn or stop. */
  private pause(run: Run, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => wake(), ms) : undefined;
      timer?.unref();
      const wake = () => {
        if (timer !== undefined) clearTimeout(timer);
        run.wake = null;
        resolve();
      };
      run.wake = wake;
      if (run.stopped) wake();
    });
  }

  /** Connects, holds the connection until it drops, reconnects with backoff; ends on stop. */
  private async connectLoop(run: Run): Promise<void> {
    let backoff = this.timing.backoffInitialMs;
    const grow = () => (backoff = Math.min(backoff * 2, this.timing.backoffMaxMs));
    // Each pass either holds a connection or pauses ≥ backoff (or for sign-in): never a busy loop.
    while (!run.stopped) {
      let connection: ViaConnection;
      try {
        connection = await this.options.connector.connect(run.profile, run.abort.signal);
      } catch (error) {
        if (run.stopped) return;
        const message = errorMessage(error);
        if (needsSignIn(error)) {
          this.event(run, 'warning', message);
          this.setState(run, 'waiting-for-sign-in', message);
          this.settleWaiters(run, Object.assign(new Error(message), { code: 'signed-out' }));
          await this.pause(run, Infinity);
          backoff = this.timing.backoffInitialMs;
          continue;
        }
        if (!isTransient(error)) {
          this.event(run, 'error', message);
          await this.failRun(run, message);
          return;
        }
        const seconds = Math.round(backoff / 1000);
        this.event(run, 'warning', message);
        this.setState(run, 'reconnecting', `${message} Retrying in ${String(seconds)} s.`);
        await this.pause(run, backoff);
        grow();
        continue;
      }
      if (run.stopped) {
        connection.release();
        return;
      }
      const since = Date.now();
      run.connection = connection;
      this.event(run, 'info', `Connected to ${run.target}.`);
      this.setState(run, 'listening', null);
      this.settleWaiters(run, connection);

      const dropped = new Promise<unknown>((resolve) => (run.drop = () => resolve(undefined)));
      const reason = await Promise.race([connection.closed.catch((e: unknown) => e), dropped]);
      run.drop = null;
      run.connection = null;
      connection.release();
      if (run.stopped) return;
      const why = reason instanceof Error ? reason.message : 'the connection closed';
      this.event(run, 'warning', `Lost the connection to ${run.target}: ${why}`);
      this.setState(run, 'reconnecting', `Lost the connection to ${run.target}; reconnecting.`);
      if (Date.now() - since < this.timing.stableMs) {
        await this.pause(run, backoff);
        grow();
      } else {
        backoff = this.timing.backoffInitialMs;
      }
    }
  }

  private async teardown(run: Run): Promise<void> {
    run.stopped = true;
    run.abort.abort();
    run.wake?.();
    run.drop?.();
    this.settleWaiters(run, new Error('The tunnel was stopped.'));
    if (run.alertTimer !== undefined) clearTimeout(run.alertTimer);
    await Promise.all(run.slots.map((slot) => closeSlot(slot)));
    run.connection?.release();
    run.connection = null;
  }

  private async failRun(run: Run, reason: string): Promise<void> {
    if (run.stopped) return;
    await this.teardown(run);
    this.finish(run, 'failed', reason);
  }

  /** Moves a run out of the active set, keeping its last snapshot for status(). */
  private finish(run: Run, state: 'stopped' | 'failed', reason: string | null): void {
    run.stopped = true;
    this.setState(run, state, reason);
    const snapshot = this.runSnapshot(run);
    if (this.runs.get(run.profile.name) === run) this.runs.delete(run.profile.name);
    this.finals.set(run.profile.name, {
      ...snapshot,
      forwards: snapshot.forwards.map((f) => ({ ...f, listening: false, activeConnections: 0 })),
    });
    this.emit();
    for (const watcher of [...this.stateWatchers]) watcher();
  }

  private setState(run: Run, state: TunnelState, reason: string | null): void {
    const changed = run.state !== state || run.reason !== reason;
    run.state = state;
    run.reason = reason;
    if (changed) this.notifyState(run);
  }

  private notifyState(run: Run): void {
    this.updateAlerts(run);
    this.emit();
    for (const watcher of [...this.stateWatchers]) watcher();
  }

  private updateAlerts(run: Run): void {
    if (!run.autostarted) return;
    const name = run.profile.name;
    if (run.state === 'listening') {
      if (run.alertTimer !== undefined) clearTimeout(run.alertTimer);
      run.alertTimer = undefined;
      if (run.alerted) {
        run.alerted = false;
        this.alert({
          name,
          kind: 'recovered',
          message: `The tunnel "${name}" is connected again.`,
        });
      }
      return;
    }
    if (run.alerted) return;
    const raise = () => {
      run.alerted = true;
      this.alert({
        name,
        kind: 'failed',
        message: `The tunnel "${name}": ${run.reason ?? run.state}`,
      });
    };
    if (run.state === 'failed' || run.state === 'waiting-for-sign-in') {
      if (run.alertTimer !== undefined) clearTimeout(run.alertTimer);
      run.alertTimer = undefined;
      raise();
    } else if (run.state === 'reconnecting' && run.alertTimer === undefined) {
      run.alertTimer = setTimeout(() => {
        run.alertTimer = undefined;
        if (!run.stopped && run.state !== 'listening') raise();
      }, this.timing.alertDelayMs);
      run.alertTimer.unref();
    }
  }

  private alert(alert: TunnelAlert): void {
    for (const listener of this.alertListeners) {
      try {
        listener(alert);
      } catch {
        // A broken listener must not break the tunnel.
      }
    }
  }

  private event(run: Run, level: TunnelEvent['level'], message: string): void {
    run.events.push({ at: new Date().toISOString(), level, message });
    if (run.events.length > MAX_EVENTS) run.events.splice(0, run.events.length - MAX_EVENTS);
    this.notifyCounters();
  }

  /** Counters moved: report at most once per throttle interval. */
  private notifyCounters(): void {
    if (this.emitTimer !== undefined) return;
    const wait = this.lastEmit + this.timing.throttleMs - Date.now();
    if (wait <= 0) {
      this.emit();
      return;
    }
    this.emitTimer = setTimeout(() => this.emit(), wait);
    this.emitTimer.unref();
  }

  private emit(): void {
    if (this.emitTimer !== undefined) clearTimeout(this.emitTimer);
    this.emitTimer = undefined;
    this.lastEmit = Date.now();
    if (this.changeListeners.size === 0) return;
    const tunnels = this.status();
    for (const listener of this.changeListeners) {
      try {
        listener(tunnels);
      } catch {
        // A broken listener must not break the tunnels.
      }
    }
  }

  private launcherRuntime(name: string): LauncherRuntime | null {
    return this.launchers.get(name)?.runtime() ?? null;
  }

  private snapshotOf(name: string, profile?: TunnelProfile): TunnelRuntime {
    const run = this.runs.get(name);
    if (run) return this.runSnapshot(run);
    const final = this.finals.get(name);
    if (final) {
      // The profile may have been edited since: show its forwards as they are now.
      const forwards = profile
        ? profile.forwards.map((f) => forwardRuntime(f, null))
        : final.forwards;
      return { ...final, forwards, launcher: this.launcherRuntime(name) };
    }
    return {
      name,
      state: 'stopped',
      reason: null,
      forwards: (profile?.forwards ?? []).map((f) => forwardRuntime(f, null)),
      events: [],
      launcher: this.launcherRuntime(name),
    };
  }

  private runSnapshot(run: Run): TunnelRuntime {
    return {
      name: run.profile.name,
      state: run.state,
      reason: run.reason,
      forwards: run.slots.map((slot) => forwardRuntime(slot.forward, slot.server)),
      events: run.events.map((e) => ({ ...e })),
      launcher: this.launcherRuntime(run.profile.name),
    };
  }

  private failedSnapshot(profile: TunnelProfile, reason: string): TunnelRuntime {
    return {
      name: profile.name,
      state: 'failed',
      reason,
      forwards: profile.forwards.map((f) => forwardRuntime(f, null)),
      events: [{ at: new Date().toISOString(), level: 'error', message: reason }],
      launcher: this.launcherRuntime(profile.name),
    };
  }
}

function closeSlot(slot: Slot): Promise<void> {
  return slot.server ? slot.server.close() : Promise.resolve();
}

function forwardRuntime(forward: Forward, server: ForwardServer | null): ForwardRuntime {
  const counters = server?.counters() ?? newCounters();
  return {
    kind: forward.kind,
    label: forwardLabel(forward),
    bindAddress: forward.bindAddress,
    bindPort: server?.port ?? forward.bindPort,
    listening: server?.listening() ?? false,
    ...counters,
  };
}
