/**
 * A run's connect loop: connects, holds the connection until it drops, and reconnects with
 * exponential backoff; pauses for sign-in when the certificate is the problem; fails the run on
 * errors that retrying will not fix. Ends when the run stops.
 */
import { isTransient, needsSignIn } from './errorKinds';
import { errorMessage } from './forwarding/common';
import type { TunnelTiming } from './timing';
import type { TunnelRun } from './tunnelRun';
import type { TunnelConnector, ViaConnection } from './viaConnection';

export async function connectLoop(
  run: TunnelRun,
  { connector, timing }: { connector: TunnelConnector; timing: TunnelTiming },
): Promise<void> {
  let backoff = timing.backoffInitialMs;
  const grow = () => (backoff = Math.min(backoff * 2, timing.backoffMaxMs));
  // Each pass either holds a connection or pauses ≥ backoff (or for sign-in): never a busy loop.
  while (!run.stopped) {
    let connection: ViaConnection;
    try {
      connection = await connector.connect(run.profile, run.abort.signal);
    } catch (error) {
      if (run.stopped) return;
      const message = errorMessage(error);
      if (needsSignIn(error)) {
        run.event('warning', message);
        run.setState('waiting-for-sign-in', message);
        run.waiters.settle(Object.assign(new Error(message), { code: 'signed-out' }));
        await pause(run, Infinity);
        backoff = timing.backoffInitialMs;
        continue;
      }
      if (!isTransient(error)) {
        run.event('error', message);
        await run.fail(message);
        return;
      }
      const seconds = Math.round(backoff / 1000);
      run.event('warning', message);
      run.setState('reconnecting', `${message} Retrying in ${String(seconds)} s.`);
      await pause(run, backoff);
      grow();
      continue;
    }
    if (run.stopped) {
      connection.release();
      return;
    }
    const since = Date.now();
    run.connection = connection;
    run.event('info', `Connected to ${run.target}.`);
    run.setState('listening', null);
    run.waiters.settle(connection);

    const dropped = new Promise<unknown>((resolve) => (run.drop = () => resolve(undefined)));
    const reason = await Promise.race([connection.closed.catch((e: unknown) => e), dropped]);
    run.drop = null;
    run.connection = null;
    connection.release();
    if (run.stopped) return;
    const why = reason instanceof Error ? reason.message : 'the connection closed';
    run.event('warning', `Lost the connection to ${run.target}: ${why}`);
    run.setState('reconnecting', `Lost the connection to ${run.target}; reconnecting.`);
    if (Date.now() - since < timing.stableMs) {
      await pause(run, backoff);
      grow();
    } else {
      backoff = timing.backoffInitialMs;
    }
  }
}

/** Waits `ms` (Infinity: until woken) unless woken by reconnectNow, onSignedIn or stop. */
function pause(run: TunnelRun, ms: number): Promise<void> {
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
