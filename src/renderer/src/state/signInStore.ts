/**
 * Certificate status of every site, mirrored from the core: one `signin.status` call at start
 * (and after a reconnect), then the `signin.status` events. It also remembers the last error of
 * each `signin.start`, which the core reports to the caller only.
 */
import type { CommandResponse } from '../../../shared/contract/commands';
import type { OneHopClient } from '../../../shared/contract/client';
import { ContractError } from '../../../shared/contract/errors';
import type { SiteStatus } from '../../../shared/model/certificate';
import type { ConnectionMonitor } from '../api';
import { messageOf } from './store';

export type VaultInfo = CommandResponse<'signin.status'>['vault'];

export interface SignInState {
  loaded: boolean;
  sites: Record<string, SiteStatus>;
  vault: VaultInfo | null;
  /** The last failed `signin.start` or sign-out per site; cleared when the next one starts. */
  errors: Record<string, string>;
  /** Warnings from the last successful sign-in (clock skew, no browser opened…). */
  warnings: Record<string, string[]>;
  loadError: string | null;
}

export class SignInStore {
  private state: SignInState = {
    loaded: false,
    sites: {},
    vault: null,
    errors: {},
    warnings: {},
    loadError: null,
  };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: OneHopClient,
    private readonly connection: ConnectionMonitor,
  ) {}

  getSnapshot = (): SignInState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): () => void {
    let wasDown = this.connection.get().status !== 'connected';
    const offs = [
      this.client.on('signin.status', ({ sites }) => this.setSites(sites)),
      this.connection.subscribe((connection) => {
        if (wasDown && connection.status === 'connected') void this.load();
        wasDown = connection.status !== 'connected';
      }),
    ];
    void this.load();
    return () => offs.forEach((off) => off());
  }

  async load(): Promise<void> {
    try {
      const { sites, vault } = await this.client.call('signin.status', {});
      this.setSites(sites);
      this.patch({ vault, loadError: null });
    } catch (error) {
      this.patch({ loaded: true, loadError: messageOf(error) });
    }
  }

  /** Starts a sign-in (or a renewal) and records how it ended; never throws. */
  async signIn(site: string): Promise<'done' | 'cancelled' | 'failed'> {
    this.setError(site, null);
    try {
      const { status, warnings } = await this.client.call('signin.start', { site });
      this.setSites([status]);
      this.patch({ warnings: { ...this.state.warnings, [site]: warnings } });
      return 'done';
    } catch (error) {
      if (error instanceof ContractError && error.code === 'cancelled') return 'cancelled';
      this.setError(site, messageOf(error));
      return 'failed';
    }
  }

  async cancel(site: string): Promise<void> {
    try {
      await this.client.call('signin.cancel', { site });
    } catch (error) {
      this.setError(site, messageOf(error));
    }
  }

  async signOut(site: string): Promise<void> {
    this.setError(site, null);
    try {
      const { status } = await this.client.call('signin.signOut', { site });
      this.setSites([status]);
      this.patch({ warnings: { ...this.state.warnings, [site]: [] } });
    } catch (error) {
      this.setError(site, messageOf(error));
    }
  }

  /** Merges statuses by site: events carry every site, command results only one. */
  private setSites(sites: SiteStatus[]): void {
    const next = { ...this.state.sites };
    for (const status of sites) next[status.site] = status;
    this.patch({ loaded: true, sites: next });
  }

  private setError(site: string, message: string | null): void {
    const errors = { ...this.state.errors };
    if (message === null) delete errors[site];
    else errors[site] = message;
    this.patch({ errors });
  }

  private patch(partial: Partial<SignInState>): void {
    this.state = { ...this.state, ...partial };
    for (const listener of this.listeners) listener();
  }
}
