import { siteAddress } from '../../../../shared/model/settings';
import { useSettings } from '../../state/context';
import { siteGroupDomId } from '../sites/SiteItem';
import { SiteBadge } from '../sites/SiteBadge';
import type { HostGroupData } from './filterHosts';
import { HostRow, type HostActions } from './HostRow';

export function HostGroup({
  group,
  actions,
  recent,
}: {
  group: HostGroupData;
  actions: HostActions;
  /** The "Recent" group: hosts of every site, the site named in each row. */
  recent?: boolean;
}) {
  const { sites } = useSettings();
  const title = recent
    ? 'Recent'
    : group.site
      ? (group.site.title ?? group.site.name)
      : 'Other hosts';
  const headingId = recent
    ? 'host-group-recent'
    : group.siteName
      ? siteGroupDomId(group.siteName)
      : 'site-group-other';
  return (
    <section
      className={recent ? 'host-group host-group-recent' : 'host-group'}
      aria-labelledby={headingId}
    >
      <header className="host-group-header">
        <h2 id={headingId} className="host-group-title" tabIndex={-1}>
          {title}
        </h2>
        {group.site && <span className="host-group-address mono">{siteAddress(group.site)}</span>}
        {group.site && <SiteBadge site={group.site.name} />}
        <span className="host-group-count">
          {group.hosts.length} {group.hosts.length === 1 ? 'host' : 'hosts'}
        </span>
      </header>
      {group.hosts.length === 0 ? (
        <p className="host-group-empty">No hosts match in this site.</p>
      ) : (
        <table className="host-table">
          <thead>
            <tr>
              <th className="col-star">
                <span className="visually-hidden">Favourite</span>
              </th>
              <th className="col-name">Name</th>
              <th className="col-address">Host name</th>
              <th className="col-login">Login</th>
              <th className="col-route">Route</th>
              <th className="col-actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {group.hosts.map((host) => (
              <HostRow
                key={host.name}
                host={host}
                site={group.site ?? sites.find((s) => s.name === host.site)}
                actions={actions}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
