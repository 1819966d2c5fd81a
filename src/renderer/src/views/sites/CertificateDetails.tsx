import type { SiteStatus } from '../../../../shared/model/certificate';
import type { ReactNode } from 'react';
import { formatDateTime, formatTimeOfDay } from './certificateText';

const permissionLabels: [keyof SiteStatus['permissions'], string][] = [
  ['pty', 'Interactive terminal (PTY)'],
  ['portForwarding', 'Port forwarding (tunnels)'],
  ['x11Forwarding', 'X11 forwarding (remote windows)'],
  ['agentForwarding', 'SSH agent forwarding'],
];

const keyTypeNames: Record<string, string> = {
  'ssh-ed25519': 'Ed25519',
  'ecdsa-sha2-nistp256': 'ECDSA P-256',
  'ssh-rsa': 'RSA',
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** Everything the certificate says, as a readable list. */
export function CertificateDetails({ status }: { status: SiteStatus }) {
  const none = <span className="muted">—</span>;
  return (
    <dl className="cert-details">
      <Row label="User">{status.user ?? none}</Row>
      <Row label="Logins">
        {status.logins.length ? (
          <span className="cert-logins">
            {status.logins.map((login) => (
              <code key={login}>{login}</code>
            ))}
          </span>
        ) : (
          none
        )}
      </Row>
      <Row label="Valid from">{status.validAfter ? formatDateTime(status.validAfter) : none}</Row>
      <Row label="Valid until">
        {status.validBefore ? formatDateTime(status.validBefore) : none}
      </Row>
      <Row label="Key type">
        {status.keyType ? (
          <>
            {keyTypeNames[status.keyType] ?? status.keyType}{' '}
            <code className="muted">{status.keyType}</code>
          </>
        ) : (
          none
        )}
      </Row>
      <Row label="CA fingerprint">
        {status.caFingerprint ? (
          <code className="cert-fingerprint">{status.caFingerprint}</code>
        ) : (
          none
        )}
      </Row>
      <Row label="Permissions">
        <ul className="cert-permissions">
          {permissionLabels.map(([key, label]) => {
            const allowed = status.permissions[key];
            return (
              <li key={key} data-allowed={allowed}>
                <span aria-hidden="true">{allowed ? '✓' : '✕'}</span> {label}
                <span className="visually-hidden">{allowed ? ': allowed' : ': not allowed'}</span>
              </li>
            );
          })}
        </ul>
      </Row>
      {status.obtainedAt && (
        <Row label="Obtained">
          {formatDateTime(status.obtainedAt)}
          {status.renewedAutomaticallyAt &&
            ` (renewed automatically at ${formatTimeOfDay(status.renewedAutomaticallyAt)})`}
        </Row>
      )}
      <Row label="Silent renewal">
        {status.canRenewSilently
          ? 'Yes: OneHop renews the certificate without the browser while it is valid.'
          : 'No: renewing opens the browser.'}
      </Row>
    </dl>
  );
}
