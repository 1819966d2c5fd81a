import { siteAddress, type Site } from '../../../../shared/model/settings';
import { useTabs } from '../../state/TabsContext';
import { SignInBadge } from './SignInBadge';

export const siteGroupDomId = (siteName: string) => `site-group-${siteName}`;

/** One site in the sidebar; choosing it shows its hosts. */
export function SiteItem({ site }: { site: Site }) {
  const { dispatch } = useTabs();
  const title = site.title ?? site.name;
  const reveal = () => {
    dispatch({ type: 'open', kind: 'hosts' });
    // The Hosts panel may be mounting; wait a frame, then bring the site's group into view.
    requestAnimationFrame(() => {
      const heading = document.getElementById(siteGroupDomId(site.name));
      heading?.scrollIntoView({ block: 'start' });
      heading?.focus();
    });
  };
  return (
    <li>
      <button
        type="button"
        className="site-item"
        onClick={reveal}
        aria-label={`${title}, ${siteAddress(site)}, signed out. Show its hosts.`}
      >
        <span className="site-item-row">
          <span className="site-item-title">{title}</span>
          <SignInBadge />
        </span>
        <span className="site-item-address">{siteAddress(site)}</span>
      </button>
    </li>
  );
}
