import { z } from 'zod';
import { TeleportSignInError } from './errors';

/** One trusted cluster from `host_signers` (Teleport `TrustedCerts`), decoded. */
export interface HostSigner {
  clusterName: string;
  /** Host CA public keys as authorized_keys lines (for `@cert-authority`). */
  checkingKeys: string[];
  /** Cluster TLS CA certificates, PEM. */
  tlsCertsPem: string[];
}

/** The decrypted `SSHLoginResponse` (teleport-sso.md §2e), with the Go `[]byte`s decoded. */
export interface TeleportLogin {
  username: string;
  /** The SSH user certificate as an authorized_keys line, without the trailing newline. */
  sshCertificate: string;
  /** The TLS user certificate, PEM. */
  tlsCertificatePem: string;
  hostSigners: HostSigner[];
}

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A Go `[]byte`: standard base64 with padding, decoded to text. */
const goBytes = z.string({ error: 'is missing' }).transform((value, ctx) => {
  const compact = value.replace(/[\r\n]/g, '');
  if (!STD_BASE64.test(compact)) {
    ctx.addIssue({ code: 'custom', message: 'is not standard base64' });
    return z.NEVER;
  }
  return Buffer.from(compact, 'base64').toString('utf8');
});

// Go marshals nil slices as null.
const goList = z
  .array(goBytes)
  .nullish()
  .transform((list) => list ?? []);

// Unknown fields (samlSingleLogoutEnabled, token, mfa_token, …) are dropped, not refused.
const responseSchema = z.object({
  username: z.string({ error: 'is missing' }).min(1, 'is empty'),
  cert: goBytes,
  tls_cert: goBytes,
  host_signers: z
    .array(
      z.object({
        domain_name: z.string({ error: 'is missing' }).min(1, 'is empty'),
        checking_keys: goList,
        tls_certs: goList,
      }),
    )
    .nullish()
    .transform((list) => list ?? []),
});

const CERT_LINE = /^[a-z0-9-]+-cert-v01@openssh\.com [A-Za-z0-9+/]+={0,2}(?: .*)?$/;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;

function malformed(detail: string): TeleportSignInError {
  return new TeleportSignInError(
    'callback',
    `The sign-in response from the proxy is incomplete (${detail}); sign in again, and ask your administrators if it keeps failing.`,
  );
}

/** Parses the decrypted plaintext; refuses anything that is not a usable login. */
export function parseLoginResponse(plaintext: Buffer | string): TeleportLogin {
  let json: unknown;
  try {
    json = JSON.parse(plaintext.toString()) as unknown;
  } catch {
    throw malformed('not JSON');
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(`"${issue?.path.join('.') ?? ''}" ${issue?.message ?? 'is invalid'}`);
  }
  const data = parsed.data;
  const sshCertificate = data.cert.trim();
  if (!CERT_LINE.test(sshCertificate)) throw malformed('"cert" is not an OpenSSH certificate');
  if (!PEM_CERT.test(data.tls_cert)) throw malformed('"tls_cert" is not a PEM certificate');
  return {
    username: data.username,
    sshCertificate,
    tlsCertificatePem: data.tls_cert,
    hostSigners: data.host_signers.map((signer) => ({
      clusterName: signer.domain_name,
      checkingKeys: signer.checking_keys.map((key) => key.trim()).filter(Boolean),
      tlsCertsPem: signer.tls_certs,
    })),
  };
}
