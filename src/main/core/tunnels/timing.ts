/** The tunnel manager's delays, overridable so that tests run in milliseconds. */

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

export const DEFAULT_TIMING: TunnelTiming = {
  connectionWaitMs: 15_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 30_000,
  throttleMs: 1_000,
  stableMs: 10_000,
  alertDelayMs: 10_000,
  launcherWaitMs: 60_000,
};
