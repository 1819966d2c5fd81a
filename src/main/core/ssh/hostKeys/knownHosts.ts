/**
 * OpenSSH `known_hosts`: parse lines, find the lines that apply to a host the way OpenSSH's
 * hostfile.c and match.c do, check a presented host key, and write OneHop's own lines.
 *
 *   [@cert-authority|@revoked] patterns|hashed  type base64 [comment]
 *
 * Invalid lines are reported and skipped, never fatal: OpenSSH skips them too.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  parsePublicKeyLine,
  publicKeysEqual,
  SshFormatError,
  type SshPublicKey,
} from '../../credentials/sshKeys';

export type KnownHostsMarker = 'cert-authority' | 'revoked';

export interface KnownHostsEntry {
  /** 1-based line number in the file. */
  line: number;
  marker: KnownHostsMarker | null;
  /** The host field exactly as written: comma-separated patterns, or `|1|salt|hash`. */
  hosts: string;
  /** True when `hosts` is a hashed name (`|1|salt|hash`). */
  hashed: boolean;
  /** The key; its comment is the rest of the line. */
  key: SshPublicKey;
}

export interface KnownHostsProblem {
  line: number;
  reason: string;
}

export interface KnownHostsFile {
  entries: KnownHostsEntry[];
  /** Lines that were skipped because they are malformed. */
  problems: KnownHostsProblem[];
}

export type HostKeyStatus = 'known' | 'revoked' | 'changed' | 'unknown';

export interface HostKeyCheck {
  status: HostKeyStatus;
  /** `known`: the line with this key; `changed`: a line with another key of the same type. */
  entry: KnownHostsEntry | null;
  /** `@cert-authority` lines for this host whose CA key is not `@revoked` for it. */
  authorities: KnownHostsEntry[];
}

const HASH_MAGIC = '|1|';
const SHA1_LENGTH = 20;
/** match.c copies each sub-pattern into a 1024-byte buffer; a longer one fails the whole list. */
const MAX_SUBPATTERN = 1023;
const MARKERS: Record<string, KnownHostsMarker> = {
  '@cert-authority': 'cert-authority',
  '@revoked': 'revoked',
};

/** OpenSSH folds only ASCII letters (tolower in the C locale). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The name OpenSSH looks up: the host for port 22 (or 0), otherwise `[host]:port`; lowercased. */
export function hostLookupName(host: string, port = 22): string {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`The port ${String(port)} is not a valid TCP port.`);
  }
  const name = asciiLower(host);
  return port === 22 || port === 0 ? name : `[${name}]:${String(port)}`;
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as `ssh-keygen -H` writes it. */
export function hashHostName(name: string, salt: Uint8Array = randomBytes(SHA1_LENGTH)): string {
  if (salt.length !== SHA1_LENGTH) {
    throw new RangeError(`The salt must be ${String(SHA1_LENGTH)} bytes.`);
  }
  const mac = createHmac('sha1', salt).update(name, 'utf8').digest();
  return `${HASH_MAGIC}${Buffer.from(salt).toString('base64')}|${mac.toString('base64')}`;
}

/** The salt of a hashed host field, or an error message (extract_salt in hostfile.c). */
function hashedSalt(field: string): Buffer | string {
  if (!field.startsWith(HASH_MAGIC)) return 'the hashed host name does not start with "|1|"';
  const end = field.indexOf('|', HASH_MAGIC.length);
  if (end < 0) return 'the hashed host name has no hash after its salt';
  const text = field.slice(HASH_MAGIC.length, end);
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    return 'the salt of the hashed host name is not valid base64';
  }
  const salt = Buffer.from(text, 'base64');
  if (salt.length !== SHA1_LENGTH) return 'the salt of the hashed host name is not 20 bytes';
  return salt;
}

/** Glob match over bytes: `*` any run, `?` one byte (match_pattern in match.c). */
function globMatch(subject: Buffer, pattern: Buffer): boolean {
  const STAR = 0x2a;
  const QUESTION = 0x3f;
  let s = 0;
  let p = 0;
  let starP = -1;
  let starS = 0;
  while (s < subject.length) {
    if (p < pattern.length && (pattern[p] === QUESTION || pattern[p] === subject[s])) {
      s++;
      p++;
    } else if (p < pattern.length && pattern[p] === STAR) {
      starP = p++;
      starS = s;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === STAR) p++;
  return p === pattern.length;
}

/**
 * match_pattern_list with lowercasing: 1 when a pattern matches, -1 when a negated (`!`) pattern
 * matches (which vetoes the whole list), 0 otherwise.
 */
function matchPatternList(name: string, list: string): 1 | 0 | -1 {
  const subject = Buffer.from(name, 'utf8');
  const parts = list.split(',');
  // The C loop ends at the last comma, so a trailing empty pattern does not exist there.
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  let positive = false;
  for (const part of parts) {
    const negated = part.startsWith('!');
    const pattern = Buffer.from(asciiLower(negated ? part.slice(1) : part), 'utf8');
    if (pattern.length >= MAX_SUBPATTERN) return 0;
    if (globMatch(subject, pattern)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** match_pattern: `*` any run, `?` one character, on the UTF-8 bytes (case-sensitive). */
export function globMatchText(subject: string, pattern: string): boolean {
  return globMatch(Buffer.from(subject, 'utf8'), Buffer.from(pattern, 'utf8'));
}

/** OpenSSH pattern matching (`*`, `?`, `!`) of a host name against a list of patterns. */
export function hostMatchesPatterns(name: string, patterns: readonly string[]): boolean {
  return patterns.length > 0 && matchPatternList(name, patterns.join(',')) === 1;
}

/** Whether one line's host field names the lookup name (from hostLookupName). */
export function entryMatchesName(entry: Pick<KnownHostsEntry, 'hosts' | 'hashed'>, name: string) {
  if (entry.hashed) {
    const salt = hashedSalt(entry.hosts);
    // OpenSSH regenerates the whole field and compares the text.
    return typeof salt !== 'string' && hashHostName(name, salt) === entry.hosts;
  }
  return matchPatternList(name, entry.hosts) === 1;
}

function parseLine(text: string, line: number): KnownHostsEntry | KnownHostsProblem | null {
  // OpenSSH separates fields by spaces and tabs only.
  let rest = text.replace(/\r$/, '').replace(/^[ \t]+/, '');
  if (rest === '' || rest.startsWith('#')) return null;

  let marker: KnownHostsMarker | null = null;
  if (rest.startsWith('@')) {
    const word = /^\S+/.exec(rest)?.[0] ?? '';
    const known = MARKERS[word];
    if (known === undefined || !/^[ \t]/.test(rest.slice(word.length))) {
      return { line, reason: `The marker "${word}" is not @cert-authority or @revoked.` };
    }
    marker = known;
    rest = rest.slice(word.length).replace(/^[ \t]+/, '');
    if (rest.startsWith('@')) return { line, reason: 'The line has more than one marker.' };
  }

  const hostsEnd = rest.search(/[ \t]/);
  const hosts = hostsEnd < 0 ? rest : rest.slice(0, hostsEnd);
  const keyText = hostsEnd < 0 ? '' : rest.slice(hostsEnd).replace(/^[ \t]+/, '');
  const hashed = hosts.startsWith('|');
  if (hashed) {
    const salt = hashedSalt(hosts);
    if (typeof salt === 'string') return { line, reason: `The line is invalid: ${salt}.` };
  }
  if (keyText === '' || keyText.startsWith('#')) {
    return { line, reason: 'The line ends before the key type.' };
  }
  try {
    return { line, marker, hosts, hashed, key: parsePublicKeyLine(keyText) };
  } catch (error) {
    if (!(error instanceof SshFormatError)) throw error;
    return { line, reason: error.message };
  }
}

/** Parses a whole known_hosts file; malformed lines land in `problems` with their number. */
export function parseKnownHosts(text: string): KnownHostsFile {
  const entries: KnownHostsEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    const parsed = parseLine(raw, index + 1);
    if (parsed === null) return;
    if ('reason' in parsed) problems.push(parsed);
    else entries.push(parsed);
  });
  return { entries, problems };
}

/** The lines (of every marker) that apply to host:port, in file order, as OpenSSH selects them. */
export function matchHost(
  entries: readonly KnownHostsEntry[],
  host: string,
  port = 22,
): KnownHostsEntry[] {
  const name = hostLookupName(host, port);
  return entries.filter((entry) => entryMatchesName(entry, name));
}

/**
 * Checks a plain host key presented by host:port. Unlike OpenSSH, which calls any other known
 * key "changed", only a key of the same type counts: the caller negotiates the known types first.
 */
export function checkHostKey(
  entries: readonly KnownHostsEntry[],
  host: string,
  port: number,
  key: Pick<SshPublicKey, 'type' | 'blob'>,
): HostKeyCheck {
  const matched = matchHost(entries, host, port);
  const revoked = matched.filter((entry) => entry.marker === 'revoked');
  const isRevoked = (candidate: KnownHostsEntry['key'] | typeof key) =>
    revoked.some((entry) => publicKeysEqual(entry.key.blob, candidate.blob));
  const authorities = matched.filter(
    (entry) => entry.marker === 'cert-authority' && !isRevoked(entry.key),
  );
  if (isRevoked(key)) return { status: 'revoked', entry: null, authorities };

  const plain = matched.filter((entry) => entry.marker === null);
  const same = plain.find((entry) => publicKeysEqual(entry.key.blob, key.blob));
  if (same) return { status: 'known', entry: same, authorities };
  const other = plain.find((entry) => entry.key.type === key.type);
  if (other) return { status: 'changed', entry: other, authorities };
  return { status: 'unknown', entry: null, authorities };
}

export interface FormatKnownHostsOptions {
  /** Write `|1|salt|hash` instead of the name (HashKnownHosts). */
  hashed?: boolean;
  /** Fixed salt for hashing (tests); random otherwise. */
  salt?: Uint8Array;
  marker?: KnownHostsMarker;
}

/** One known_hosts line (no newline) for host:port, lowercased like OpenSSH writes it. */
export function formatKnownHostsLine(
  host: string,
  port: number,
  key: Pick<SshPublicKey, 'type' | 'blob'>,
  options: FormatKnownHostsOptions = {},
): string {
  // These characters would turn the name into patterns, markers or extra fields.
  if (host === '' || /[\s,*?!#|[\]@]/.test(host)) {
    throw new RangeError(`The host name "${host}" cannot be written to known_hosts.`);
  }
  const name = hostLookupName(host, port);
  const hosts = options.hashed ? hashHostName(name, options.salt) : name;
  const marker = options.marker === undefined ? '' : `@${options.marker} `;
  return `${marker}${hosts} ${key.type} ${key.blob.toString('base64')}`;
}
