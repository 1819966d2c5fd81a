/**
 * Reports the tunnels' snapshots to listeners: at once on state changes, at most once per
 * throttle interval when only counters or the event log moved (a busy forward would otherwise
 * flood the UI).
 */
import type { TunnelRuntime } from '../../../shared/model/tunnel';

/** Calls every listener with `value`; one that throws must not break the tunnels. */
export function broadcast<T>(listeners: Iterable<(value: T) => void>, value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch {
      // A broken listener must not break the tunnels.
    }
  }
}

export class ChangeFeed {
  private readonly listeners = new Set<(tunnels: TunnelRuntime[]) => void>();
  private lastEmit = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly throttleMs: number,
    private readonly snapshot: () => TunnelRuntime[],
  ) {}

  subscribe(listener: (tunnels: TunnelRuntime[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Counters moved: report at most once per throttle interval. */
  throttled(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastEmit + this.throttleMs - Date.now();
    if (wait <= 0) {
      this.now();
      return;
    }
    this.timer = setTimeout(() => this.now(), wait);
    this.timer.unref();
  }

  /** Reports now, taking the place of a pending throttled report. */
  now(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastEmit = Date.now();
    if (this.listeners.size === 0) return;
    broadcast(this.listeners, this.snapshot());
  }

  /** Drops a pending throttled report (the manager is shutting down). */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    // Forgotten too: a cleared timer left in place would suppress every later counter report.
    this.timer = undefined;
  }
}
