import type { Host, Site } from '../../../../shared/model/settings';

export interface HostGroupData {
  /** The site's name, or null for hosts that belong to no site. */
  siteName: string | null;
  site: Site | undefined;
  hosts: Host[];
}

/** Case-insensitive match on the name or the host name; favourites-only narrows further. */
export function filterHosts(hosts: Host[], query: string, favouritesOnly: boolean): Host[] {
  const needle = query.trim().toLowerCase();
  return hosts.filter(
    (host) =>
      (!favouritesOnly || host.favourite) &&
      (!needle ||
        host.name.toLowerCase().includes(needle) ||
        host.hostName.toLowerCase().includes(needle)),
  );
}

/** Groups in the order of the sites, then hosts without a site; favourites first within a group. */
export function groupHosts(hosts: Host[], sites: Site[]): HostGroupData[] {
  const byFavourite = (a: Host, b: Host) => Number(b.favourite) - Number(a.favourite);
  const groups: HostGroupData[] = sites.map((site) => ({
    siteName: site.name,
    site,
    hosts: hosts.filter((h) => h.site === site.name).sort(byFavourite),
  }));
  const known = new Set(sites.map((s) => s.name));
  const other = hosts.filter((h) => !h.site || !known.has(h.site)).sort(byFavourite);
  if (other.length) groups.push({ siteName: null, site: undefined, hosts: other });
  return groups;
}
