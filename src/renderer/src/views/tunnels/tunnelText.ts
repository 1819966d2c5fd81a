/** How tunnels read on screen: forward notation, byte counts, states and launcher states. */
import type { LauncherRuntime, TunnelState } from '../../../../shared/model/tunnel';
import type { Forward } from '../../../../shared/model/settings';
import type { BadgeTone } from '../../components/Badge';

/** The notation users know from ssh: `-D 127.0.0.1:9050`, `-L 127.0.0.1:4141 → machine1:4141`. */
export function forwardLabel(forward: Forward): string {
  const bind = `${forward.bindAddress}:${String(forward.bindPort)}`;
  return forward.kind === 'dynamic'
    ? `-D ${bind}`
    : `-L ${bind} → ${forward.targetHost}:${String(forward.targetPort)}`;
}

export function forwardDescription(forward: Forward): string {
  return forward.kind === 'dynamic'
    ? `SOCKS proxy on port ${String(forward.bindPort)}; host names are resolved on the remote side`
    : `local port ${String(forward.bindPort)} to ${forward.targetHost} port ${String(forward.targetPort)}`;
}

const UNITS = ['KB', 'MB', 'GB', 'TB'];

/** `0 B`, `512 B`, `1.5 KB`, `23 MB`: one decimal below 10, whole numbers above (base 1024). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024)
    return `${String(Math.max(0, Math.round(bytes || 0)))} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 ? (Math.floor(value * 10) / 10).toFixed(1) : String(Math.floor(value));
  return `${shown} ${UNITS[unit] ?? 'TB'}`;
}

export const stateLabels: Record<TunnelState, string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  listening: 'Listening',
  reconnecting: 'Reconnecting',
  'waiting-for-sign-in': 'Waiting for sign-in',
  failed: 'Failed',
};

export const stateTones: Record<TunnelState, BadgeTone> = {
  stopped: 'neutral',
  starting: 'accent',
  listening: 'success',
  reconnecting: 'warning',
  'waiting-for-sign-in': 'warning',
  failed: 'danger',
};

/** Running = holds (or is getting) its listeners; Stop applies. */
export function isRunning(state: TunnelState): boolean {
  return state !== 'stopped' && state !== 'failed';
}

export function launcherStateText(launcher: LauncherRuntime): string {
  switch (launcher.state) {
    case 'idle':
      return 'Not started';
    case 'waiting':
      return 'Waiting for the tunnel to listen…';
    case 'running':
      return launcher.pid === null ? 'Running' : `Running (PID ${String(launcher.pid)})`;
    case 'exited':
      return launcher.exitCode === null
        ? 'Exited'
        : `Exited with code ${String(launcher.exitCode)}`;
    case 'failed':
      return launcher.message ?? 'Could not start';
  }
}

/** `14:03:27` in the local time zone. */
export function formatEventTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
