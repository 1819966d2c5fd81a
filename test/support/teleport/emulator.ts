/**
 * A Teleport proxy emulator on 127.0.0.1 for integration tests, e2e and the sandbox. It follows
 * teleport-sso.md for the chosen version:
 *
 *   const idp = await startIdp({ clients: [] });
 *   const proxy = await startTeleportEmulator({
 *     version: '17.2.0', suite: 'balanced-v1',
 *     idp: { issuer: idp.issuer, clientId: 'teleport', clientSecret: 's3cret' },
 *   });
 *   await idp.registerClient(webClient('teleport', 's3cret', [proxy.oidcRedirectUri]));
 *   // client: GET proxy.webUrl/webapi/ping, POST /webapi/oidc/login/console, open redirect_url …
 *   proxy.nextResponse = 'tampered';   // fault injection for the next callback
 *   await proxy.close();
 *
 * Routes: `GET /webapi/ping[/<connector>]`, `GET /webapi/find`, `POST /webapi/oidc/login/console`
 * (also under `/v1`), the IdP callback `GET /v1/webapi/oidc/callback`, and the `/web/msg/…`
 * pages the client's callback server sends the browser to. The proxy is itself an OIDC relying
 * party of `idp` (Authorization Code, state, nonce; PKCE S256 with the client's verifier when
 * `pkceMode` is enabled). On the IdP callback it signs the SSH key with `ssh-keygen`, issues the
 * TLS certificate with `openssl`, seals the SSHLoginResponse with the client's `secret_key`, and
 * sends the browser to `…/callback?response=…` through a meta-refresh page (§2c); on an IdP error
 * it sends `…/callback?err=…&secret_key=…` (the newer behaviour).
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { seal } from '../../../src/main/core/signin/teleport/sealed';
import { createAuthority, type Authority, type CaAlgorithm } from './authority';
import {
  ProxyError,
  validateConsoleRequest,
  type ConsoleLogin,
  type ConsoleRules,
  type KeyKind,
} from './consoleRequest';
import { findBody, pingBody, type PingSettings } from './ping';
import { createRelyingParty, type IdpSettings } from './relyingParty';
import { createWebTls, type WebTls } from './webTls';

export type EmulatorSuite = 'legacy' | 'balanced-v1' | 'fips-v1' | 'hsm-v1';

/** What the next IdP callback does instead of a correct sealed response. */
export type EmulatorFault =
  /** One byte of the ciphertext flipped: the GCM tag no longer matches. */
  | 'tampered'
  /** Sealed with a different random key. */
  | 'wrong-key'
  /** Sealed correctly, but the plaintext is not JSON. */
  | 'malformed-json'
  /** A valid response whose SSH certificate certifies another key. */
  | 'cert-for-other-key'
  /** `…/callback?err=…&secret_key=…` as after an IdP failure. */
  | 'err';

export interface TeleportEmulatorOptions {
  /** `server_version`, e.g. `16.4.7`, `17.2.0`, `18.0.0`. */
  version: string;
  /** `signature_algorithm_suite`; ignored (omitted) for ≤ 16, default `balanced-v1` for 17+. */
  suite?: EmulatorSuite;
  idp: IdpSettings;
  connectorName?: string;
  connectorDisplay?: string;
  clusterName?: string;
  /** Principals granted besides the internal join principal. */
  logins?: string[];
  roles?: string[];
  /** Role `max_session_ttl`: caps the certificate lifetime. */
  certTtlCapMs?: number;
  /** `auth.private_key_policy`; anything but `none` means hardware keys. */
  privateKeyPolicy?: string;
  authType?: 'oidc' | 'saml' | 'github' | 'local';
  /** `auth.default_session_ttl`; default 12 h. */
  defaultSessionTtlMs?: number;
  sshPublicAddr?: string;
  tlsRoutingEnabled?: boolean;
  /** OIDC connector `pkce_mode`; default enabled for 18+, disabled before. */
  pkceMode?: 'enabled' | 'disabled';
  /** Refuse keys that do not follow the suite (default true; real Teleport: UNVERIFIED). */
  strictKeySuite?: boolean;
  /** Added to the `Date` header, to fake clock skew. */
  clockOffsetMs?: number;
  /** Bind this port (default: a free one). */
  port?: number;
  /** Serve https with a self-signed certificate for 127.0.0.1 (see `webTlsCertPath`). */
  https?: boolean;
}

export interface ConsoleRequestRecord {
  path: string;
  contentType: string | undefined;
  /** The JSON body as sent (undefined when it was not JSON). */
  body: Record<string, unknown> | undefined;
  status: number;
  /** The error message when refused. */
  error?: string;
}

export interface IssuedLogin {
  username: string;
  sshCertificate: string;
  tlsCertificatePem: string;
  /** The decrypted SSHLoginResponse as sent (before any fault). */
  response: Record<string, unknown>;
}

export interface TeleportEmulator {
  /** `http://127.0.0.1:<port>`, or https with the `https` option. */
  webUrl: string;
  /** With `https`: the web certificate, for NODE_EXTRA_CA_CERTS. */
  webTlsCertPath: string | undefined;
  port: number;
  /** The redirect URI to register at the IdP for this proxy. */
  oidcRedirectUri: string;
  clusterName: string;
  version: string;
  /** authorized_keys lines (`type base64`). */
  hostCaPublicKey: string;
  userCaPublicKey: string;
  tlsCaPem: string;
  /** Every console request, in order. */
  requests: ConsoleRequestRecord[];
  /** Ping paths requested. */
  pings: string[];
  /** Logins the emulator issued certificates for. */
  issued: IssuedLogin[];
  /** Fault for the next IdP callback; reset once used. */
  nextResponse: EmulatorFault | undefined;
  /**
   * Changes the `ssh_public_addr` the ping advertises (the proxy's SSH listener is started after
   * the emulator, because its host certificate comes from the emulator's host CA).
   */
  setSshPublicAddr(address: string | undefined): void;
  /** Signs an sshd host key with the host CA; writes `<key>-cert.pub`, returns its line. */
  signHostKey(publicKeyPath: string, principals: string[]): Promise<string>;
  close(): Promise<void>;
}

interface Pending {
  login: ConsoleLogin;
  nonce: string;
  codeVerifier?: string;
  createdAt: number;
}

/** Auth requests expire like Teleport's (defaults.OIDCAuthRequestTTL = 10 min). */
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 100;
const MAX_BODY_BYTES = 1024 * 1024;

const SSH_KEY_BY_ALGORITHM: Record<CaAlgorithm, KeyKind> = {
  rsa: 'ssh-rsa',
  ed25519: 'ssh-ed25519',
  ecdsa: 'ecdsa-sha2-nistp256',
};

/** teleport-sso.md §5a: user and CA key algorithms per suite. */
function suiteKeys(suite: EmulatorSuite | undefined) {
  switch (suite) {
    case 'balanced-v1':
      return { user: 'ed25519', tls: 'ec', sshCa: 'ed25519', tlsCa: 'ecdsa' } as const;
    case 'hsm-v1':
      return { user: 'ed25519', tls: 'ec', sshCa: 'ecdsa', tlsCa: 'ecdsa' } as const;
    case 'fips-v1':
      return { user: 'ecdsa', tls: 'ec', sshCa: 'ecdsa', tlsCa: 'ecdsa' } as const;
    default:
      return { user: 'rsa', tls: 'rsa', sshCa: 'rsa', tlsCa: 'rsa' } as const;
  }
}

function majorOf(version: string): number {
  const match = /^v?(\d+)\./.exec(version);
  if (!match) throw new Error(`The emulator needs a version like 17.2.0, not "${version}".`);
  return Number(match[1]);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** lib/httplib WithMetaRedirect's page. */
function metaRedirectPage(url: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<title>Teleport Redirection Service</title>',
    '<meta http-equiv="cache-control" content="no-cache"/>',
    `<meta http-equiv="refresh" content="0;URL='${escapeHtml(url)}'" />`,
    '</head>',
    '<body></body>',
    '</html>',
  ].join('\n');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ProxyError(413, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** An authorized_keys line for a node public key (ssh-keygen cannot import Ed25519 PEM). */
function sshLineFromKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const field = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');
  const mpint = (data: Buffer) =>
    sshString((data[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), data]) : data);
  let type: string;
  let parts: Buffer[];
  if (key.asymmetricKeyType === 'ed25519') {
    type = 'ssh-ed25519';
    parts = [sshString(field(jwk.x))];
  } else if (key.asymmetricKeyType === 'ec') {
    type = 'ecdsa-sha2-nistp256';
    const point = Buffer.concat([Buffer.from([4]), field(jwk.x), field(jwk.y)]);
    parts = [sshString(Buffer.from('nistp256')), sshString(point)];
  } else {
    type = 'ssh-rsa';
    parts = [mpint(field(jwk.e)), mpint(field(jwk.n))];
  }
  return `${type} ${Buffer.concat([sshString(Buffer.from(type)), ...parts]).toString('base64')}`;
}

/** A fresh key of the same type as `line`, for the cert-for-other-key fault. */
function otherKeyLike(line: string): string {
  const type = line.split(/\s+/)[0];
  const pair =
    type === 'ssh-ed25519'
      ? generateKeyPairSync('ed25519')
      : type === 'ecdsa-sha2-nistp256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return sshLineFromKey(pair.publicKey);
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export async function startTeleportEmulator(
  options: TeleportEmulatorOptions,
): Promise<TeleportEmulator> {
  const major = majorOf(options.version);
  const suite = major >= 17 ? (options.suite ?? 'balanced-v1') : undefined;
  const keys = suiteKeys(suite);
  const clusterName = options.clusterName ?? 'emulated-cluster';
  const connectorName = options.connectorName ?? 'keycloak';
  const logins = options.logins ?? ['alice'];
  const pkceRequired = (options.pkceMode ?? (major >= 18 ? 'enabled' : 'disabled')) === 'enabled';
  const strict = options.strictKeySuite ?? true;

  const authority: Authority = await createAuthority({
    clusterName,
    sshCaAlgorithm: keys.sshCa,
    tlsCaAlgorithm: keys.tlsCa,
  });

  const rules: ConsoleRules = {
    major,
    connectorName,
    expectedSshKey: strict ? SSH_KEY_BY_ALGORITHM[keys.user] : undefined,
    expectedTlsKey: strict ? keys.tls : undefined,
    pkceRequired,
  };
  const pending = new Map<string, Pending>();
  const requests: ConsoleRequestRecord[] = [];
  const pings: string[] = [];
  const issued: IssuedLogin[] = [];

  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const webTls: WebTls | undefined = options.https ? await createWebTls() : undefined;
  const server = webTls
    ? https.createServer({ key: webTls.key, cert: webTls.cert }, (req, res) => handler(req, res))
    : http.createServer((req, res) => handler(req, res));
  const port = await listen(server, options.port ?? 0).catch((error: unknown) => {
    authority.close();
    webTls?.dispose();
    throw error;
  });
  const webUrl = `${webTls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const oidcRedirectUri = `${webUrl}/v1/webapi/oidc/callback`;
  const relyingParty = createRelyingParty(options.idp, oidcRedirectUri);

  const settings: PingSettings = {
    version: options.version,
    major,
    clusterName,
    authType: options.authType ?? 'oidc',
    connectorName,
    connectorDisplay: 'Keycloak',
    idpIssuer: options.idp.issuer,
    privateKeyPolicy: options.privateKeyPolicy ?? 'none',
    suite,
    defaultSessionTtlMs: options.defaultSessionTtlMs ?? 12 * 3_600_000,
    webPort: port,
    sshPublicAddr: options.sshPublicAddr,
    tlsRoutingEnabled: options.tlsRoutingEnabled ?? false,
  };

  const emulator: TeleportEmulator = {
    webUrl,
    port,
    oidcRedirectUri,
    clusterName,
    version: options.version,
    hostCaPublicKey: authority.hostCaPublicKey,
    userCaPublicKey: authority.userCaPublicKey,
    tlsCaPem: authority.tlsCaPem,
    webTlsCertPath: webTls?.certPath,
    setSshPublicAddr(address) {
      settings.sshPublicAddr = address;
    },
    requests,
    pings,
    issued,
    nextResponse: undefined,
    signHostKey: (publicKeyPath, principals) => authority.signHostKey(publicKeyPath, principals),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      authority.close();
      webTls?.dispose();
    },
  };

  const date = () => new Date(Date.now() + (options.clockOffsetMs ?? 0)).toUTCString();
  const sendJson = (res: http.ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, {
      'Content-Type': 'application/json',
      Date: date(),
      'Cache-Control': 'no-cache, no-store, must-revalidate',
    });
    res.end(JSON.stringify(value));
  };
  const sendError = (res: http.ServerResponse, error: ProxyError) =>
    sendJson(res, error.status, { error: { message: error.message } });
  const sendHtml = (res: http.ServerResponse, status: number, html: string) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', Date: date() });
    res.end(html);
  };
  const redirect = (res: http.ServerResponse, location: string) => {
    res.writeHead(302, { Location: location, Date: date() });
    res.end();
  };

  const ping = (res: http.ServerResponse, connector: string | undefined) => {
    if (connector !== undefined && connector !== connectorName) {
      if (connector === 'local' || connector === 'passwordless') {
        return sendJson(res, 200, pingBody({ ...settings, authType: 'local' }));
      }
      return sendError(res, new ProxyError(404, `connector "${connector}" not found`));
    }
    sendJson(res, 200, pingBody(settings));
  };

  const consoleLogin = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ) => {
    const contentType = req.headers['content-type'];
    const record: ConsoleRequestRecord = { path, contentType, body: undefined, status: 0 };
    requests.push(record);
    try {
      const text = await readBody(req);
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
          record.body = parsed as Record<string, unknown>;
        }
      } catch {
        // recorded as undefined; refused below
      }
      // httplib.ReadJSON: the content type first, then the JSON.
      if (!contentType?.toLowerCase().startsWith('application/json')) {
        throw new ProxyError(400, 'invalid request');
      }
      if (!record.body) throw new ProxyError(400, 'invalid request');
      if (settings.authType !== 'oidc') {
        throw new ProxyError(404, `the emulator's auth type is ${settings.authType}, not oidc`);
      }
      const login = validateConsoleRequest(record.body, rules);
      const state = randomBytes(16).toString('hex');
      const nonce = randomBytes(16).toString('hex');
      const codeVerifier = pkceRequired ? login.pkceVerifier : undefined;
      const url = await relyingParty.authorizationUrl({ state, nonce, codeVerifier });
      prunePending();
      pending.set(state, { login, nonce, codeVerifier, createdAt: Date.now() });
      record.status = 200;
      sendJson(res, 200, { redirect_url: url });
    } catch (error) {
      const proxyError =
        error instanceof ProxyError
          ? error
          : new ProxyError(
              500,
              `emulator: ${error instanceof Error ? error.message : String(error)}`,
            );
      record.status = proxyError.status;
      record.error = proxyError.message;
      sendError(res, proxyError);
    }
  };

  const prunePending = () => {
    const now = Date.now();
    for (const [state, entry] of pending) {
      if (now - entry.createdAt > PENDING_TTL_MS) pending.delete(state);
    }
    while (pending.size >= MAX_PENDING) {
      const oldest = pending.keys().next().value;
      if (oldest === undefined) break;
      pending.delete(oldest);
    }
  };

  /** RedirectURLWithError: keeps the client's query (secret_key) and adds `err`. */
  const errorRedirect = (login: ConsoleLogin, message: string) => {
    const url = new URL(login.redirectUrl);
    url.searchParams.set('err', message);
    return url.href;
  };

  const issue = async (
    login: ConsoleLogin,
    username: string,
    fault: EmulatorFault | undefined,
  ): Promise<IssuedLogin> => {
    const now = Date.now();
    const ttlMs = Math.min(login.certTtlNs / 1e6, options.certTtlCapMs ?? Infinity);
    const validBefore = new Date(now + ttlMs);
    let sshKey = login.sshPublicKey;
    if (fault === 'cert-for-other-key') sshKey = otherKeyLike(login.sshPublicKey);
    const sshCertificate = await authority.signUserKey({
      sshPublicKey: sshKey,
      username,
      logins,
      validAfter: new Date(now - 60_000),
      validBefore,
      roles: options.roles ?? ['access'],
      clusterName,
    });
    // ≤ v16 (and a TLS key left out): one key for SSH and TLS.
    const tlsPublicKeyPem =
      login.tlsPublicKeyPem ?? (await authority.pemFromSshPublicKey(login.sshPublicKey));
    const tlsCertificatePem = await authority.issueTlsCertificate(
      tlsPublicKeyPem,
      username,
      validBefore,
    );
    const response = {
      username,
      cert: b64(`${sshCertificate}\n`),
      tls_cert: b64(tlsCertificatePem),
      host_signers: [
        {
          domain_name: clusterName,
          checking_keys: [b64(`${authority.hostCaPublicKey}\n`)],
          tls_certs: [b64(authority.tlsCaPem)],
        },
      ],
    };
    return { username, sshCertificate, tlsCertificatePem, response };
  };

  /** ConstructSSHResponse: seal, replace the whole query with `response` (§2c). */
  const sealedRedirect = (
    login: ConsoleLogin,
    plaintext: string,
    fault: EmulatorFault | undefined,
  ) => {
    let key = login.secretKey;
    if (fault === 'wrong-key') key = randomBytes(32).toString('hex');
    let sealed = seal(fault === 'malformed-json' ? `${plaintext.slice(0, -7)}…` : plaintext, key);
    if (fault === 'tampered') {
      const box = JSON.parse(sealed) as { ciphertext: string; nonce: string };
      const bytes = Buffer.from(box.ciphertext, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      sealed = JSON.stringify({ ciphertext: bytes.toString('base64'), nonce: box.nonce });
    }
    const url = new URL(login.redirectUrl);
    url.search = new URLSearchParams({ response: sealed }).toString();
    return url.href;
  };

  const oidcCallback = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const state = url.searchParams.get('state') ?? '';
    const entry = pending.get(state);
    if (!entry) return redirect(res, `${webUrl}/web/msg/error/login/callback`);
    pending.delete(state);
    const { login } = entry;
    const idpError = url.searchParams.get('error');
    if (idpError) {
      const description = url.searchParams.get('error_description');
      const message = `identity provider callback failed: ${idpError}${description ? ` (${description})` : ''}`;
      return sendHtml(res, 200, metaRedirectPage(errorRedirect(login, message)));
    }
    const fault = emulator.nextResponse;
    emulator.nextResponse = undefined;
    let username: string;
    try {
      username = await relyingParty.finish(url, {
        state,
        nonce: entry.nonce,
        codeVerifier: entry.codeVerifier,
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return sendHtml(
        res,
        200,
        metaRedirectPage(errorRedirect(login, `Failed to login: ${detail}`)),
      );
    }
    if (fault === 'err') {
      return sendHtml(
        res,
        200,
        metaRedirectPage(
          errorRedirect(login, "Failed to login. Please check Teleport's log for more details."),
        ),
      );
    }
    const result = await issue(login, username, fault);
    issued.push(result);
    sendHtml(
      res,
      200,
      metaRedirectPage(sealedRedirect(login, JSON.stringify(result.response), fault)),
    );
  };

  handler = (req, res) => {
    const url = new URL(req.url ?? '/', webUrl);
    const path = url.pathname.replace(/^\/v1\//, '/');
    const method = req.method ?? 'GET';
    const fail = (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendError(res, new ProxyError(500, `emulator: ${message}`));
      else res.end();
    };
    if (method === 'GET' && (path === '/webapi/ping' || path.startsWith('/webapi/ping/'))) {
      pings.push(url.pathname);
      const connector = path === '/webapi/ping' ? undefined : decodeURIComponent(path.slice(13));
      return ping(res, connector);
    }
    if (method === 'GET' && path === '/webapi/find') return sendJson(res, 200, findBody(settings));
    const consoleMatch = /^\/webapi\/(oidc|saml|github)\/login\/console$/.exec(path);
    if (consoleMatch) {
      if (method !== 'POST') return sendError(res, new ProxyError(405, 'method not allowed'));
      void consoleLogin(req, res, url.pathname).catch(fail);
      return;
    }
    if (method === 'GET' && path === '/webapi/oidc/callback') {
      void oidcCallback(req, res, url).catch(fail);
      return;
    }
    if (method === 'GET' && path.startsWith('/web/msg/')) {
      return sendHtml(res, 200, `<!DOCTYPE html><title>Teleport</title><p>${escapeHtml(path)}</p>`);
    }
    sendError(res, new ProxyError(404, 'not found'));
  };

  return emulator;
}
