/**
 * Host keys for the core: OpenSSH known_hosts parsing, host matching and key checks, and the
 * @cert-authority rules for host certificates. The SSH engine (next) combines the two: a host
 * certificate from a trusted CA, else the plain key against known_hosts, else a prompt.
 */
export {
  checkHostKey,
  entryMatchesName,
  formatKnownHostsLine,
  hashHostName,
  hostLookupName,
  hostMatchesPatterns,
  globMatchText,
  matchHost,
  parseKnownHosts,
  type FormatKnownHostsOptions,
  type HostKeyCheck,
  type HostKeyStatus,
  type KnownHostsEntry,
  type KnownHostsFile,
  type KnownHostsMarker,
  type KnownHostsProblem,
} from './knownHosts';
export {
  checkHostCertificate,
  type HostCertificateAccepted,
  type HostCertificateCheck,
  type HostCertificateCheckInput,
  type HostCertificateRefusalReason,
  type HostCertificateRefused,
  type HostCertificateUntrustedCa,
} from './hostCertificate';
