/**
 * SSH keys and certificates for the core: generate key pairs, read key files, parse and verify
 * OpenSSH certificates. Pure node:crypto; no Electron, no native modules.
 */
export { SshFormatError, SshReader, SshWriter } from './wire';
export { SSH_KEY_TYPES, isSshKeyType, type EcdsaKeyType, type SshKeyType } from './keyTypes';
export {
  fingerprintSha256,
  formatPublicKeyLine,
  parsePublicKeyBlob,
  parsePublicKeyLine,
  publicKeyFromKeyObject,
  publicKeysEqual,
  publicKeyToKeyObject,
  type SshPublicKey,
} from './publicKey';
export {
  describeKeyPair,
  generateKeyPair,
  parsePrivateKey,
  type GenerateKeyOptions,
  type ParsedPrivateKey,
  type SshKeyPair,
} from './keyPair';
export { formatOpenSshPrivateKey, KeyPassphraseError } from './openSshPrivateKey';
export { verifySshSignature, type SignatureCheck } from './signature';
export {
  FOREVER,
  certificateMatchesKey,
  isCertificateValidAt,
  parseCertificateBlob,
  parseCertificateLine,
  verifyCertificateSignature,
  type SshCertificate,
} from './certificate';
