/**
 * What the tray shows for the sites' certificates and the tunnels: the icon state, the tooltip, one menu line and
 * one action per site, and the macOS title. No `electron` import, so it is unit tested; the menu
 * is rebuilt from this once a minute and on every status event (menus cannot tick every second).
 */
import {
  secondsLeft,
  stateAt as certificateStateAt,
  type CertificateState,
  type SiteStatus,
} from '../../shared/model/certificate';
import type { TunnelRuntime, TunnelState } from '../../shared/model/tunnel';
import type { TrayState } from './icons';

export interface TrayAction {
  label: string;
  site: string;
}

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  lines: string[];
  actions: TrayAction[];
  /** The shortest time left, for the macOS menu bar; empty when nothing is signed in. */
  title: string;
}

export { secondsLeft };

/** `3 h 12 min`, `42 min`, `less than a minute`: minute precision, as the menu refreshes. */
export function formatRemaining(seconds: number): string {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  if (minutes < 1) return 'less than a minute';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${minutes} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

type Shown = CertificateState;

/** The state at `now`: the core announces changes, but the menu refreshes in between. */
export function stateAt(status: SiteStatus, now: number, warningMinutes: number): Shown {
  return certificateStateAt(status, now, warningMinutes * 60_000);
}

const SEVERITY: Record<Shown, number> = {
  'signed-out': 0,
  valid: 1,
  // A certificate that is not valid yet cannot be used either; it is worth a look.
  'not-yet-valid': 2,
  expiring: 2,
  expired: 3,
};

/** The worst state across signed-in sites: expired > expiring > valid; signed-out when none. */
export function worstState(statuses: SiteStatus[], now: number, warningMinutes: number): TrayState {
  let worst: Shown = 'signed-out';
  for (const status of statuses) {
    const state = stateAt(status, now, warningMinutes);
    if (SEVERITY[state] > SEVERITY[worst]) worst = state;
  }
  return worst === 'not-yet-valid' ? 'expiring' : worst;
}

/** `ecmwf — 3 h 12 min left`, `ecmwf — expired`, `ecmwf — signed out`. */
export function siteLine(status: SiteStatus, now: number, warningMinutes: number): string {
  if (status.signingIn) return `${status.site} — signing in…`;
  const state = stateAt(status, now, warningMinutes);
  const left = secondsLeft(status, now);
  switch (state) {
    case 'signed-out':
      return `${status.site} — signed out`;
    case 'expired':
      return `${status.site} — expired`;
    case 'not-yet-valid':
      return `${status.site} — not valid yet`;
    default:
      return `${status.site} — ${formatRemaining(left ?? 0)} left`;
  }
}

/**
 * "Renew ecmwf" while a certificate is usable, "Sign in to ecmwf" otherwise; none while busy, and
 * none for a `tsh` login (renewing it is `tsh login`'s job; OneHop only reads it).
 */
export function siteAction(
  status: SiteStatus,
  now: number,
  warningMinutes: number,
): TrayAction | null {
  if (status.signingIn || status.kind === 'tsh') return null;
  const state = stateAt(status, now, warningMinutes);
  const renew = state === 'valid' || state === 'expiring';
  return { label: renew ? `Renew ${status.site}` : `Sign in to ${status.site}`, site: status.site };
}

export function buildTrayModel(
  statuses: SiteStatus[],
  now: number,
  warningMinutes: number,
): TrayModel {
  const lines = statuses.map((s) => siteLine(s, now, warningMinutes));
  const actions = statuses
    .map((s) => siteAction(s, now, warningMinutes))
    .filter((a): a is TrayAction => a !== null);
  const usable = statuses
    .filter((s) => {
      const state = stateAt(s, now, warningMinutes);
      return state === 'valid' || state === 'expiring';
    })
    .map((s) => secondsLeft(s, now) ?? 0);
  const shortest = usable.length ? Math.min(...usable) : null;
  const state = worstState(statuses, now, warningMinutes);
  const tooltip =
    statuses.length === 0
      ? 'OneHop: no sites yet'
      : state === 'signed-out'
        ? 'OneHop: signed out'
        : `OneHop\n${lines.join('\n')}`;
  return {
    state,
    tooltip,
    lines,
    actions,
    title:
      shortest === null ? '' : formatRemaining(shortest).replace('less than a minute', '<1 min'),
  };
}

/** A tunnel in the tray menu: a checkbox (checked = running) with its state in the label. */
export interface TrayTunnelItem {
  name: string;
  label: string;
  checked: boolean;
}

const TUNNEL_STATE_WORDS: Record<TunnelState, string> = {
  stopped: 'stopped',
  starting: 'starting…',
  listening: 'listening',
  reconnecting: 'reconnecting…',
  'waiting-for-sign-in': 'waiting for sign-in',
  failed: 'failed',
};

/** Running = holds (or is getting) its listeners: clicking it stops it. */
export function tunnelIsRunning(state: TunnelState): boolean {
  return state !== 'stopped' && state !== 'failed';
}

/** `ecFlow SOCKS — listening`, one per profile, in the order of the settings. */
export function tunnelItems(tunnels: readonly TunnelRuntime[]): TrayTunnelItem[] {
  return tunnels.map((t) => ({
    name: t.name,
    label: `${t.name} — ${TUNNEL_STATE_WORDS[t.state]}`,
    checked: tunnelIsRunning(t.state),
  }));
}

/** Counters change every second; the menu is rebuilt only when what it shows changes. */
export function sameTunnelItems(
  a: readonly TrayTunnelItem[],
  b: readonly TrayTunnelItem[],
): boolean {
  return (
    a.length === b.length &&
    a.every((item, i) => item.label === b[i]?.label && item.checked === b[i]?.checked)
  );
}
