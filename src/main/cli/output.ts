/**
 * What the CLI prints: aligned tables for people, stable JSON shapes for scripts (documented in
 * cli.md and `onehop --help`; change them only with a note in the README).
 */
import type { PresetSummary } from '../../shared/contract';
import { siteAddress, type Host, type Settings, type Site } from '../../shared/model/settings';

export interface SiteRow {
  name: string;
  kind: Site['kind'];
  proxy: string;
  hostPatterns: string[];
  hosts: number;
}

export interface HostRow {
  name: string;
  hostName: string;
  port: number;
  login: string | null;
  site: string | null;
  route: Host['route'];
}

export function siteRows(settings: Settings): SiteRow[] {
  return settings.sites.map((site) => ({
    name: site.name,
    kind: site.kind,
    proxy: siteAddress(site),
    hostPatterns: [...site.hostPatterns],
    hosts: settings.hosts.filter((host) => host.site === site.name).length,
  }));
}

export function hostRows(settings: Settings): HostRow[] {
  return settings.hosts.map((host) => ({
    name: host.name,
    hostName: host.hostName,
    port: host.port,
    login: host.login ?? null,
    site: host.site ?? null,
    route: host.route,
  }));
}

/** One JSON document per run, newline-terminated, so `jq` and `JSON.parse` both take it. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, undefined, 2)}\n`;
}

/** Left-aligned columns separated by two spaces; empty cells show "-". */
export function table(headers: string[], rows: (string | number | null)[][]): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (cell === null || cell === '' ? '-' : String(cell)))),
  ];
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => row[column]?.length ?? 0)),
  );
  return cells
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n')
    .concat('\n');
}

export function sitesTable(rows: SiteRow[]): string {
  if (rows.length === 0) {
    return "No sites yet. Add the centre's preset with: onehop sites add-preset ecmwf\n";
  }
  return table(
    ['NAME', 'KIND', 'PROXY', 'HOSTS'],
    rows.map((row) => [row.name, row.kind, row.proxy, row.hosts]),
  );
}

export function hostsTable(rows: HostRow[]): string {
  if (rows.length === 0) {
    return (
      'No hosts yet. Add a preset with: onehop sites add-preset ecmwf, ' +
      'or a host with: onehop hosts add <name> --site <site> --host-name <host>\n'
    );
  }
  return table(
    ['NAME', 'HOST', 'PORT', 'LOGIN', 'SITE', 'ROUTE'],
    rows.map((row) => [row.name, row.hostName, row.port, row.login, row.site, row.route]),
  );
}

export function presetsTable(presets: PresetSummary[]): string {
  return table(
    ['NAME', 'PROXY', 'HOSTS', 'DESCRIPTION'],
    presets.map((preset) => [preset.id, preset.proxy, preset.hosts.join(', '), preset.description]),
  );
}

/** `1 host`, `2 hosts`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
