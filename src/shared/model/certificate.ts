/**
 * The certificate status of a site, as every UI shows it: the window's countdown, the tray, the
 * CLI's `status`. Computed by the core from the stored certificate; the UIs only tick the
 * countdown between updates from `validBefore`.
 */
import { z } from 'zod';

export const CertificateStateSchema = z.enum([
  'signed-out',
  'valid',
  'expiring',
  'expired',
  'not-yet-valid',
]);
export type CertificateState = z.infer<typeof CertificateStateSchema>;

export const SignInPhaseSchema = z.enum([
  'discovering',
  'generating-keys',
  'waiting-for-browser',
  'exchanging',
  'renewing',
]);
export type SignInPhase = z.infer<typeof SignInPhaseSchema>;

export const SiteStatusSchema = z.object({
  site: z.string(),
  kind: z.enum(['teleport', 'oidc-ca', 'tsh']),
  /** Where the site signs in: the proxy's web address or the OIDC site's bastion. */
  proxy: z.string(),
  state: CertificateStateSchema,
  user: z.string().nullable(),
  /** Principals the certificate allows, Teleport-internal ones hidden. */
  logins: z.array(z.string()),
  validAfter: z.string().nullable(),
  validBefore: z.string().nullable(),
  /** Seconds until `validBefore` at the time of computing; negative once expired. */
  remainingSeconds: z.number().nullable(),
  /** OpenSSH name of the user key type: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  keyType: z.string().nullable(),
  caFingerprint: z.string().nullable(),
  permissions: z.object({
    pty: z.boolean(),
    portForwarding: z.boolean(),
    x11Forwarding: z.boolean(),
    agentForwarding: z.boolean(),
  }),
  obtainedAt: z.string().nullable(),
  /** Set when the last certificate came from a silent renewal (OIDC refresh token). */
  renewedAutomaticallyAt: z.string().nullable(),
  /** Whether renewal can happen without the browser (a refresh token is stored). */
  canRenewSilently: z.boolean(),
  /** A sign-in in progress, with the URL to copy when no browser opened. */
  signingIn: z
    .object({ phase: SignInPhaseSchema, url: z.string().nullable(), startedAt: z.string() })
    .nullable(),
  /** The last sign-in failure or a stored-credential problem, in plain words. */
  problem: z.string().nullable(),
});
export type SiteStatus = z.infer<typeof SiteStatusSchema>;

export const VaultModeSchema = z.enum(['keychain', 'session-only', 'unopened']);

/**
 * The one clock rule for a certificate with `msLeft` until `validBefore`: the core uses it to
 * compute a status, the window and the tray to tick it between the core's updates.
 */
export function expiryState(
  msLeft: number,
  expiringThresholdMs: number,
): 'valid' | 'expiring' | 'expired' {
  if (msLeft <= 0) return 'expired';
  return msLeft <= expiringThresholdMs ? 'expiring' : 'valid';
}

/** Whole seconds until `validBefore` at `nowMs`, or null when the certificate has no end. */
export function secondsLeft(status: SiteStatus, nowMs: number): number | null {
  if (!status.validBefore) return null;
  return Math.floor((Date.parse(status.validBefore) - nowMs) / 1000);
}

/**
 * A status as of `nowMs` (for UIs that tick every second). Signed-out and not-yet-valid come
 * from the core, which announces when a certificate becomes valid.
 */
export function stateAt(
  status: SiteStatus,
  nowMs: number,
  expiringThresholdMs: number,
): CertificateState {
  if (status.state === 'signed-out' || status.state === 'not-yet-valid') return status.state;
  if (!status.validBefore) return status.state;
  return expiryState(Date.parse(status.validBefore) - nowMs, expiringThresholdMs);
}
