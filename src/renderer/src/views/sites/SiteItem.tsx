import { siteAddress, type Site } from '../../../../shared/model/settings';
import { useSiteStatus } from '../../state/signInContext';
import { useTabs } from '../../state/TabsContext';
import { CertificateBadge, expiryTitle, useCertificateState } from './CertificateBadge';
import { stateLabels } from './certificateText';
import { SiteActions } from './SiteActions';

export const siteGroupDomId = (siteName: string) => `site-group-${siteName}`;

/** One site in the sidebar: its certificate countdown and actions; choosing it opens its details. */
export function SiteItem({ site }: { site: Site }) {
  const { dispatch } = useTabs();
  const status = useSiteStatus(site.name);
  const { state } = useCertificateState(status);
  const title = site.title ?? site.name;
  return (
    <li className="site-item" data-site={site.name}>
      <button
        type="button"
        className="site-item-main"
        onClick={() => dispatch({ type: 'open-site', site: site.name, title })}
        aria-label={`${title}, ${siteAddress(site)}, ${stateLabels[state].toLowerCase()}${status?.validBefore ? `, ${expiryTitle(status, state).toLowerCase()}` : ''}. Show its details.`}
      >
        <span className="site-item-row">
          <span className="site-item-title">{title}</span>
          <CertificateBadge status={status} />
        </span>
        <span className="site-item-address">{siteAddress(site)}</span>
      </button>
      <SiteActions site={site.name} status={status} />
    </li>
  );
}
