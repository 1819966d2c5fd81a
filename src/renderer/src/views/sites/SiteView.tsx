import { siteAddress } from '../../../../shared/model/settings';
import { EmptyState } from '../../components/EmptyState';
import { useSettings } from '../../state/context';
import { useSignInStatus } from '../../state/signInContext';
import { useTabs } from '../../state/TabsContext';
import { CertificateBadge, expiryTitle, useCertificateState } from './CertificateBadge';
import { CertificateDetails } from './CertificateDetails';
import { HandoffPanel } from './HandoffPanel';
import { SiteActions } from './SiteActions';
import { siteGroupDomId } from './SiteItem';
import { VaultNotice } from './VaultNotice';

const kindLabels = { teleport: 'Teleport proxy', 'oidc-ca': 'OIDC + SSH CA', tsh: 'tsh profile' };

/** A site's certificate in full, its actions, and where the credentials are kept. */
export function SiteView({ siteName }: { siteName: string }) {
  const { sites } = useSettings();
  const { sites: statuses, vault } = useSignInStatus();
  const { dispatch } = useTabs();
  const site = sites.find((s) => s.name === siteName);
  const status = statuses[siteName] ?? null;
  const { state } = useCertificateState(status);
  if (!site) {
    return (
      <EmptyState icon="server" title="This site was removed">
        Close this tab; the site is no longer in your settings.
      </EmptyState>
    );
  }
  const showHosts = () => {
    dispatch({ type: 'open', kind: 'hosts' });
    // The Hosts panel may be mounting; wait a frame, then bring the site's group into view.
    requestAnimationFrame(() => {
      const heading = document.getElementById(siteGroupDomId(site.name));
      heading?.scrollIntoView({ block: 'start' });
      heading?.focus();
    });
  };
  return (
    <div className="view view-narrow site-view">
      <header className="view-header">
        <div>
          <h1 className="view-title">{site.title ?? site.name}</h1>
          <p className="view-subtitle">
            {kindLabels[status?.kind ?? site.kind]} ·{' '}
            <span className="mono">{siteAddress(site)}</span>
          </p>
        </div>
        <button type="button" className="btn" onClick={showHosts}>
          Show hosts
        </button>
      </header>
      <VaultNotice vault={vault} />
      <section className="site-view-status" aria-label="Certificate">
        <div className="site-view-countdown">
          <CertificateBadge status={status} />
          <span className="muted">{status?.validBefore ? expiryTitle(status, state) : ''}</span>
        </div>
        <SiteActions site={site.name} status={status} />
      </section>
      {status && status.state !== 'signed-out' ? (
        <CertificateDetails status={status} />
      ) : (
        <p className="muted">
          Not signed in. Sign in to get a short-lived SSH certificate for this site&apos;s hosts.
        </p>
      )}
      <HandoffPanel site={site} status={status} />
    </div>
  );
}
