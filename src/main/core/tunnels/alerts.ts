/**
 * Alerts for autostarted tunnels: the user did not start them by hand, so a failure (or a long
 * reconnect) is worth telling, and so is the recovery that follows it. Brief reconnects stay
 * quiet: a "failed" alert for reconnecting waits `delayMs`.
 */
import type { TunnelState } from '../../../shared/model/tunnel';

export interface TunnelAlert {
  name: string;
  kind: 'failed' | 'recovered';
  message: string;
}

/** What the rules read of a run; read again when the delay ends, as it may have moved on. */
export interface AlertSubject {
  readonly state: TunnelState;
  readonly reason: string | null;
  readonly stopped: boolean;
}

/** The alert rules of one autostarted run. */
export class AutostartAlerts {
  /** A "failed" alert was raised and no "recovered" yet. */
  private alerted = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly name: string,
    private readonly delayMs: number,
    private readonly send: (alert: TunnelAlert) => void,
  ) {}

  /** Called on each state change of the run. */
  update(run: AlertSubject): void {
    const name = this.name;
    if (run.state === 'listening') {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      if (this.alerted) {
        this.alerted = false;
        this.send({
          name,
          kind: 'recovered',
          message: `The tunnel "${name}" is connected again.`,
        });
      }
      return;
    }
    if (this.alerted) return;
    const raise = () => {
      this.alerted = true;
      this.send({
        name,
        kind: 'failed',
        message: `The tunnel "${name}": ${run.reason ?? run.state}`,
      });
    };
    if (run.state === 'failed' || run.state === 'waiting-for-sign-in') {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      raise();
    } else if (run.state === 'reconnecting' && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!run.stopped && run.state !== 'listening') raise();
      }, this.delayMs);
      this.timer.unref();
    }
  }

  /** The run is being torn down: no delayed alert. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
