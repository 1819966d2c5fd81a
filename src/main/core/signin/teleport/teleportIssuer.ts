/**
 * The Teleport proxy as a certificate issuer: `tsh login` for SSO connectors (teleport-sso.md §0),
 * put together from the protocol pieces in this directory. Nothing is returned unless the sealed
 * response opened, parsed, and its certificates certify the keys generated here.
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import type { Site } from '../../../../shared/model/settings';
import {
  certificateMatchesKey,
  generateKeyPair,
  parseCertificateLine,
  type SshCertificate,
  type SshKeyPair,
  type SshKeyType,
} from '../../credentials/sshKeys';
import type { Issuer, SignInInteraction, SignInOptions, SignInResult } from '../issuer';
import { CALLBACK_TIMEOUT_MS, startCallbackServer } from './callbackServer';
import { startConsoleLogin } from './consoleLogin';
import { CANCELLED_MESSAGE, TeleportSignInError } from './errors';
import { answeredInPlainHttp, isLoopbackHost, proxyBaseUrl, type ProxyAddress } from './http';
import { buildLoginPlan, type KeyAlgorithm, type LoginPlan } from './loginPlan';
import type { TeleportLogin } from './loginResponse';
import { fetchPing } from './ping';
import { sshProxyAddress, sshProxyExtra } from './sshProxyAddress';

const SSH_KEY_TYPE: Record<KeyAlgorithm, SshKeyType> = {
  'rsa-2048': 'ssh-rsa',
  ed25519: 'ssh-ed25519',
  'ecdsa-p256': 'ecdsa-sha2-nistp256',
};

export interface TeleportIssuerOptions {
  /** Replaces the global fetch for the proxy's web API (tests). */
  fetch?: typeof fetch;
}

interface GeneratedKeys {
  ssh: SshKeyPair;
  /** The same object as `ssh` when the suite shares one key (legacy, ≤ v16). */
  tls: SshKeyPair;
}

async function generateKeys(plan: LoginPlan): Promise<GeneratedKeys> {
  const comment = 'onehop';
  const ssh = await generateKeyPair({ type: SSH_KEY_TYPE[plan.keys.ssh], comment });
  if (plan.keys.shared) return { ssh, tls: ssh };
  // Ed25519 TLS keys do not occur in any suite; generateKeyPair still makes them if one appears.
  const tls = await generateKeyPair({ type: SSH_KEY_TYPE[plan.keys.tls], comment });
  return { ssh, tls };
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new TeleportSignInError('cancelled', CANCELLED_MESSAGE);
}

const differentKey = (what: string) =>
  new TeleportSignInError(
    'callback',
    `The proxy returned ${what} for a different key; nothing was stored. Sign in again, and tell your administrators if it happens again.`,
  );

/** The checks that decide whether anything may be stored. */
function verifyLogin(login: TeleportLogin, keys: GeneratedKeys): SshCertificate {
  let certificate: SshCertificate;
  try {
    certificate = parseCertificateLine(login.sshCertificate);
  } catch (error) {
    throw new TeleportSignInError(
      'callback',
      'The proxy returned an SSH certificate that cannot be read; nothing was stored. Sign in again.',
      { cause: error },
    );
  }
  if (!certificateMatchesKey(certificate, keys.ssh.publicKey)) {
    throw differentKey('a certificate');
  }
  if (certificate.type !== 'user') {
    throw new TeleportSignInError(
      'callback',
      'The proxy returned a host certificate where a user certificate belongs; nothing was stored. Sign in again.',
    );
  }
  let tlsMatches: boolean;
  try {
    const certified = new X509Certificate(login.tlsCertificatePem).publicKey;
    tlsMatches = certified.equals(createPublicKey(keys.tls.privateKey));
  } catch {
    tlsMatches = false;
  }
  if (!tlsMatches) throw differentKey('a TLS certificate');
  return certificate;
}

/** The Teleport proxy of a `teleport` site: SSO console login through the browser. */
export class TeleportIssuer implements Issuer {
  readonly kind = 'teleport' as const;

  constructor(private readonly options: TeleportIssuerOptions = {}) {}

  async signIn(
    site: Site,
    options: SignInOptions,
    interaction: SignInInteraction,
  ): Promise<SignInResult> {
    if (site.kind !== 'teleport') {
      throw new TeleportSignInError(
        'invalid-input',
        `The site "${site.name}" is not a Teleport site; this is a bug in OneHop.`,
      );
    }
    const { signal } = interaction;
    const proxy: ProxyAddress = { host: site.proxy.host, webPort: site.proxy.webPort };
    // https always; a proxy on this machine (emulators, tests) may answer in plain http, which
    // is detected by the TLS error and then used for the rest of this sign-in.
    let allowHttpForLoopback = false;
    const request = () => ({ fetch: this.options.fetch, signal, allowHttpForLoopback });
    const connector = options.connector ?? (site.connector || undefined);

    throwIfCancelled(signal);
    interaction.onProgress('discovering');
    let pinged;
    try {
      pinged = await fetchPing(proxy, { ...request(), connector });
    } catch (error) {
      if (!isLoopbackHost(proxy.host) || !answeredInPlainHttp(error)) throw error;
      allowHttpForLoopback = true;
      pinged = await fetchPing(proxy, { ...request(), connector });
    }
    const { ping, clockSkewMs } = pinged;
    const plan = buildLoginPlan(ping, { connector, ttl: options.ttlMs });
    for (const warning of plan.warnings) interaction.onWarning(warning);

    throwIfCancelled(signal);
    interaction.onProgress('generating-keys');
    const keys = await generateKeys(plan);
    throwIfCancelled(signal);

    const callback = await startCallbackServer({
      proxyWebUrl: proxyBaseUrl(proxy, allowHttpForLoopback),
    });
    let login: TeleportLogin;
    try {
      const { redirectUrl } = await startConsoleLogin(
        proxy,
        plan,
        {
          sshPublicKey: keys.ssh.publicKeyLine,
          tlsPublicKeyPem:
            plan.requestShape === 'split-keys' ? keys.tls.publicKeyPkixPem : undefined,
        },
        callback.redirectUrl,
        request(),
      );
      // Wait first, so the timeout and cancel apply even if opening the browser hangs.
      const result = callback.waitForResult({
        signal,
        timeoutMs: options.callbackTimeoutMs ?? CALLBACK_TIMEOUT_MS,
      });
      interaction.onProgress('waiting-for-browser', { url: redirectUrl });
      void interaction.openBrowser(redirectUrl).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        interaction.onWarning(
          `The browser could not be opened (${reason}); open the sign-in link yourself.`,
        );
      });
      login = await result;
    } finally {
      await callback.close();
    }

    interaction.onProgress('exchanging');
    verifyLogin(login, keys);
    const shared = keys.tls === keys.ssh;
    return {
      credentials: {
        issuer: 'teleport',
        username: login.username,
        privateKeyPem: keys.ssh.privateKeyPem,
        certificate: login.sshCertificate,
        tlsCertificatePem: login.tlsCertificatePem,
        hostSigners: login.hostSigners.map((signer) => ({
          clusterName: signer.clusterName,
          checkingKeys: signer.checkingKeys,
          tlsCerts: signer.tlsCertsPem,
        })),
        extra: {
          ...sshProxyExtra(sshProxyAddress(ping, proxy)),
          ...(shared ? {} : { tlsPrivateKeyPem: keys.tls.privateKeyPem }),
        },
      },
      ...(clockSkewMs !== undefined ? { clockSkewMs } : {}),
    };
  }
}
