/** Test-only: a decrypted `SSHLoginResponse` as the proxy marshals it (teleport-sso.md §2e). */
import { randomBytes } from 'node:crypto';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export const SSH_CERT_LINE = `ssh-ed25519-cert-v01@openssh.com ${randomBytes(300).toString('base64')}`;
export const TLS_CERT_PEM = `-----BEGIN CERTIFICATE-----\n${randomBytes(60).toString('base64')}\n-----END CERTIFICATE-----\n`;
export const HOST_CA_LINE = `ssh-ed25519 ${randomBytes(51).toString('base64')}`;

export function loginResponseJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    username: 'alice@example.com',
    cert: b64(`${SSH_CERT_LINE}\n`),
    tls_cert: b64(TLS_CERT_PEM),
    host_signers: [
      {
        domain_name: 'example-cluster',
        checking_keys: [b64(`${HOST_CA_LINE}\n`)],
        tls_certs: [b64(TLS_CERT_PEM)],
      },
      { domain_name: 'leaf', checking_keys: null, tls_certs: null },
    ],
    samlSingleLogoutEnabled: false,
    token: '',
    mfa_token: '',
    ...overrides,
  });
}
