/**
 * What every certificate issuer (Teleport proxy, OIDC + SSH CA, later HashiCorp Vault SSH)
 * implements. The sign-in service owns the flow around it — progress, cancel, checking the
 * certificate against the generated key, storing in the vault — so an issuer is one module.
 */
import type { Site } from '../../../shared/model/settings';
import type { SiteCredentials } from '../credentials/vault';

/** What an issuer hands back; the service stamps `obtainedAt` and stores it. */
export type IssuedCredentials = Omit<SiteCredentials, 'obtainedAt'>;

export type SignInPhase =
  'discovering' | 'generating-keys' | 'waiting-for-browser' | 'exchanging' | 'renewing';

export interface SignInInteraction {
  /**
   * Open this URL for the user (the host decides how: `$BROWSER`, `shell.openExternal`, …). The
   * URL is also reported through `onProgress`, so it can be shown and copied when no browser opens.
   */
  openBrowser(url: string): Promise<void>;
  onProgress(phase: SignInPhase, detail?: { url?: string }): void;
  /** Something the user should read, e.g. "the proxy runs Teleport 19, newer than tested". */
  onWarning(message: string): void;
  /** Cancel button, Ctrl-C, or the 3-minute browser timeout. */
  signal: AbortSignal;
}

export interface SignInOptions {
  /** Requested certificate lifetime; the issuer applies its own default and limits. */
  ttlMs?: number;
  /** Teleport auth connector (`tsh --auth`). */
  connector?: string;
  /** Loopback redirect/callback timeout; 3 minutes unless a test says otherwise. */
  callbackTimeoutMs?: number;
}

export interface SignInResult {
  credentials: IssuedCredentials;
  /** The issuer's clock minus ours, when it told us its time (HTTP `Date`). */
  clockSkewMs?: number;
}

export interface Issuer {
  readonly kind: Site['kind'];
  /** The interactive sign-in (opens the browser). */
  signIn(site: Site, options: SignInOptions, interaction: SignInInteraction): Promise<SignInResult>;
  /**
   * Renew without the browser when the stored credentials allow it (an OIDC refresh token);
   * `undefined` when this issuer or these credentials cannot.
   */
  renew?(
    site: Site,
    stored: SiteCredentials,
    options: SignInOptions & { signal: AbortSignal },
  ): Promise<SignInResult | undefined>;
}

/**
 * An issuer loaded on first use: the Teleport and OIDC modules (openid-client, key generation)
 * cost a few hundred milliseconds to import, which every CLI command would otherwise pay.
 */
export function lazyIssuer(kind: Issuer['kind'], load: () => Promise<Issuer>): Issuer {
  let loaded: Promise<Issuer> | undefined;
  const issuer = () => (loaded ??= load());
  return {
    kind,
    async signIn(site, options, interaction) {
      return (await issuer()).signIn(site, options, interaction);
    },
    async renew(site, stored, options) {
      return (await issuer()).renew?.(site, stored, options);
    },
  };
}
