import { useSignInStatus } from '../../state/signInContext';
import { CertificateBadge } from './CertificateBadge';

/**
 * Existing `tsh` logins found in ~/.tsh, read-only: their countdown, and where a profile cannot
 * be used, why. Renewing them is `tsh login`'s job, so there are no actions here.
 */
export function TshLoginList() {
  const tsh = Object.values(useSignInStatus().sites).filter((s) => s.kind === 'tsh');
  if (tsh.length === 0) return null;
  return (
    <div className="sidebar-section">
      <h2 className="sidebar-heading">From tsh</h2>
      <ul className="site-list">
        {tsh.map((status) => (
          <li key={status.site} className="site-item" data-site={status.site}>
            <div className="site-item-main" title="Signed in with tsh; renew with tsh login">
              <span className="site-item-row">
                <span className="site-item-title">{status.site.replace(/^tsh:/, '')}</span>
                <CertificateBadge status={status} />
              </span>
              <span className="site-item-address">
                {status.problem ?? `${status.user ?? ''} · renew with tsh login`}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
