/**
 * Words and numbers for a certificate's status, shared by the sidebar and the site view. Pure,
 * so the countdown rules are unit tested without a browser.
 */
import {
  secondsLeft,
  stateAt as certificateStateAt,
  type CertificateState,
  type SignInPhase,
  type SiteStatus,
} from '../../../../shared/model/certificate';

/** Seconds left at `now` (negative once expired), or null without a certificate. */
export const remainingSeconds = secondsLeft;

/**
 * The state at `now`. The core announces state changes, but the window ticks every second in
 * between, so a countdown that reaches zero turns red at once instead of at the next event.
 */
export function stateAt(status: SiteStatus, now: number, warningMinutes: number): CertificateState {
  return certificateStateAt(status, now, warningMinutes * 60_000);
}

/** `3 h 12 min` above an hour, `42:17` below it, `0:00` once expired. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s >= 3600) {
    const hours = Math.floor(s / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  const minutes = Math.floor(s / 60);
  return `${minutes}:${String(s % 60).padStart(2, '0')}`;
}

export const stateLabels: Record<CertificateState, string> = {
  'signed-out': 'Signed out',
  valid: 'Signed in',
  expiring: 'Expiring soon',
  expired: 'Expired',
  'not-yet-valid': 'Not valid yet',
};

export const phaseLabels: Record<SignInPhase, string> = {
  discovering: 'Contacting the sign-in service…',
  'generating-keys': 'Generating a key…',
  'waiting-for-browser': 'Waiting for the browser…',
  exchanging: 'Getting your certificate…',
  renewing: 'Renewing…',
};

/** The badge text: the countdown while a certificate is usable, else the state in words. */
export function badgeText(state: CertificateState, seconds: number | null): string {
  if ((state === 'valid' || state === 'expiring') && seconds !== null)
    return formatCountdown(seconds);
  return stateLabels[state];
}

/** Local date and time, for the exact expiry on hover and the site view. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
}

/** `14:02`: the local time of day. */
export function formatTimeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Which actions a state offers: signing in when there is nothing usable, renewing otherwise. */
export function primaryAction(state: CertificateState): 'sign-in' | 'renew' {
  return state === 'valid' || state === 'expiring' ? 'renew' : 'sign-in';
}

export function hasCertificate(status: SiteStatus): boolean {
  return status.state !== 'signed-out';
}
