import type { CertificateState, SiteStatus } from '../../../../shared/model/certificate';
import { Badge, type BadgeTone } from '../../components/Badge';
import { useSettings } from '../../state/context';
import { useNow } from '../../state/useNow';
import {
  badgeText,
  formatDateTime,
  remainingSeconds,
  stateAt,
  stateLabels,
} from './certificateText';

const tones: Record<CertificateState, BadgeTone> = {
  'signed-out': 'neutral',
  valid: 'success',
  expiring: 'warning',
  expired: 'danger',
  'not-yet-valid': 'warning',
};

/** The state of a site's certificate at `now`, with the warning threshold from the settings. */
export function useCertificateState(status: SiteStatus | null): {
  state: CertificateState;
  seconds: number | null;
} {
  const now = useNow();
  const { ui } = useSettings();
  if (!status) return { state: 'signed-out', seconds: null };
  return {
    state: stateAt(status, now, ui.expiryWarningMinutes),
    seconds: remainingSeconds(status, now),
  };
}

export function expiryTitle(status: SiteStatus | null, state: CertificateState): string {
  if (!status?.validBefore) return stateLabels[state];
  const verb = state === 'expired' ? 'Expired' : 'Expires';
  return `${verb} ${formatDateTime(status.validBefore)}`;
}

/** The countdown (or the state in words), coloured by state; the exact expiry on hover. */
export function CertificateBadge({ status }: { status: SiteStatus | null }) {
  const { state, seconds } = useCertificateState(status);
  return (
    <span className="cert-badge" data-state={state}>
      <Badge tone={tones[state]} dot title={expiryTitle(status, state)}>
        <span className="cert-countdown">{badgeText(state, seconds)}</span>
      </Badge>
    </span>
  );
}
