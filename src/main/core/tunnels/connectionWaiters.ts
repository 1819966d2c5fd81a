/**
 * Client connections that arrived while the tunnel had no SSH connection: each waits, bounded,
 * for the next connection (or the reason there will be none) instead of being refused at once.
 */
import type { ViaConnection } from './viaConnection';

interface Waiter {
  resolve(connection: ViaConnection): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class ConnectionWaiters {
  private readonly waiters = new Set<Waiter>();

  /** Waits up to `timeoutMs`; then rejects with `timedOut()` (built then: it says why). */
  wait(timeoutMs: number, timedOut: () => Error): Promise<ViaConnection> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(timedOut());
        }, timeoutMs),
      };
      waiter.timer.unref();
      this.waiters.add(waiter);
    });
  }

  /** Hands every waiter the new connection, or the reason there is none. */
  settle(outcome: ViaConnection | Error): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      if (outcome instanceof Error) waiter.reject(outcome);
      else waiter.resolve(outcome);
    }
    this.waiters.clear();
  }
}
