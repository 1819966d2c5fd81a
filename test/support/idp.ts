/**
 * A real OpenID Connect provider (oidc-provider 9) on 127.0.0.1 for tests, e2e and the sandbox.
 *
 *   const idp = await startIdp({
 *     users: [{ sub: 'alice', email: 'alice@example.org', name: 'Alice' }],
 *     clients: [nativeClient('onehop')],               // public + PKCE, any loopback port
 *   });
 *   idp.issuer;                                       // http://127.0.0.1:<port>
 *   await idp.registerClient(webClient('teleport', 'secret', 'http://127.0.0.1:9/v1/webapi/oidc/callback'));
 *   idp.denyNext('access_denied');                    // the next login fails at the IdP
 *   await idp.close();
 *
 * Login is automatic: the interaction route (`/interaction/<uid>`) logs the user in and grants
 * every requested scope without showing a form, so a non-interactive browser
 * (test/support/browserStandIn.ts) only has to follow redirects. The user is the one named by
 * `login_hint` (sub or email) if any, else the one set with `setNextUser`, else the first.
 *
 * Refresh tokens: the client must allow the `refresh_token` grant (nativeClient does) and the
 * authorization request must carry `offline_access` and `prompt=consent` (oidc-provider drops
 * `offline_access` otherwise, as the spec says). ID tokens carry email/profile claims
 * (`conformIdTokenClaims: false`). PKCE S256 is required for public clients (oidc-provider's
 * default) and optional for confidential ones. Nothing here contacts a non-loopback address.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type InteractionResult } from 'oidc-provider';

export interface IdpUser {
  sub: string;
  email: string;
  name: string;
  /** Put in the ID token as `preferred_username` when set. */
  preferredUsername?: string;
}

/** Lifetimes in seconds; short ones let tests see expiry. */
export interface IdpTtls {
  idToken?: number;
  accessToken?: number;
  refreshToken?: number;
  authorizationCode?: number;
  session?: number;
  interaction?: number;
  grant?: number;
}

export interface IdpOptions {
  users?: IdpUser[];
  clients: ClientMetadata[];
  ttl?: IdpTtls;
}

export interface Idp {
  /** `http://127.0.0.1:<port>`, no trailing slash; discovery at `/.well-known/openid-configuration`. */
  issuer: string;
  port: number;
  /** Adds (or replaces) a client at runtime. */
  registerClient(client: ClientMetadata): Promise<void>;
  /** The next login attempt ends with this OAuth error (e.g. `access_denied`) instead of a login. */
  denyNext(error?: string, description?: string): void;
  /** Log in as this user (sub) from now on, unless a `login_hint` names another. */
  setNextUser(sub: string): void;
  /** Completed logins (interactions that logged a user in), for assertions. */
  readonly logins: number;
  /** Errors oidc-provider reported (server_error, grant.error, …), for diagnostics. */
  readonly errors: string[];
  close(): Promise<void>;
}

export const DEFAULT_USER: IdpUser = {
  sub: 'alice',
  email: 'alice@example.org',
  name: 'Alice Example',
  preferredUsername: 'alice',
};

/**
 * A public native client as RFC 8252 apps use it: loopback redirect on any port
 * (`http://127.0.0.1/callback` matches every port for native clients), no secret, PKCE S256,
 * refresh tokens allowed.
 */
export function nativeClient(
  clientId: string,
  redirectUris: string[] = ['http://127.0.0.1/callback'],
): ClientMetadata {
  return {
    client_id: clientId,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

/** A confidential web client (e.g. a Teleport emulator's own relying-party step). */
export function webClient(
  clientId: string,
  clientSecret: string,
  redirectUris: string[],
  authMethod: 'client_secret_basic' | 'client_secret_post' = 'client_secret_basic',
): ClientMetadata {
  return {
    client_id: clientId,
    client_secret: clientSecret,
    application_type: 'web',
    token_endpoint_auth_method: authMethod,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

function claimsOf(user: IdpUser): Record<string, unknown> {
  return {
    sub: user.sub,
    email: user.email,
    email_verified: true,
    name: user.name,
    ...(user.preferredUsername ? { preferred_username: user.preferredUsername } : {}),
  };
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startIdp(options: IdpOptions): Promise<Idp> {
  const users = options.users?.length ? options.users : [DEFAULT_USER];
  const ttl = options.ttl ?? {};
  let nextUser: string | undefined;
  let deny: { error: string; description: string } | undefined;
  let logins = 0;
  const errors: string[] = [];

  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  // The issuer must contain the port, so the provider is built after listen().
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  });
  const provider = new Provider(issuer, {
    clients: options.clients,
    jwks: { keys: [{ ...signingKey, kid: 'idp-test-rs256', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    issueRefreshToken: (_ctx: unknown, client: ClientLike, code: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx: unknown, id: string) => {
      const user = users.find((u) => u.sub === id);
      return user ? { accountId: user.sub, claims: () => claimsOf(user) } : undefined;
    },
    ttl: {
      IdToken: ttl.idToken ?? 3600,
      AccessToken: ttl.accessToken ?? 3600,
      RefreshToken: ttl.refreshToken ?? 86_400,
      AuthorizationCode: ttl.authorizationCode ?? 60,
      Session: ttl.session ?? 86_400,
      Interaction: ttl.interaction ?? 600,
      Grant: ttl.grant ?? 86_400,
    },
  });
  for (const event of [
    'server_error',
    'grant.error',
    'authorization.error',
    'refresh_token.error',
  ]) {
    provider.on(event, (...args: unknown[]) => {
      const error = args.find((a) => a instanceof Error);
      if (errors.length < 100) errors.push(`${event}: ${error?.message ?? 'unknown'}`);
    });
  }

  const pickUser = (hint: unknown): IdpUser => {
    const byHint = users.find((u) => u.sub === hint || u.email === hint);
    const byNext = users.find((u) => u.sub === nextUser);
    return byHint ?? byNext ?? (users[0] as IdpUser);
  };

  // Auto-login and auto-consent: no forms, only redirects.
  const interact = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    let result: InteractionResult;
    if (deny) {
      result = { error: deny.error, error_description: deny.description };
      deny = undefined;
    } else if (details.prompt.name === 'login') {
      logins += 1;
      result = { login: { accountId: pickUser(details.params.login_hint).sub } };
    } else {
      const accountId = details.session?.accountId ?? pickUser(details.params.login_hint).sub;
      const clientId = String(details.params.client_id);
      const grant =
        (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
        new provider.Grant({ accountId, clientId });
      const scope = typeof details.params.scope === 'string' ? details.params.scope : 'openid';
      grant.addOIDCScope(scope);
      const missing = details.prompt.details.missingOIDCClaims;
      if (Array.isArray(missing)) grant.addOIDCClaims(missing.map(String));
      result = { consent: { grantId: await grant.save() } };
    }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  };

  const callback = provider.callback();
  handler = (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (/^\/interaction\/[^/]+$/.test(path) && req.method === 'GET') {
      interact(req, res).catch((error: unknown) => {
        errors.push(`interaction: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('Interaction failed.\n');
      });
      return;
    }
    callback(req, res);
  };

  let closing: Promise<void> | undefined;
  return {
    issuer,
    port,
    async registerClient(client) {
      await provider.Client.adapter.upsert(client.client_id, client);
      // Validates the metadata now rather than at the first authorization request.
      await provider.Client.find(client.client_id);
    },
    denyNext(error = 'access_denied', description = 'The user denied the request.') {
      deny = { error, description };
    },
    setNextUser(sub) {
      if (!users.some((u) => u.sub === sub)) throw new Error(`No IdP user with sub ${sub}.`);
      nextUser = sub;
    },
    get logins() {
      return logins;
    },
    errors,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

interface ClientLike {
  grantTypeAllowed(type: string): boolean;
}
