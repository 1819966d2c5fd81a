/**
 * The host key policy of the engine, as ssh2's `hostVerifier`: a host certificate from a trusted
 * CA is accepted; otherwise the plain key is judged against known_hosts; an unknown key is put to
 * the user (or refused). Nothing is ever accepted silently, and nothing is written here: a
 * "remember" decision returns the known_hosts line for the caller to persist.
 */
import {
  fingerprintSha256,
  parseCertificateBlob,
  parsePublicKeyBlob,
  SshReader,
  type SshPublicKey,
} from '../credentials/sshKeys';
import {
  checkHostCertificate,
  checkHostKey,
  formatKnownHostsLine,
  type KnownHostsEntry,
} from './hostKeys';
import { SshError, type SshHop } from './errors';

export type HostKeyDecision = 'once' | 'remember' | 'reject';

export interface UnknownHostKeyInfo {
  host: string;
  port: number;
  keyType: string;
  /** `SHA256:…` of the plain key, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  /** Set when the host presented a certificate from a CA the site does not trust. */
  untrustedCaFingerprint?: string;
}

export interface HostKeyPolicy {
  /** The site's host CAs (from sign-in); non-empty → host certificates are negotiated. */
  trustedCas: readonly SshPublicKey[];
  /** The app's own known_hosts entries plus the user's (read-only). */
  knownHosts: readonly KnownHostsEntry[];
  /** Asked for an unknown key; absent → refused. */
  onUnknownKey?: (info: UnknownHostKeyInfo) => Promise<HostKeyDecision>;
}

export interface HostKeyOutcome {
  kind: 'certificate' | 'known' | 'trusted-once' | 'remembered';
  keyType: string;
  fingerprint: string;
  /** `remembered`: the known_hosts line the caller should append to the app's file. */
  rememberLine?: string;
}

export interface HostKeyContext {
  /** The name dialled (what certificates and known_hosts are matched against). */
  host: string;
  port: number;
  hop: SshHop;
  policy: HostKeyPolicy;
  now?: Date;
}

const CERT_SUFFIX = '-cert-v01@openssh.com';

function blobType(blob: Buffer): string {
  try {
    return new SshReader(blob, 'host key').text('the key type');
  } catch {
    return '';
  }
}

function hostName(context: HostKeyContext): string {
  return context.port === 22 ? context.host : `${context.host}:${String(context.port)}`;
}

/** Judges the raw host key blob; resolves with how it was trusted or throws an SshError. */
export async function judgeHostKey(blob: Buffer, context: HostKeyContext): Promise<HostKeyOutcome> {
  const { host, port, policy } = context;
  const refuse = (code: ConstructorParameters<typeof SshError>[0], message: string): never => {
    throw new SshError(code, message, context.hop);
  };

  if (blobType(blob).endsWith(CERT_SUFFIX)) {
    let cert;
    try {
      cert = parseCertificateBlob(blob);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return refuse(
        'host-certificate-refused',
        `The host certificate of ${hostName(context)} cannot be read (${reason}); the connection was refused.`,
      );
    }
    const plain = checkHostKey(policy.knownHosts, host, port, cert.publicKey);
    if (plain.status === 'revoked') return refuseRevoked(context, cert.publicKey);
    if (checkHostKey(policy.knownHosts, host, port, cert.signatureKey).status === 'revoked') {
      return refuse(
        'host-key-revoked',
        `The host certificate of ${hostName(context)} is signed by a CA that is marked @revoked ` +
          'in known_hosts; the connection was refused.',
      );
    }
    const trustedCas = [...policy.trustedCas, ...plain.authorities.map((entry) => entry.key)];
    const check = checkHostCertificate({
      certificate: blob,
      dialledHost: host,
      trustedCas,
      ...(context.now ? { now: context.now } : {}),
    });
    if (check.ok) {
      return {
        kind: 'certificate',
        keyType: cert.certType,
        fingerprint: fingerprintSha256(cert.publicKey.blob),
      };
    }
    if (check.reason !== 'untrusted-ca') return refuse('host-certificate-refused', check.message);
    // Like OpenSSH: a certificate from an unknown CA is judged as its plain key.
    return judgePlainKey(check.plainKey, context, check.caFingerprint);
  }

  let key: SshPublicKey;
  try {
    key = parsePublicKeyBlob(blob);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return refuse(
      'host-key-rejected',
      `The host key of ${hostName(context)} cannot be read (${reason}); the connection was refused.`,
    );
  }
  return judgePlainKey(key, context);
}

function refuseRevoked(context: HostKeyContext, key: SshPublicKey): never {
  throw new SshError(
    'host-key-revoked',
    `The host key of ${hostName(context)} (${fingerprintSha256(key.blob)}) is marked @revoked in ` +
      'known_hosts; the connection was refused.',
    context.hop,
  );
}

async function judgePlainKey(
  key: SshPublicKey,
  context: HostKeyContext,
  untrustedCaFingerprint?: string,
): Promise<HostKeyOutcome> {
  const { host, port, policy } = context;
  const fingerprint = fingerprintSha256(key.blob);
  const name = hostName(context);
  const check = checkHostKey(policy.knownHosts, host, port, key);
  switch (check.status) {
    case 'known':
      return { kind: 'known', keyType: key.type, fingerprint };
    case 'revoked':
      return refuseRevoked(context, key);
    case 'changed':
      throw new SshError(
        'host-key-changed',
        `The host key of ${name} has changed (now ${key.type} ${fingerprint}): this can mean ` +
          'someone is intercepting the connection, or the host was reinstalled; the connection ' +
          'was refused. If the change is expected, remove the old key from known_hosts and connect again.',
        context.hop,
      );
    case 'unknown':
      break;
  }

  const caNote =
    untrustedCaFingerprint === undefined
      ? ''
      : ` (its host certificate is signed by ${untrustedCaFingerprint}, which is not one of the site's host CAs)`;
  if (!policy.onUnknownKey) {
    throw new SshError(
      untrustedCaFingerprint === undefined ? 'host-key-unknown' : 'host-ca-not-trusted',
      `Unknown host key for ${name}: ${key.type} ${fingerprint}${caNote}; run with ` +
        '--accept-new-host-key or trust it in the app after checking the fingerprint.',
      context.hop,
    );
  }
  const decision = await policy.onUnknownKey({
    host,
    port,
    keyType: key.type,
    fingerprint,
    ...(untrustedCaFingerprint === undefined ? {} : { untrustedCaFingerprint }),
  });
  if (decision === 'once') return { kind: 'trusted-once', keyType: key.type, fingerprint };
  if (decision === 'remember') {
    return {
      kind: 'remembered',
      keyType: key.type,
      fingerprint,
      rememberLine: formatKnownHostsLine(host, port, key),
    };
  }
  throw new SshError(
    'host-key-rejected',
    `The host key of ${name} (${fingerprint}) was not trusted, so the connection was cancelled.`,
    context.hop,
  );
}

export interface HostVerifier {
  /** Pass as ssh2's `hostVerifier`. */
  hostVerifier: (key: Buffer, verify: (permitted: boolean) => void) => void;
  outcome(): HostKeyOutcome | undefined;
  /** Why the key was refused (ssh2 itself only says "Host denied"). */
  refusal(): SshError | undefined;
}

/**
 * Builds ssh2's verifier. `onPrompt(true/false)` brackets a question to the user, so the caller
 * can pause its handshake timer while a person reads a fingerprint.
 */
export function createHostVerifier(
  context: HostKeyContext,
  onPrompt: (waiting: boolean) => void = () => undefined,
): HostVerifier {
  let outcome: HostKeyOutcome | undefined;
  let refusal: SshError | undefined;
  const policy: HostKeyPolicy = {
    ...context.policy,
    ...(context.policy.onUnknownKey
      ? {
          onUnknownKey: async (info: UnknownHostKeyInfo) => {
            onPrompt(true);
            try {
              return await (
                context.policy.onUnknownKey as NonNullable<HostKeyPolicy['onUnknownKey']>
              )(info);
            } finally {
              onPrompt(false);
            }
          },
        }
      : {}),
  };
  return {
    hostVerifier: (key, verifyNow) => {
      // ssh2 may have torn the connection down meanwhile (a failed key exchange signature);
      // answering it then throws inside ssh2, and must not take the process with it.
      const verify = (permitted: boolean) => {
        try {
          verifyNow(permitted);
        } catch {
          // the connection is already gone; its own error was reported
        }
      };
      judgeHostKey(key, { ...context, policy }).then(
        (result) => {
          outcome = result;
          verify(true);
        },
        (error: unknown) => {
          refusal =
            error instanceof SshError
              ? error
              : new SshError(
                  'host-key-rejected',
                  `The host key of ${hostName(context)} could not be checked: ${String(error)}.`,
                  context.hop,
                  { cause: error },
                );
          verify(false);
        },
      );
    },
    outcome: () => outcome,
    refusal: () => refusal,
  };
}
