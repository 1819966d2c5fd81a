/**
 * Existing `tsh login`s, read from `~/.tsh` (or `$TELEPORT_HOME`) without ever writing there.
 */
export {
  defaultTshHome,
  parseAddress,
  readTshProfiles,
  type TshAddress,
  type TshCertificateSummary,
  type TshProfile,
  type TshProfileFiles,
  type TshProfileProblem,
  type TshProfileReady,
} from './readTshProfiles';
export { TshProfileError } from './files';
export { checkingKeysByCluster, parseCertAuthorities, type CertAuthorityLine } from './knownHosts';
export { parseFlatYaml, type FlatYaml, type FlatYamlValue } from './yaml';
