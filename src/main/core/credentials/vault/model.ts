/**
 * What the vault stores per site: the user's private key and the certificates issued for it.
 * The record is validated with zod on every write and every read, so a malformed file or a buggy
 * caller can never hand a half-formed credential to SSH.
 */
import { z } from 'zod';
import { NameSchema } from '../../../../shared/model/settings';

/** A host certificate authority a cluster advertised at sign-in (Teleport `host_signers`). */
export const HostSignerSchema = z.object({
  clusterName: z.string().min(1),
  /** OpenSSH public keys (authorized_keys format) that sign the cluster's host certificates. */
  checkingKeys: z.array(z.string().min(1)),
  /** PEM certificates of the cluster's TLS CA. */
  tlsCerts: z.array(z.string().min(1)),
});
export type HostSigner = z.infer<typeof HostSignerSchema>;

export const CredentialIssuerSchema = z.enum(['teleport', 'oidc-ca', 'tsh']);
export type CredentialIssuer = z.infer<typeof CredentialIssuerSchema>;

export const SiteCredentialsSchema = z.object({
  /** Who issued the certificate: a Teleport proxy, an OIDC-fronted CA, or an imported `tsh` login. */
  issuer: CredentialIssuerSchema,
  username: z.string().min(1, 'must not be empty'),
  privateKeyPem: z
    .string()
    .regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'must be a PEM private key'),
  /** The SSH user certificate as one authorized_keys line: `<type>-cert-v01@openssh.com <base64>`. */
  certificate: z
    .string()
    .regex(
      /^[a-z0-9-]+-cert-v01@openssh\.com [A-Za-z0-9+/]+=*( [^\n]*)?$/,
      'must be an OpenSSH certificate line (…-cert-v01@openssh.com AAAA…)',
    ),
  tlsCertificatePem: z
    .string()
    .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate')
    .optional(),
  hostSigners: z.array(HostSignerSchema).optional(),
  /** OIDC refresh token for silent renewal (oidc-ca sites). */
  refreshToken: z.string().min(1).optional(),
  /** When the credentials were obtained, ISO-8601. */
  obtainedAt: z.iso.datetime({ offset: true }),
  /** Issuer-specific odds and ends that must stay secret (never settings material). */
  extra: z.record(z.string(), z.string()).optional(),
});
export type SiteCredentials = z.infer<typeof SiteCredentialsSchema>;

/** The decrypted vault content: site name → credentials. */
export const VaultContentSchema = z.record(NameSchema, SiteCredentialsSchema);
export type VaultContent = z.infer<typeof VaultContentSchema>;

export { NameSchema as SiteNameSchema };
