/**
 * Host CAs from `~/.tsh/known_hosts` (teleport-sso.md §5e): tsh writes one line per host CA key,
 *   @cert-authority <proxyHost>,<clusterName>,*.<clusterName> <CA public key> type=host
 * for the root cluster and every leaf cluster reached through that proxy.
 */
import { formatPublicKeyLine, parsePublicKeyLine } from '../sshKeys';

export interface CertAuthorityLine {
  /** The host patterns, e.g. `['jump.example.int', 'example', '*.example']`. */
  patterns: string[];
  /** The CA key as `type base64`, without comment. */
  key: string;
  /** The cluster the line is for: the pattern `X` that also appears as `*.X`. */
  clusterName?: string;
}

function clusterOf(patterns: string[]): string | undefined {
  const wildcards = patterns.filter((p) => p.startsWith('*.')).map((p) => p.slice(2));
  return patterns.find((p) => wildcards.includes(p)) ?? wildcards[0];
}

/** Every well-formed `@cert-authority` line; other lines (plain host keys, junk) are skipped. */
export function parseCertAuthorities(text: string): CertAuthorityLine[] {
  const lines: CertAuthorityLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] !== '@cert-authority' || fields.length < 4) continue;
    const [, hosts = '', type = '', base64 = ''] = fields;
    try {
      const key = formatPublicKeyLine(parsePublicKeyLine(`${type} ${base64}`));
      const patterns = hosts.split(',').filter((p) => p !== '');
      const clusterName = clusterOf(patterns);
      lines.push(clusterName === undefined ? { patterns, key } : { patterns, key, clusterName });
    } catch {
      // A damaged line must not hide the others; OpenSSH skips it too.
    }
  }
  return lines;
}

/**
 * The CA keys per cluster that belong to one tsh profile: lines naming its proxy host or its root
 * cluster. Keys are de-duplicated; clusters keep the order of first appearance.
 */
export function checkingKeysByCluster(
  lines: CertAuthorityLine[],
  profile: { proxyHost: string; cluster: string },
): Map<string, string[]> {
  const byCluster = new Map<string, string[]>();
  for (const line of lines) {
    const mine =
      line.patterns.includes(profile.proxyHost) ||
      line.patterns.includes(profile.cluster) ||
      line.patterns.includes(`*.${profile.cluster}`);
    if (!mine) continue;
    const cluster = line.clusterName ?? profile.cluster;
    const keys = byCluster.get(cluster) ?? [];
    if (!keys.includes(line.key)) keys.push(line.key);
    byCluster.set(cluster, keys);
  }
  return byCluster;
}
