/**
 * The emulator's OIDC relying-party step (what Teleport's OIDC connector does between the console
 * request and the sealed callback): Authorization Code with state and nonce, PKCE S256 with the
 * client-supplied verifier when the connector has `pkce_mode: enabled` (teleport-sso.md §1c).
 */
import * as oidc from 'openid-client';

export interface IdpSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** How the emulator authenticates at the token endpoint; oidc-provider's default is basic. */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** The ID token claim that becomes the Teleport username (connector `username_claim`). */
  usernameClaim?: string;
  scopes?: string[];
}

export interface RelyingParty {
  authorizationUrl(params: {
    state: string;
    nonce: string;
    codeVerifier?: string;
  }): Promise<string>;
  /** Exchanges the code of the IdP callback; resolves with the Teleport username. */
  finish(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier?: string },
  ): Promise<string>;
}

export function createRelyingParty(idp: IdpSettings, redirectUri: string): RelyingParty {
  let configuration: Promise<oidc.Configuration> | undefined;
  // Discovery is lazy so an IdP client can be registered after the emulator knows its port.
  const config = () => {
    configuration ??= (async () => {
      const auth =
        idp.tokenEndpointAuthMethod === 'client_secret_post'
          ? oidc.ClientSecretPost(idp.clientSecret)
          : oidc.ClientSecretBasic(idp.clientSecret);
      const insecure = new URL(idp.issuer).protocol === 'http:';
      return oidc.discovery(
        new URL(idp.issuer),
        idp.clientId,
        undefined,
        auth,
        insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
    })();
    configuration.catch(() => {
      configuration = undefined; // retry discovery next time
    });
    return configuration;
  };

  return {
    async authorizationUrl({ state, nonce, codeVerifier }) {
      const params: Record<string, string> = {
        redirect_uri: redirectUri,
        scope: (idp.scopes ?? ['openid', 'email', 'profile']).join(' '),
        response_type: 'code',
        state,
        nonce,
      };
      if (codeVerifier) {
        params.code_challenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
        params.code_challenge_method = 'S256';
      }
      return oidc.buildAuthorizationUrl(await config(), params).href;
    },
    async finish(callbackUrl, checks) {
      const tokens = await oidc.authorizationCodeGrant(await config(), callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      const claimName = idp.usernameClaim ?? 'email';
      const username = claims?.[claimName] ?? claims?.sub;
      if (typeof username !== 'string' || !username) {
        throw new Error(`the ID token has no "${claimName}" claim`);
      }
      return username;
    },
  };
}
