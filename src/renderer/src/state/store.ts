/**
 * The renderer's state: a mirror of the core's settings, kept in step by `settings.changed`,
 * plus notices, app info, presets, connection state and toasts. Views read it through
 * `useAppState` and change it only by calling commands on the client.
 */
import type { CommandResponse, Notice, PresetSummary } from '../../../shared/contract/commands';
import type { OneHopClient } from '../../../shared/contract/client';
import type { Settings } from '../../../shared/model/settings';
import type { ConnectionMonitor, ConnectionState } from '../api';

export type AppInfo = CommandResponse<'app.info'>;

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'success' | 'error';
}

export interface AppState {
  phase: 'loading' | 'ready' | 'failed';
  loadError: string | null;
  settings: Settings | null;
  notices: Notice[];
  info: AppInfo | null;
  presets: PresetSummary[];
  connection: ConnectionState;
  toasts: Toast[];
}

const TOAST_MS = 7000;

export class AppStore {
  private state: AppState;
  private readonly listeners = new Set<() => void>();
  private nextToastId = 1;

  constructor(
    readonly client: OneHopClient,
    private readonly connection: ConnectionMonitor,
  ) {
    this.state = {
      phase: 'loading',
      loadError: null,
      settings: null,
      notices: [],
      info: null,
      presets: [],
      connection: connection.get(),
      toasts: [],
    };
  }

  getSnapshot = (): AppState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Subscribes to the core and loads everything; returns the teardown. */
  start(): () => void {
    const offs = [
      this.client.on('settings.changed', ({ settings }) => this.patch({ settings })),
      this.client.on('notice', (notice) => {
        const others = this.state.notices.filter((n) => n.id !== notice.id);
        this.patch({ notices: [...others, notice] });
      }),
      this.connection.subscribe((connection) => {
        const wasDown = this.state.connection.status !== 'connected';
        this.patch({ connection });
        // Anything may have changed while we were away (the CLI, another window).
        if (wasDown && connection.status === 'connected' && this.state.phase !== 'loading') {
          void this.load();
        }
      }),
    ];
    void this.load();
    return () => offs.forEach((off) => off());
  }

  async load(): Promise<void> {
    try {
      const [{ settings, notices }, info, { presets }] = await Promise.all([
        this.client.call('settings.get', {}),
        this.client.call('app.info', {}),
        this.client.call('presets.list', {}),
      ]);
      this.patch({ phase: 'ready', loadError: null, settings, notices, info, presets });
    } catch (error) {
      if (this.state.phase === 'ready') return; // keep showing what we have; the banner explains
      this.patch({ phase: 'failed', loadError: messageOf(error) });
    }
  }

  async dismissNotice(id: string): Promise<void> {
    this.patch({ notices: this.state.notices.filter((n) => n.id !== id) });
    try {
      await this.client.call('notices.dismiss', { id });
    } catch (error) {
      this.toast(messageOf(error), 'error');
    }
  }

  toast(message: string, tone: Toast['tone'] = 'info'): void {
    const id = this.nextToastId++;
    // One message at a time reads better than a stack; the newest wins.
    this.patch({ toasts: [{ id, message, tone }] });
    setTimeout(() => this.dismissToast(id), TOAST_MS);
  }

  dismissToast(id: number): void {
    if (this.state.toasts.some((t) => t.id === id)) {
      this.patch({ toasts: this.state.toasts.filter((t) => t.id !== id) });
    }
  }

  private patch(partial: Partial<AppState>): void {
    this.state = { ...this.state, ...partial };
    for (const listener of this.listeners) listener();
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
