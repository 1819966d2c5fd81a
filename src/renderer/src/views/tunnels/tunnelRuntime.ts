/**
 * Tunnel states and counters mirrored from the core: one `tunnels.status` call (again after a
 * reconnect or a settings change, which may add or remove profiles), then the `tunnels.status`
 * events. One store per client, kept for the app's lifetime so closing the Tunnels tab loses
 * nothing.
 */
import { useSyncExternalStore } from 'react';
import type { OneHopClient } from '../../../../shared/contract/client';
import type { TunnelRuntime } from '../../../../shared/model/tunnel';
import { useStore } from '../../state/context';
import { messageOf, type AppStore } from '../../state/store';

export interface TunnelRuntimeState {
  loaded: boolean;
  tunnels: Record<string, TunnelRuntime>;
  loadError: string | null;
}

export class TunnelRuntimeStore {
  private state: TunnelRuntimeState = { loaded: false, tunnels: {}, loadError: null };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: OneHopClient,
    private readonly app: Pick<AppStore, 'getSnapshot' | 'subscribe'>,
  ) {}

  getSnapshot = (): TunnelRuntimeState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): () => void {
    let wasDown = this.app.getSnapshot().connection.status !== 'connected';
    const offs = [
      this.client.on('tunnels.status', ({ tunnels }) => this.replace(tunnels)),
      this.client.on('settings.changed', () => void this.load()),
      this.app.subscribe(() => {
        const down = this.app.getSnapshot().connection.status !== 'connected';
        if (wasDown && !down) void this.load();
        wasDown = down;
      }),
    ];
    void this.load();
    return () => offs.forEach((off) => off());
  }

  async load(): Promise<void> {
    try {
      const { tunnels } = await this.client.call('tunnels.status', {});
      this.replace(tunnels);
    } catch (error) {
      this.patch({ loaded: true, loadError: messageOf(error) });
    }
  }

  /** A command's answer for one tunnel, ahead of the next event. */
  merge(tunnel: TunnelRuntime): void {
    this.patch({ tunnels: { ...this.state.tunnels, [tunnel.name]: tunnel } });
  }

  private replace(list: TunnelRuntime[]): void {
    this.patch({
      loaded: true,
      loadError: null,
      tunnels: Object.fromEntries(list.map((t) => [t.name, t])),
    });
  }

  private patch(partial: Partial<TunnelRuntimeState>): void {
    this.state = { ...this.state, ...partial };
    for (const listener of this.listeners) listener();
  }
}

const stores = new WeakMap<AppStore, TunnelRuntimeStore>();

export function useTunnelRuntimeStore(): TunnelRuntimeStore {
  const app = useStore();
  let store = stores.get(app);
  if (!store) {
    store = new TunnelRuntimeStore(app.client, app);
    stores.set(app, store);
    store.start();
  }
  return store;
}

export function useTunnelRuntimes(): TunnelRuntimeState {
  const store = useTunnelRuntimeStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** What a profile shows before the core has answered (or for one it does not know yet). */
export function stoppedRuntime(name: string): TunnelRuntime {
  return { name, state: 'stopped', reason: null, forwards: [], events: [], launcher: null };
}
