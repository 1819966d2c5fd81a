/**
 * Judges a host certificate (`*-cert-v01@openssh.com` host key) the way OpenSSH judges one
 * against `@cert-authority` lines: CA signature, trusted CA, host type, SHA-1, validity,
 * principal, critical options. The SSH engine calls this during key exchange; plain host keys
 * (and certificates from unknown CAs, via `plainKey`) go to known_hosts instead.
 */
import {
  isCertificateValidAt,
  parseCertificateBlob,
  parseCertificateLine,
  publicKeysEqual,
  verifyCertificateSignature,
  type SshCertificate,
  type SshPublicKey,
} from '../../credentials/sshKeys';

export interface HostCertificateCheckInput {
  /** The certificate blob as sent in key exchange, or a `-cert.pub` line. */
  certificate: Uint8Array | string;
  /** The host name the user dialled (not `[host]:port`): must be one of the principals. */
  dialledHost: string;
  /** The site's host CAs (from sign-in and `@cert-authority` lines). */
  trustedCas: readonly SshPublicKey[];
  /** Defaults to the current time. */
  now?: Date;
}

export interface HostCertificateAccepted {
  ok: true;
  /** SHA256 fingerprint of the CA that signed the certificate. */
  caFingerprint: string;
  keyId: string;
  /** The certified key without its certificate. */
  plainKey: SshPublicKey;
  certificate: SshCertificate;
}

export type HostCertificateRefusalReason =
  | 'malformed'
  | 'not-host-cert'
  | 'bad-signature'
  | 'sha1-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-principal'
  | 'unsupported-critical-option';

export interface HostCertificateRefused {
  ok: false;
  reason: HostCertificateRefusalReason;
  /** One plain sentence for the user. */
  message: string;
}

/**
 * A validly signed certificate from a CA the site does not trust. Not a refusal on its own:
 * like OpenSSH, the caller judges `plainKey` against known_hosts (unknown → prompt).
 */
export interface HostCertificateUntrustedCa {
  ok: false;
  reason: 'untrusted-ca';
  message: string;
  caFingerprint: string;
  plainKey: SshPublicKey;
}

export type HostCertificateCheck =
  HostCertificateAccepted | HostCertificateRefused | HostCertificateUntrustedCa;

// ASCII only: DNS names compare case-insensitively, and toLowerCase() would also fold
// non-ASCII letters that no DNS name contains.
function asciiLower(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function formatInstant(date: Date | null): string {
  if (date === null) return 'the beginning of time';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function parse(certificate: Uint8Array | string): SshCertificate | string {
  try {
    return typeof certificate === 'string'
      ? parseCertificateLine(certificate)
      : parseCertificateBlob(certificate);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The order follows OpenSSH so that fallbacks behave the same: a bad signature is always refused
 * (OpenSSH refuses it while parsing); an unknown CA falls back to the plain key before anything
 * else about the certificate matters; only a trusted CA's certificate is refused for its content.
 */
export function checkHostCertificate(input: HostCertificateCheckInput): HostCertificateCheck {
  const host = input.dialledHost;
  const refuse = (reason: HostCertificateRefusalReason, message: string) =>
    ({ ok: false, reason, message }) as const;

  const cert = parse(input.certificate);
  if (typeof cert === 'string') {
    return refuse('malformed', `The host certificate of ${host} cannot be read: ${cert}`);
  }

  let signatureValid: boolean;
  let sha1: boolean;
  try {
    ({ valid: signatureValid, sha1 } = verifyCertificateSignature(cert));
  } catch {
    // A malformed signature blob is as untrustworthy as a wrong one.
    signatureValid = false;
    sha1 = false;
  }
  const caFingerprint = cert.signatureKeyFingerprint;
  if (!signatureValid) {
    return refuse(
      'bad-signature',
      `The host certificate of ${host} has a signature that does not verify; it may have been ` +
        'tampered with, so the connection was refused.',
    );
  }

  if (!input.trustedCas.some((ca) => publicKeysEqual(ca, cert.signatureKey))) {
    const known =
      input.trustedCas.length === 0
        ? 'no host CAs are known for this site'
        : "it is not one of the site's host CAs";
    return {
      ok: false,
      reason: 'untrusted-ca',
      message: `The host certificate of ${host} was signed by an unknown authority (${caFingerprint}); ${known}.`,
      caFingerprint,
      plainKey: cert.publicKey,
    };
  }

  if (cert.type !== 'host') {
    return refuse(
      'not-host-cert',
      `${host} presented a user certificate as its host key; only a host certificate can identify a server.`,
    );
  }
  if (sha1) {
    return refuse(
      'sha1-signature',
      `The host certificate of ${host} is signed with SHA-1 (ssh-rsa), which is no longer safe; ` +
        "the site's administrators must re-sign it with rsa-sha2-512 or rsa-sha2-256.",
    );
  }
  const now = input.now ?? new Date();
  if (!isCertificateValidAt(cert, now)) {
    const notYet = BigInt(Math.floor(now.getTime() / 1000)) < cert.validAfterSeconds;
    return notYet
      ? refuse(
          'not-yet-valid',
          `The host certificate of ${host} is not valid until ${formatInstant(cert.validAfter)}; ` +
            "check your computer's clock.",
        )
      : refuse(
          'expired',
          `The host certificate of ${host} expired at ${formatInstant(cert.validBefore)}; ` +
            "the site's administrators must renew it, unless your computer's clock is wrong.",
        );
  }
  // Current OpenSSH refuses a host certificate without principals instead of letting it match
  // any host (the old reading let one certificate impersonate every server of the CA).
  const wanted = asciiLower(host);
  if (!cert.principals.some((principal) => asciiLower(principal) === wanted)) {
    const listed =
      cert.principals.length === 0
        ? 'it names no hosts at all'
        : `it names only ${cert.principals.join(', ')}`;
    return refuse(
      'wrong-principal',
      `The host certificate presented by ${host} is not valid for that name; ${listed}.`,
    );
  }
  // OpenSSH defines no critical options for host certificates and refuses any it finds.
  const [option] = cert.criticalOptions.keys();
  if (option !== undefined) {
    return refuse(
      'unsupported-critical-option',
      `The host certificate of ${host} carries the critical option "${option}", which OpenSSH and OneHop refuse on host certificates.`,
    );
  }

  return {
    ok: true,
    caFingerprint,
    keyId: cert.keyId,
    plainKey: cert.publicKey,
    certificate: cert,
  };
}
