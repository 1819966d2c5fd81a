/**
 * Turns stored credentials into the status every UI shows (shared/model/certificate.ts), and
 * tells when that status next changes on its own (valid → expiring → expired), so the service
 * can wake up exactly then instead of polling.
 */
import { expiryState, type SiteStatus } from '../../../shared/model/certificate';
import { siteAddress, type Site } from '../../../shared/model/settings';
import { parseCertificateLine } from '../credentials/sshKeys';
import type { TshProfile } from '../credentials/tsh';
import type { SiteCredentials } from '../credentials/vault';

/** Status entries of `~/.tsh` logins are named like this, apart from OneHop's own sites. */
export const TSH_PREFIX = 'tsh:';

/** Teleport adds these to every certificate; they are not logins a user can pick. */
const INTERNAL_PRINCIPAL = /^-teleport-/;

export interface StatusContext {
  now: Date;
  expiringThresholdMs: number;
  signingIn?: SiteStatus['signingIn'];
  problem?: string | null;
}

export function signedOutStatus(site: Site, context: StatusContext): SiteStatus {
  return {
    site: site.name,
    kind: site.kind,
    proxy: siteAddress(site),
    state: 'signed-out',
    user: null,
    logins: [],
    validAfter: null,
    validBefore: null,
    remainingSeconds: null,
    keyType: null,
    caFingerprint: null,
    permissions: {
      pty: false,
      portForwarding: false,
      x11Forwarding: false,
      agentForwarding: false,
    },
    obtainedAt: null,
    renewedAutomaticallyAt: null,
    canRenewSilently: false,
    signingIn: context.signingIn ?? null,
    problem: context.problem ?? null,
  };
}

export function siteStatus(
  site: Site,
  credentials: SiteCredentials | undefined,
  context: StatusContext,
): SiteStatus {
  const base = signedOutStatus(site, context);
  if (!credentials) return base;
  let cert;
  try {
    cert = parseCertificateLine(credentials.certificate);
  } catch (error) {
    return {
      ...base,
      problem: `The stored certificate cannot be read (${(error as Error).message}); sign in again.`,
    };
  }
  const now = context.now.getTime();
  const after = cert.validAfter?.getTime() ?? Number.NEGATIVE_INFINITY;
  const before = cert.validBefore?.getTime() ?? Number.POSITIVE_INFINITY;
  const state: SiteStatus['state'] =
    now < after ? 'not-yet-valid' : expiryState(before - now, context.expiringThresholdMs);
  return {
    ...base,
    kind: credentials.issuer === 'tsh' ? 'tsh' : site.kind,
    state,
    user: credentials.username,
    logins: cert.principals.filter((p) => !INTERNAL_PRINCIPAL.test(p)),
    validAfter: cert.validAfter?.toISOString() ?? null,
    validBefore: cert.validBefore?.toISOString() ?? null,
    remainingSeconds: Number.isFinite(before) ? Math.floor((before - now) / 1000) : null,
    keyType: cert.publicKey.type,
    caFingerprint: cert.signatureKeyFingerprint,
    permissions: {
      pty: cert.extensions.has('permit-pty'),
      portForwarding: cert.extensions.has('permit-port-forwarding'),
      x11Forwarding: cert.extensions.has('permit-X11-forwarding'),
      agentForwarding: cert.extensions.has('permit-agent-forwarding'),
    },
    obtainedAt: credentials.obtainedAt,
    renewedAutomaticallyAt: credentials.extra?.renewedAutomaticallyAt ?? null,
    canRenewSilently: Boolean(credentials.refreshToken),
  };
}

/**
 * An existing `tsh` login, shown read-only beside OneHop's sites: its countdown comes from the
 * certificate in `~/.tsh`; renewing it is `tsh login`'s job, so a broken one just says why.
 */
export function tshStatus(profile: TshProfile, context: StatusContext): SiteStatus {
  const port = profile.proxy?.webPort ?? 443;
  const pseudoSite: Site = {
    kind: 'teleport',
    name: `${TSH_PREFIX}${profile.name}`,
    proxy: { host: profile.proxy?.host ?? profile.name, webPort: port, sshPort: 3023 },
    hostPatterns: [],
    ssh: { keepaliveIntervalSeconds: 60, rsaSignatureAlgorithms: ['rsa-sha2-512', 'rsa-sha2-256'] },
    handoff: { enabled: true, mode: 'auto' },
  };
  if (!profile.ok) {
    return { ...signedOutStatus(pseudoSite, { ...context, problem: profile.error }), kind: 'tsh' };
  }
  return { ...siteStatus(pseudoSite, profile.credentials, context), kind: 'tsh' };
}

/**
 * The next instant at which some status changes by the clock alone (becomes valid, starts
 * expiring, expires, or crosses a notification mark), or undefined when nothing will.
 */
export function nextTransition(
  statuses: readonly SiteStatus[],
  now: Date,
  marksBeforeExpiryMs: readonly number[],
): Date | undefined {
  let next = Number.POSITIVE_INFINITY;
  const consider = (t: number) => {
    if (t > now.getTime() && t < next) next = t;
  };
  for (const status of statuses) {
    if (status.validAfter) consider(Date.parse(status.validAfter));
    if (!status.validBefore) continue;
    const before = Date.parse(status.validBefore);
    consider(before);
    for (const mark of marksBeforeExpiryMs) consider(before - mark);
  }
  return Number.isFinite(next) ? new Date(next) : undefined;
}
