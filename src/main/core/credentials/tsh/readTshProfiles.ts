/**
 * Imports existing `tsh login`s from `~/.tsh` (teleport-sso.md §6), strictly read-only.
 *
 * Per profile `<proxyHost>.yaml`: the SSH key `keys/<proxyHost>/<user>` (both layouts; PKCS#1 /
 * PKCS#8 up to v16, PKCS#1 / OpenSSH from v17), the SSH certificate
 * `keys/<proxyHost>/<user>-ssh/<cluster>-cert.pub`, the TLS certificate (`<user>.crt` from v17,
 * `<user>-x509.pem` up to v16), host CA keys from `known_hosts` and TLS CAs from `cas/` or
 * `certs.pem`. A broken profile becomes a plain error and never hides the others.
 */
import { X509Certificate } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import {
  certificateMatchesKey,
  KeyPassphraseError,
  parseCertificateLine,
  parsePrivateKey,
  verifyCertificateSignature,
  type ParsedPrivateKey,
  type SshCertificate,
  type SshKeyType,
} from '../sshKeys';
import { SiteCredentialsSchema, type HostSigner, type SiteCredentials } from '../vault/model';
import { displayPath, listDir, readOptional, TshProfileError, type ReadFile } from './files';
import { checkingKeysByCluster, parseCertAuthorities } from './knownHosts';
import { parseFlatYaml, yamlString, type FlatYaml } from './yaml';

export interface TshAddress {
  host: string;
  port: number;
}

export interface TshCertificateSummary {
  /** The Teleport username the certificate was issued to. */
  keyId: string;
  /** All principals as signed, Teleport's internal ones included. */
  principals: string[];
  /** ISO-8601; null for "always" / "forever". */
  validAfter: string | null;
  validBefore: string | null;
  keyType: SshKeyType;
  caFingerprint: string;
  extensions: string[];
}

export interface TshProfileFiles {
  profile: string;
  privateKey?: string;
  certificate?: string;
  tlsCertificate?: string;
}

interface TshProfileBase {
  /** The proxy host (`Profile.Name()`), which is also the `keys/` directory name. */
  name: string;
  /** Named in `current-profile`. */
  isCurrent: boolean;
  proxy?: { host: string; webPort: number };
  sshProxy?: TshAddress;
  username?: string;
  cluster?: string;
  files: TshProfileFiles;
}

export interface TshProfileReady extends TshProfileBase {
  ok: true;
  proxy: { host: string; webPort: number };
  username: string;
  cluster: string;
  /** Which tsh wrote the keys: `v17` when `<user>.key`/`.crt` exist, else `v16`. */
  layout: 'v16' | 'v17';
  credentials: SiteCredentials;
  certificate: TshCertificateSummary;
}

export interface TshProfileProblem extends TshProfileBase {
  ok: false;
  /** One plain sentence: what is wrong and what to do. */
  error: string;
}

export type TshProfile = TshProfileReady | TshProfileProblem;

/** `$TELEPORT_HOME` (tsh's own override, the directory itself) or `~/.tsh`. */
export function defaultTshHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.TELEPORT_HOME;
  return home !== undefined && home !== '' ? home : path.join(os.homedir(), '.tsh');
}

/** `host:port`, `[v6]:port` or bare `host` (then `defaultPort`). */
export function parseAddress(text: string, defaultPort: number): TshAddress | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text.trim());
  if (!match) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (host === '' || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/** Names from the profile end up in paths: refuse anything that could leave `~/.tsh`. */
function safeName(value: string, what: string, profileFile: string): string {
  if (value === '.' || value === '..' || /[/\\\0]/.test(value)) {
    throw new TshProfileError(
      `${displayPath(profileFile)} has a ${what} "${value}" that is not a valid file name; run tsh login again.`,
    );
  }
  return value;
}

const HARDWARE_PEM = /-----BEGIN [A-Z ]*(PIV|YUBIKEY|HARDWARE)[A-Z ]*-----/;

function readKey(file: string, text: string, hardwarePolicy = false): ParsedPrivateKey {
  // tsh writes a `PIV YUBIKEY PRIVATE KEY` block (a slot reference, not a key; the name is from
  // api/utils/keys, not in §6). Under a hardware_key* policy, any non-PEM key counts as one too.
  if (
    HARDWARE_PEM.test(text) ||
    (hardwarePolicy && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
  ) {
    throw new TshProfileError(
      `The tsh key ${displayPath(file)} lives on a hardware key (PIV/YubiKey); OneHop cannot use it, so keep using tsh for this site.`,
    );
  }
  try {
    return parsePrivateKey(text, displayPath(file));
  } catch (error) {
    if (error instanceof KeyPassphraseError) {
      throw new TshProfileError(
        `The tsh key ${displayPath(file)} is protected by a passphrase; OneHop cannot use it, so sign in with OneHop instead.`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new TshProfileError(`The tsh key ${displayPath(file)} could not be read: ${reason}`);
  }
}

function readCertificate(file: string, text: string): SshCertificate {
  let cert: SshCertificate;
  try {
    cert = parseCertificateLine(text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TshProfileError(
      `${displayPath(file)} is not a valid SSH certificate (${reason}); run tsh login again.`,
    );
  }
  if (cert.type !== 'user') {
    throw new TshProfileError(
      `${displayPath(file)} is a host certificate, not a user certificate.`,
    );
  }
  const check = verifyCertificateSignature(cert);
  if (!check.valid) {
    throw new TshProfileError(
      `The signature of ${displayPath(file)} is not valid (${check.reason ?? 'unknown reason'}); run tsh login again.`,
    );
  }
  return cert;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function pemCertificates(text: string): string[] {
  return (text.match(PEM_CERT) ?? []).map((pem) => `${pem}\n`);
}

/** The cluster a Teleport CA certificate is for: its subject CN (= the cluster name). */
function certificateCluster(pem: string): string | undefined {
  try {
    const subject = new X509Certificate(pem).subject;
    return /(?:^|\n)CN=([^\n]+)/.exec(subject)?.[1];
  } catch {
    return undefined;
  }
}

async function readHostSigners(
  tshHome: string,
  keyDir: string,
  proxyHost: string,
  cluster: string,
): Promise<HostSigner[]> {
  const signers = new Map<string, HostSigner>();
  const signer = (clusterName: string): HostSigner => {
    const existing = signers.get(clusterName);
    if (existing) return existing;
    const created: HostSigner = { clusterName, checkingKeys: [], tlsCerts: [] };
    signers.set(clusterName, created);
    return created;
  };
  const knownHosts = await readOptional(path.join(tshHome, 'known_hosts'));
  if (knownHosts) {
    const lines = parseCertAuthorities(knownHosts.text);
    for (const [name, keys] of checkingKeysByCluster(lines, { proxyHost, cluster })) {
      signer(name).checkingKeys.push(...keys);
    }
  }
  const casDir = path.join(keyDir, 'cas');
  const casFiles = (await listDir(casDir)).filter((e) => e.isFile && e.name.endsWith('.pem'));
  for (const entry of casFiles.sort((a, b) => a.name.localeCompare(b.name))) {
    const file = await readOptional(path.join(casDir, entry.name));
    if (file)
      signer(entry.name.slice(0, -'.pem'.length)).tlsCerts.push(...pemCertificates(file.text));
  }
  if (casFiles.length === 0) {
    // Older tsh: every cluster's TLS CA concatenated in certs.pem.
    const legacy = await readOptional(path.join(keyDir, 'certs.pem'));
    for (const pem of legacy ? pemCertificates(legacy.text) : []) {
      signer(certificateCluster(pem) ?? cluster).tlsCerts.push(pem);
    }
  }
  return [...signers.values()];
}

/** The only `<cluster>-cert.pub` in `<user>-ssh/`, for profiles that do not name the cluster. */
async function guessCluster(sshDir: string): Promise<string | undefined> {
  const certs = (await listDir(sshDir)).filter((e) => e.isFile && e.name.endsWith('-cert.pub'));
  return certs.length === 1 ? certs[0]?.name.slice(0, -'-cert.pub'.length) : undefined;
}

function summarise(cert: SshCertificate): TshCertificateSummary {
  return {
    keyId: cert.keyId,
    principals: [...cert.principals],
    validAfter: cert.validAfter?.toISOString() ?? null,
    validBefore: cert.validBefore?.toISOString() ?? null,
    keyType: cert.publicKey.type,
    caFingerprint: cert.signatureKeyFingerprint,
    extensions: [...cert.extensions.keys()].sort(),
  };
}

async function readProfile(
  tshHome: string,
  fileName: string,
  currentName: string,
): Promise<TshProfile> {
  const profileFile = path.join(tshHome, fileName);
  const fallbackName = fileName.slice(0, -'.yaml'.length);
  const base: TshProfileBase = {
    name: fallbackName,
    isCurrent: fallbackName === currentName,
    files: { profile: profileFile },
  };
  try {
    const read = await readOptional(profileFile);
    if (!read) throw new TshProfileError(`${displayPath(profileFile)} disappeared while reading.`);
    const yaml: FlatYaml = parseFlatYaml(read.text);

    const webProxy = parseAddress(yamlString(yaml, 'web_proxy_addr'), 443);
    if (!webProxy) {
      throw new TshProfileError(
        `${displayPath(profileFile)} has no valid web_proxy_addr; run tsh login again.`,
      );
    }
    // Profile.Name() is the web proxy host; the file name and current-profile use it too.
    const name = safeName(webProxy.host, 'proxy host', profileFile);
    base.name = name;
    base.isCurrent = name === currentName || fallbackName === currentName;
    base.proxy = { host: webProxy.host, webPort: webProxy.port };
    const sshProxy = parseAddress(yamlString(yaml, 'ssh_proxy_addr'), 3023);
    if (sshProxy) base.sshProxy = sshProxy;

    const username = yamlString(yaml, 'user');
    if (username === '') {
      throw new TshProfileError(`${displayPath(profileFile)} names no user; run tsh login again.`);
    }
    base.username = safeName(username, 'user', profileFile);
    const keyDir = path.join(tshHome, 'keys', name);
    const keyBase = path.join(keyDir, username);
    const sshDir = `${keyBase}-ssh`;

    const cluster =
      yamlString(yaml, 'cluster') || yamlString(yaml, 'site_name') || (await guessCluster(sshDir));
    if (cluster === undefined || cluster === '') {
      throw new TshProfileError(
        `${displayPath(profileFile)} names no cluster and ${displayPath(sshDir)} holds no single certificate; run tsh login again.`,
      );
    }
    base.cluster = safeName(cluster, 'cluster', profileFile);

    const certFile = path.join(sshDir, `${cluster}-cert.pub`);
    base.files.certificate = certFile;
    const certRead = await readOptional(certFile);
    if (!certRead) {
      throw new TshProfileError(
        `${displayPath(certFile)} is missing; run tsh login --proxy=${name} again.`,
      );
    }
    const cert = readCertificate(certFile, certRead.text);

    const keyRead = await readOptional(keyBase);
    const tlsKeyRead = await readOptional(`${keyBase}.key`);
    let keyFile = keyBase;
    let key: ParsedPrivateKey;
    const hardwarePolicy = yamlString(yaml, 'private_key_policy').startsWith('hardware_key');
    if (keyRead) {
      key = readKey(keyBase, keyRead.text, hardwarePolicy);
    } else if (tlsKeyRead && !HARDWARE_PEM.test(tlsKeyRead.text)) {
      // The legacy suite uses one RSA key for SSH and TLS, so `<user>.key` may stand in.
      keyFile = `${keyBase}.key`;
      key = readKey(keyFile, tlsKeyRead.text);
      if (!certificateMatchesKey(cert, key.publicKey)) {
        throw new TshProfileError(`${displayPath(keyBase)} is missing; run tsh login again.`);
      }
    } else {
      throw new TshProfileError(`${displayPath(keyBase)} is missing; run tsh login again.`);
    }
    base.files.privateKey = keyFile;
    if (!certificateMatchesKey(cert, key.publicKey)) {
      throw new TshProfileError(
        `The certificate ${displayPath(certFile)} does not belong to the key ${displayPath(keyFile)}; run tsh login again.`,
      );
    }

    const crt = await readOptional(`${keyBase}.crt`);
    const x509 = crt ? undefined : await readOptional(`${keyBase}-x509.pem`);
    const tls: ReadFile | undefined = crt ?? x509;
    const tlsPem = tls ? pemCertificates(tls.text)[0] : undefined;
    if (tlsPem !== undefined)
      base.files.tlsCertificate = crt ? `${keyBase}.crt` : `${keyBase}-x509.pem`;

    const hostSigners = await readHostSigners(tshHome, keyDir, name, cluster);
    const parsed = SiteCredentialsSchema.safeParse({
      issuer: 'tsh',
      username,
      // PKCS#8, the same form as keys OneHop generates; the file itself is left as tsh wrote it.
      privateKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      certificate: `${cert.certType} ${cert.blob.toString('base64')}`,
      ...(tlsPem === undefined ? {} : { tlsCertificatePem: tlsPem }),
      hostSigners,
      obtainedAt: certRead.mtime.toISOString(),
    } satisfies SiteCredentials);
    if (!parsed.success) {
      throw new TshProfileError(
        `The tsh login in ${displayPath(profileFile)} could not be imported (${parsed.error.issues[0]?.message ?? 'invalid'}).`,
      );
    }
    return {
      ...base,
      ok: true,
      proxy: base.proxy,
      username,
      cluster,
      layout: tlsKeyRead || crt ? 'v17' : 'v16',
      credentials: parsed.data,
      certificate: summarise(cert),
    };
  } catch (error) {
    const message =
      error instanceof TshProfileError
        ? error.message
        : `The tsh login in ${displayPath(profileFile)} could not be imported (${error instanceof Error ? error.message : String(error)}).`;
    return { ...base, ok: false, error: message };
  }
}

/**
 * Every tsh profile in `tshHome`, current one marked. A missing directory gives []. Only a
 * directory that exists but cannot be listed throws (TshProfileError, plain message).
 */
export async function readTshProfiles(tshHome: string = defaultTshHome()): Promise<TshProfile[]> {
  const entries = await listDir(tshHome);
  const profileFiles = entries
    .filter((e) => e.isFile && e.name.endsWith('.yaml') && e.name !== '.yaml')
    .map((e) => e.name)
    .sort();
  if (profileFiles.length === 0) return [];
  let current = '';
  try {
    current = (await readOptional(path.join(tshHome, 'current-profile')))?.text.trim() ?? '';
  } catch {
    // An unreadable current-profile only means no profile is marked current.
  }
  const profiles: TshProfile[] = [];
  for (const fileName of profileFiles) {
    profiles.push(await readProfile(tshHome, fileName, current));
  }
  return profiles;
}
