/**
 * The OIDC + SSH CA issuer (sites without Teleport): sign in at the site's OpenID Connect
 * provider with Authorization Code + PKCE over an RFC 8252 loopback redirect, then trade the ID
 * token for an SSH user certificate at a step-ca compatible CA. With a refresh token (sites that
 * allow `offline_access`) `renew` repeats the trade without the browser, with a new key each time.
 *
 * Nothing is returned unless the CA's certificate is a user certificate for exactly the key
 * generated here, validly signed.
 */
import * as client from 'openid-client';
import type { OidcCaSite, Site } from '../../../../shared/model/settings';
import type { HostSigner, SiteCredentials } from '../../credentials/vault';
import {
  certificateMatchesKey,
  generateKeyPair,
  parseCertificateBlob,
  SshFormatError,
  verifyCertificateSignature,
} from '../../credentials/sshKeys';
import type {
  Issuer,
  IssuedCredentials,
  SignInInteraction,
  SignInOptions,
  SignInResult,
} from '../issuer';
import { isLoopbackHost } from '../teleport/http';
import { cancelled, clip, networkCause, OidcSignInError } from './errors';
import { startLoopbackRedirect } from './loopbackRedirect';
import { principalsFromClaims, usernameFromClaims } from './principals';
import { fetchSshRoots, signUserKey } from './stepCaClient';

/** Certificate lifetime asked for when the caller names none (the CA may shorten it). */
export const DEFAULT_OIDC_CERT_TTL_MS = 12 * 60 * 60 * 1000;
const HTTP_TIMEOUT_SECONDS = 30;
const BASE_SCOPES = ['openid', 'email', 'profile'];

function asOidcSite(site: Site): OidcCaSite {
  if (site.kind !== 'oidc-ca') {
    throw new OidcSignInError('invalid-input', `Site ${site.name} is not an OIDC + SSH CA site.`);
  }
  return site;
}

/** https everywhere; plain http only to a literal loopback address (tests, local sandboxes). */
function checkedUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OidcSignInError('invalid-input', `The ${what} "${clip(raw, 100)}" is not a URL.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new OidcSignInError(
    'invalid-input',
    `The ${what} ${url.origin} must use https (plain http is allowed only for loopback addresses); fix the site settings.`,
  );
}

function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e.message === 'fetch failed' || e.name === 'TimeoutError') return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) {
      return code !== 'ERR_INVALID_ARG_TYPE';
    }
    e = e.cause;
  }
  return false;
}

function withSignal(signal: AbortSignal): client.CustomFetch {
  return (url, init) =>
    fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

async function discover(site: OidcCaSite, signal: AbortSignal): Promise<client.Configuration> {
  const issuer = checkedUrl(site.oidc.issuer, 'identity provider URL');
  try {
    return await client.discovery(issuer, site.oidc.clientId, undefined, client.None(), {
      // Only reached for literal loopback issuers (checkedUrl): TLS everywhere else.
      execute: issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
      [client.customFetch]: withSignal(signal),
      timeout: HTTP_TIMEOUT_SECONDS,
    });
  } catch (error) {
    if (signal.aborted) throw cancelled();
    if (isNetworkError(error)) {
      throw new OidcSignInError(
        'idp-unreachable',
        `The identity provider at ${issuer.origin} could not be reached (${clip(networkCause(error), 160)}); check your network and the site's issuer URL.`,
        { cause: error },
      );
    }
    throw new OidcSignInError(
      'discovery',
      `The identity provider at ${issuer.origin} did not offer a usable OpenID configuration (${clip(error instanceof Error ? error.message : String(error), 200)}); check the site's issuer URL.`,
      { cause: error },
    );
  }
}

/** Token-endpoint failures (code exchange, refresh) in plain words. */
function tokenError(error: unknown, signal: AbortSignal, refreshing: boolean): OidcSignInError {
  if (signal.aborted) return cancelled();
  if (error instanceof OidcSignInError) return error;
  if (isNetworkError(error)) {
    return new OidcSignInError(
      'idp-unreachable',
      `The identity provider could not be reached (${clip(networkCause(error), 160)}); check your network and try again.`,
      { cause: error },
    );
  }
  if (error instanceof client.ResponseBodyError) {
    const detail = clip(
      `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`,
      200,
    );
    if (refreshing) {
      return new OidcSignInError(
        'refresh-refused',
        `The identity provider no longer accepts the saved sign-in (${detail}); sign in again.`,
        { cause: error },
      );
    }
    return new OidcSignInError(
      'callback',
      `The identity provider refused the sign-in code (${detail}); sign in again.`,
      { cause: error },
    );
  }
  const message = clip(error instanceof Error ? error.message : String(error), 200);
  return new OidcSignInError(
    refreshing ? 'refresh-refused' : 'callback',
    `The identity provider's token response was not valid (${message}); sign in again.`,
    { cause: error },
  );
}

interface IdentityTokens {
  idToken: string;
  claims: Record<string, unknown>;
  refreshToken?: string;
}

function identityOf(
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
  refreshing: boolean,
): IdentityTokens {
  const claims = tokens.claims();
  if (!tokens.id_token || !claims) {
    throw new OidcSignInError(
      refreshing ? 'refresh-refused' : 'callback',
      refreshing
        ? 'The identity provider renewed the sign-in without an ID token, which the SSH CA needs; sign in again.'
        : 'The identity provider sent no ID token, which the SSH CA needs; check that the client may use the "openid" scope.',
    );
  }
  return {
    idToken: tokens.id_token,
    claims,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
  };
}

export class OidcCaIssuer implements Issuer {
  readonly kind = 'oidc-ca' as const;

  async signIn(
    anySite: Site,
    options: SignInOptions,
    interaction: SignInInteraction,
  ): Promise<SignInResult> {
    const site = asOidcSite(anySite);
    const { signal } = interaction;
    checkedUrl(site.caUrl, 'SSH CA URL');
    if (signal.aborted) throw cancelled();

    interaction.onProgress('discovering');
    const config = await discover(site, signal);

    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const redirect = await startLoopbackRedirect({
      host: site.oidc.redirectHost,
      path: site.oidc.redirectPath,
      expectedState: state,
    });
    let callbackUrl: URL;
    try {
      const offline = site.oidc.allowOfflineAccess;
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirect.redirectUri,
        scope: [...BASE_SCOPES, ...(offline ? ['offline_access'] : [])].join(' '),
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        // Most providers (oidc-provider, Google, Keycloak) issue a refresh token only when the
        // user is asked for consent in the same request.
        ...(offline ? { prompt: 'consent' } : {}),
      });
      const waiting = redirect.waitForResult({
        signal,
        ...(options.callbackTimeoutMs ? { timeoutMs: options.callbackTimeoutMs } : {}),
      });
      interaction.onProgress('waiting-for-browser', { url: url.href });
      // A browser that fails to open is not the end: the URL is shown for copying.
      interaction.openBrowser(url.href).catch((error: unknown) => {
        interaction.onWarning(
          `The browser could not be opened (${clip(error instanceof Error ? error.message : String(error), 160)}); open the sign-in link yourself.`,
        );
      });
      callbackUrl = await waiting;
    } finally {
      await redirect.close();
    }

    interaction.onProgress('exchanging');
    let identity: IdentityTokens;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      identity = identityOf(tokens, false);
    } catch (error) {
      throw tokenError(error, signal, false);
    }

    let hostSigners: HostSigner[] | undefined;
    try {
      hostSigners = await this.hostSigners(site, signal);
    } catch (error) {
      if (signal.aborted) throw cancelled();
      const message = error instanceof Error ? error.message : String(error);
      interaction.onWarning(`${message} Host certificates of this site cannot be checked yet.`);
    }

    interaction.onProgress('generating-keys');
    const credentials = await this.certify(site, identity, options, signal, hostSigners);
    return { credentials };
  }

  async renew(
    anySite: Site,
    stored: SiteCredentials,
    options: SignInOptions & { signal: AbortSignal },
  ): Promise<SignInResult | undefined> {
    const site = asOidcSite(anySite);
    if (!stored.refreshToken) return undefined;
    const { signal } = options;
    checkedUrl(site.caUrl, 'SSH CA URL');
    if (signal.aborted) throw cancelled();
    const config = await discover(site, signal);
    let identity: IdentityTokens;
    try {
      identity = identityOf(await client.refreshTokenGrant(config, stored.refreshToken), true);
    } catch (error) {
      throw tokenError(error, signal, true);
    }
    // Providers that do not rotate refresh tokens keep the old one valid.
    identity.refreshToken ??= stored.refreshToken;
    let hostSigners = stored.hostSigners;
    try {
      hostSigners = await this.hostSigners(site, signal);
    } catch {
      if (signal.aborted) throw cancelled();
      // Keep the host CAs from the last sign-in; renewal is not the moment to fail over them.
    }
    const credentials = await this.certify(site, identity, options, signal, hostSigners);
    return { credentials };
  }

  private async hostSigners(site: OidcCaSite, signal: AbortSignal): Promise<HostSigner[]> {
    const roots = await fetchSshRoots(site.caUrl, signal);
    return [{ clusterName: site.name, checkingKeys: roots.hostKeys, tlsCerts: [] }];
  }

  /** New key pair → CA signature → checks. */
  private async certify(
    site: OidcCaSite,
    identity: IdentityTokens,
    options: SignInOptions,
    signal: AbortSignal,
    hostSigners: HostSigner[] | undefined,
  ): Promise<IssuedCredentials> {
    const principals = principalsFromClaims(identity.claims);
    const username = usernameFromClaims(identity.claims);
    const keys = await generateKeyPair({ type: 'ssh-ed25519', comment: username });
    if (signal.aborted) throw cancelled();
    const blob = await signUserKey({
      caUrl: site.caUrl,
      publicKeyBlob: keys.publicKeyBlob,
      ott: identity.idToken,
      principals,
      ttlMs: options.ttlMs ?? DEFAULT_OIDC_CERT_TTL_MS,
      signal,
    });
    let cert;
    try {
      cert = parseCertificateBlob(blob);
    } catch (error) {
      const reason = error instanceof SshFormatError ? error.message : 'unreadable';
      throw new OidcSignInError(
        'certificate',
        `The SSH CA returned something that is not a valid SSH certificate (${clip(reason, 160)}); ask the CA's administrators.`,
      );
    }
    if (cert.type !== 'user') {
      throw new OidcSignInError(
        'certificate',
        "The SSH CA returned a host certificate instead of a user certificate; ask the CA's administrators.",
      );
    }
    if (!certificateMatchesKey(cert, keys.publicKey)) {
      throw new OidcSignInError(
        'certificate',
        'The SSH CA returned a certificate for a different key than the one OneHop generated; nothing was saved — sign in again.',
      );
    }
    const check = verifyCertificateSignature(cert);
    if (!check.valid || check.sha1) {
      throw new OidcSignInError(
        'certificate',
        `The SSH certificate's CA signature is ${check.sha1 ? 'SHA-1 (refused)' : 'not valid'}; ask the CA's administrators.`,
      );
    }
    return {
      issuer: 'oidc-ca',
      username,
      privateKeyPem: keys.privateKeyPem,
      certificate: `${cert.certType} ${blob.toString('base64')}`,
      ...(hostSigners ? { hostSigners } : {}),
      ...(identity.refreshToken ? { refreshToken: identity.refreshToken } : {}),
    };
  }
}
