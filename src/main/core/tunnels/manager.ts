/**
 * The tunnel manager: starts and stops tunnel profiles, keeps their listeners bound across SSH
 * connection drops (clients wait, bounded, while it reconnects with backoff), pauses for sign-in
 * when the certificate expires, and reports runtime snapshots.
 *
 * Each running profile is a TunnelRun (tunnelRun.ts, driven by connectLoop.ts); this class keeps
 * them by name, remembers how ended ones finished, and starts launchers (launchedPrograms.ts).
 * The SSH side comes from an injected TunnelConnector (the core's connection pool).
 */
import { ContractError } from '../../../shared/contract/errors';
import type { TunnelProfile } from '../../../shared/model/settings';
import type { TunnelRuntime } from '../../../shared/model/tunnel';
import { AutostartAlerts, type TunnelAlert } from './alerts';
import { broadcast, ChangeFeed } from './changeFeed';
import { errorMessage } from './forwarding/common';
import { LaunchedPrograms } from './launchedPrograms';
import { endedSnapshot, failedSnapshot, finalSnapshot, stoppedSnapshot } from './snapshot';
import { DEFAULT_TIMING, type TunnelTiming } from './timing';
import { TunnelRun } from './tunnelRun';
import { parseVia } from './validation';
import type { TunnelConnector } from './viaConnection';

export { isTransient, needsSignIn } from './errorKinds';
export type { TunnelAlert } from './alerts';
export type { TunnelTiming } from './timing';

export interface TunnelManagerOptions {
  connector: TunnelConnector;
  /** The stored profiles (settings), read on each call. */
  profiles: () => readonly TunnelProfile[];
  /** Where launchers' proxychains configurations are written (in the data directory). */
  confDir: string;
  timing?: Partial<TunnelTiming>;
}

/** The via host as login@host:port, for messages; throws ViaSyntaxError when it does not parse. */
function viaTarget(via: string): string {
  const { login, host, port } = parseVia(via);
  return `${login !== undefined ? `${login}@` : ''}${host}${port !== undefined ? `:${String(port)}` : ''}`;
}

export class TunnelManager {
  private readonly timing: TunnelTiming;
  private readonly runs = new Map<string, TunnelRun>();
  /** Last snapshot of profiles that are no longer running (failed reason, events). */
  private readonly finals = new Map<string, TunnelRuntime>();
  private readonly launched: LaunchedPrograms;
  private readonly feed: ChangeFeed;
  private readonly alertListeners = new Set<(alert: TunnelAlert) => void>();
  /** whenListening() checks, run on every state change. */
  private readonly stateWatchers = new Set<() => void>();

  constructor(private readonly options: TunnelManagerOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.feed = new ChangeFeed(this.timing.throttleMs, () => this.status());
    this.launched = new LaunchedPrograms(options.confDir, () => this.feed.now());
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
    return this.feed.subscribe(listener);
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
    const profile = this.requireProfile(name);
    if (this.runs.has(name)) return this.get(name);
    let target: string;
    try {
      target = viaTarget(profile.via);
    } catch (error) {
      this.finals.set(
        name,
        failedSnapshot(profile, errorMessage(error), this.launched.runtime(name)),
      );
      this.feed.now();
      return this.get(name);
    }
    const run = new TunnelRun(profile, target, {
      connector: this.options.connector,
      timing: this.timing,
      alerts: options.autostarted
        ? new AutostartAlerts(name, this.timing.alertDelayMs, (alert) =>
            broadcast(this.alertListeners, alert),
          )
        : null,
      hooks: {
        stateChanged: () => this.stateChanged(),
        activity: () => this.feed.throttled(),
        ended: (ended) => this.ended(ended),
      },
    });
    this.runs.set(name, run);
    this.finals.delete(name);
    await run.start();
    return this.get(name);
  }

  /** Closes the listeners and every connection of the profile (bounded). */
  async stop(name: string): Promise<TunnelRuntime> {
    await this.runs.get(name)?.stop();
    return this.get(name);
  }

  /** Stops every tunnel (bounded); launched programs keep running. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((name) => this.stop(name)));
    this.feed.cancel();
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
    const profile = this.requireProfile(name);
    LaunchedPrograms.check(profile);
    if (!this.runs.has(name)) await this.start(name);
    this.launched.launch(profile, () => this.whenListening(name, this.timing.launcherWaitMs));
    this.feed.now();
    return this.get(name);
  }

  /** Stops the program a launcher started (by PID). */
  async stopLauncher(name: string): Promise<void> {
    await this.launched.stop(name);
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

  private requireProfile(name: string): TunnelProfile {
    const profile = this.findProfile(name);
    if (!profile) {
      throw new ContractError({
        code: 'not-found',
        message: `There is no tunnel named "${name}".`,
      });
    }
    return profile;
  }

  private stateChanged(): void {
    this.feed.now();
    for (const watcher of [...this.stateWatchers]) watcher();
  }

  /** Moves a run out of the active set, keeping its last snapshot for status(). */
  private ended(run: TunnelRun): void {
    const name = run.profile.name;
    const snapshot = run.snapshot(this.launched.runtime(name));
    if (this.runs.get(name) === run) this.runs.delete(name);
    this.finals.set(name, endedSnapshot(snapshot));
    this.stateChanged();
  }

  private snapshotOf(name: string, profile?: TunnelProfile): TunnelRuntime {
    const run = this.runs.get(name);
    if (run) return run.snapshot(this.launched.runtime(name));
    const final = this.finals.get(name);
    if (final) return finalSnapshot(final, profile, this.launched.runtime(name));
    return stoppedSnapshot(name, profile, this.launched.runtime(name));
  }
}
