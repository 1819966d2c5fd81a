import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../../../../../test/support/tools';
import { fingerprintSha256, parsePublicKeyLine } from '../../credentials/sshKeys';
import {
  checkHostKey,
  formatKnownHostsLine,
  hashHostName,
  hostLookupName,
  matchHost,
  parseKnownHosts,
  type KnownHostsEntry,
} from './knownHosts';

const repoRoot = path.resolve(import.meta.dirname, '../../../../..');
/** CI clones the repository with shared/ beside it. */
const VECTORS = path.resolve(repoRoot, '../shared/testdata/openssh/hostkeys');

function vector(name: string): string {
  const file = path.join(VECTORS, name);
  if (!existsSync(file)) {
    throw new Error(
      `OpenSSH host key vectors are missing at ${file}: put shared/testdata beside the repository, as CI does.`,
    );
  }
  return file;
}

const keyOf = (name: string) => parsePublicKeyLine(readFileSync(vector(`${name}.pub`), 'utf8'));

const tools = requireTools(['ssh-keygen']);

/**
 * What OpenSSH matches: `ssh-keygen -l -F` parses the keys as ssh does (without -l it would also
 * list lines whose key blob is broken). Returns `line` or `line CA` / `line REVOKED`.
 */
function opensshMatches(name: string, file: string): string[] {
  const run = spawnSync('ssh-keygen', ['-l', '-F', name, '-f', file], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.error) throw run.error;
  return run.stdout
    .split('\n')
    .map((text) => /^# Host .* found: line (\d+) ?(CA|REVOKED)?$/.exec(text))
    .filter((match) => match !== null)
    .map(([, line = '', label]) => (label ? `${line} ${label}` : line));
}

function ours(entries: KnownHostsEntry[], host: string, port = 22): string[] {
  const labels = { 'cert-authority': ' CA', revoked: ' REVOKED' };
  return matchHost(entries, host, port).map(
    (entry) => `${String(entry.line)}${entry.marker ? labels[entry.marker] : ''}`,
  );
}

describe('parseKnownHosts on the OpenSSH vectors', () => {
  const text = readFileSync(vector('known_hosts'), 'utf8');
  const parsed = parseKnownHosts(text);

  it('skips the invalid lines with their numbers and keeps the rest', () => {
    expect(parsed.problems.map((p) => p.line)).toEqual([37, 38, 39, 40, 41, 42]);
    for (const problem of parsed.problems) expect(problem.reason).toMatch(/\S/);
    expect(parsed.problems[0]?.reason).toContain('@what');
    expect(parsed.entries).toHaveLength(23);
  });

  it('reads markers, hashed names, key types and comments', () => {
    const byLine = new Map(parsed.entries.map((entry) => [entry.line, entry]));
    expect(byLine.get(33)).toMatchObject({ marker: 'revoked', hosts: 'sisyphus.example.com' });
    expect(byLine.get(34)).toMatchObject({ marker: 'cert-authority', hashed: false });
    expect(byLine.get(17)).toMatchObject({ hashed: true, marker: null });
    expect(byLine.get(7)?.key.type).toBe('ecdsa-sha2-nistp521');
    expect(byLine.get(7)?.key.comment).toBe('ECDSA #2');
    expect(fingerprintSha256(byLine.get(3)?.key.blob ?? Buffer.alloc(0))).toBe(
      fingerprintSha256(keyOf('ed25519_1').blob),
    );
  });
});

describe.skipIf(tools.skip)(`matchHost agrees with ssh-keygen -F${tools.marker}`, () => {
  const file = vector('known_hosts');
  const { entries } = parseKnownHosts(readFileSync(file, 'utf8'));
  const names = [
    'sisyphus.example.com',
    'prometheus.example.com',
    '192.0.2.1',
    '2001:db8::1',
    'foo.example.com',
    '192.0.2.99',
    'example.com',
    'sisyphus.example.org',
    'xsisyphus.example.com.evil',
    '192.0.2',
    '2001',
    'localhost',
  ];

  it.each(names)('%s', (name) => {
    const expected = opensshMatches(name, file);
    expect(ours(entries, name)).toEqual(expected);
  });

  it('finds what the vectors promise', () => {
    expect(ours(entries, 'sisyphus.example.com')).toContain('33 REVOKED');
    expect(ours(entries, 'prometheus.example.com')).toContain('34 CA');
    expect(ours(entries, 'foo.example.com')).toEqual(['12', '13', '14']);
    expect(ours(entries, 'nothing.example.org')).toEqual([]);
  });

  it.each([
    ['sisyphus.example.com', 2222],
    ['foo.example.com', 2200],
    ['192.0.2.1', 22222],
    ['2001:db8::1', 2022],
  ])('[%s]:%i', (host, port) => {
    const expected = opensshMatches(`[${host}]:${String(port)}`, file);
    expect(ours(entries, host, port)).toEqual(expected);
  });

  it('treats port 22 and 0 as the plain name', () => {
    expect(hostLookupName('Host.Example.com', 22)).toBe('host.example.com');
    expect(hostLookupName('host', 0)).toBe('host');
    expect(hostLookupName('2001:db8::1', 2022)).toBe('[2001:db8::1]:2022');
    expect(() => hostLookupName('host', 70000)).toThrow(/port/);
    expect(ours(entries, 'sisyphus.example.com', 22)).toEqual(
      opensshMatches('sisyphus.example.com', file),
    );
  });

  it('lowercases the host name before matching, as ssh does', () => {
    // ssh lowercases the name before looking it up; ssh-keygen -F does not for hashed lines.
    expect(ours(entries, 'SISYPHUS.Example.COM')).toEqual(
      opensshMatches('sisyphus.example.com', file),
    );
  });
});

describe.skipIf(tools.skip)(`patterns and hashing against ssh-keygen${tools.marker}`, () => {
  let dir = '';
  const ed = () => readFileSync(vector('ed25519_1.pub'), 'utf8').trim();

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-known-hosts-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('negation, ? and mixed-case patterns', () => {
    const file = path.join(dir, 'patterns');
    const lines = [
      '*.example.com,!bad.example.com,!*.internal.example.com',
      'node??.cluster.test',
      'Upper.Example.NET,[upper.example.net]:2222',
      '!foo.example.com',
      'a*b*c.test,,',
      '[node*.cluster.test]:*',
      '!*.example.com,good.example.com',
    ];
    writeFileSync(file, lines.map((hosts) => `${hosts} ${ed()}\n`).join(''));
    const { entries, problems } = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(problems).toEqual([]);
    const cases: Array<[string, number]> = [
      ['good.example.com', 22],
      ['bad.example.com', 22],
      ['x.internal.example.com', 22],
      ['node01.cluster.test', 22],
      ['node1.cluster.test', 22],
      ['node001.cluster.test', 22],
      ['node01.cluster.test', 2222],
      ['upper.example.net', 22],
      ['upper.example.net', 2222],
      ['foo.example.com', 22],
      ['abxbc.test', 22],
      ['ac.test', 22],
    ];
    for (const [host, port] of cases) {
      const name = port === 22 ? host : `[${host}]:${String(port)}`;
      expect(ours(entries, host, port), name).toEqual(opensshMatches(name, file));
    }
  });

  it('hashed lines written by ssh-keygen -H', () => {
    const file = path.join(dir, 'hashed');
    const hosts = [
      'alpha.example.com',
      'beta.example.com,192.0.2.10',
      '[alpha.example.com]:2222',
      '[2001:db8::10]:2022',
      '*.wild.example.com',
    ];
    writeFileSync(file, hosts.map((h) => `${h} ${ed()}\n`).join(''));
    const run = spawnSync('ssh-keygen', ['-H', '-f', file], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    const { entries, problems } = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(problems).toEqual([]);
    // One hashed line per name; wildcards stay as they are.
    expect(entries.map((entry) => entry.hashed)).toEqual([true, true, true, true, true, false]);
    const cases: Array<[string, number]> = [
      ['alpha.example.com', 22],
      ['alpha.example.com', 2222],
      ['beta.example.com', 22],
      ['192.0.2.10', 22],
      ['2001:db8::10', 2022],
      ['2001:db8::10', 22],
      ['x.wild.example.com', 22],
      ['gamma.example.com', 22],
    ];
    for (const [host, port] of cases) {
      const name = port === 22 ? host : `[${host}]:${String(port)}`;
      const expected = opensshMatches(name, file);
      expect(ours(entries, host, port), name).toEqual(expected);
    }
    expect(ours(entries, 'alpha.example.com')).toEqual(['1']);
  });

  it('formatKnownHostsLine writes lines ssh-keygen finds', () => {
    const file = path.join(dir, 'ours');
    const key = keyOf('ed25519_2');
    const lines = [
      formatKnownHostsLine('plain.example.com', 22, key),
      formatKnownHostsLine('Port.Example.com', 2222, key),
      formatKnownHostsLine('hashed.example.com', 22, key, { hashed: true }),
      formatKnownHostsLine('2001:db8::20', 2022, key, { hashed: true }),
      formatKnownHostsLine('ca.example.com', 22, key, { marker: 'cert-authority' }),
    ];
    expect(lines[0]).toBe(`plain.example.com ssh-ed25519 ${key.blob.toString('base64')}`);
    expect(lines[1]?.startsWith('[port.example.com]:2222 ssh-ed25519 ')).toBe(true);
    expect(lines[4]?.startsWith('@cert-authority ca.example.com ')).toBe(true);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { entries, problems } = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(problems).toEqual([]);
    const cases: Array<[string, number, string[]]> = [
      ['plain.example.com', 22, ['1']],
      ['port.example.com', 2222, ['2']],
      ['port.example.com', 22, []],
      ['hashed.example.com', 22, ['3']],
      ['2001:db8::20', 2022, ['4']],
      ['ca.example.com', 22, ['5 CA']],
    ];
    for (const [host, port, want] of cases) {
      const name = port === 22 ? host : `[${host}]:${String(port)}`;
      expect(opensshMatches(name, file), name).toEqual(want);
      expect(ours(entries, host, port), name).toEqual(want);
    }
  });
});

describe('hashing and formatting', () => {
  it('hashes like OpenSSH: HMAC-SHA1 keyed with the salt', () => {
    const salt = Buffer.alloc(20, 7);
    const hashed = hashHostName('host.example.com', salt);
    expect(hashed).toMatch(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}=$/);
    expect(hashHostName('host.example.com', salt)).toBe(hashed);
    expect(hashHostName('host.example.com')).not.toBe(hashed);
    expect(() => hashHostName('x', Buffer.alloc(8))).toThrow(/20 bytes/);
  });

  it('refuses names that would become patterns or extra fields', () => {
    const key = parsePublicKeyLine(readFileSync(vector('ed25519_1.pub'), 'utf8'));
    for (const bad of ['', 'a b', 'a,b', '*.x', '!x', '[x]:22', 'x#y']) {
      expect(() => formatKnownHostsLine(bad, 22, key), bad).toThrow(RangeError);
    }
  });

  it('reports malformed hashed names and markers without failing the file', () => {
    const key = readFileSync(vector('ed25519_1.pub'), 'utf8').trim();
    const text = [
      `|1|notbase64!|abc ${key}`,
      `|1|AAAA|abc ${key}`,
      `|2|${Buffer.alloc(20).toString('base64')}|abc ${key}`,
      `@revoked @revoked host ${key}`,
      `@cert-authority`,
      `host # just a comment`,
      `host ${key}\r`,
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text);
    expect(problems.map((p) => p.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries.map((entry) => entry.line)).toEqual([7]);
  });
});

describe('checkHostKey on the OpenSSH vectors', () => {
  const { entries } = parseKnownHosts(readFileSync(vector('known_hosts'), 'utf8'));

  it('known: the key is listed for the host (plain, wildcard or hashed line)', () => {
    expect(checkHostKey(entries, 'sisyphus.example.com', 22, keyOf('ed25519_1'))).toMatchObject({
      status: 'known',
      entry: { line: 3 },
    });
    expect(checkHostKey(entries, 'sisyphus.example.com', 22, keyOf('rsa_3')).entry?.line).toBe(14);
    expect(checkHostKey(entries, 'sisyphus.example.com', 22, keyOf('ecdsa_5')).entry?.line).toBe(
      17,
    );
    expect(checkHostKey(entries, '192.0.2.1', 22, keyOf('ed25519_6')).status).toBe('known');
  });

  it('revoked: an @revoked line for the host holds the key', () => {
    const check = checkHostKey(entries, 'sisyphus.example.com', 22, keyOf('ed25519_4'));
    expect(check).toMatchObject({ status: 'revoked', entry: null });
  });

  it('changed: another key of the same type is known', () => {
    const check = checkHostKey(entries, 'sisyphus.example.com', 22, keyOf('ed25519_2'));
    expect(check).toMatchObject({ status: 'changed', entry: { line: 3 } });
  });

  it('unknown: no key of that type, or the host is not listed', () => {
    // sisyphus knows nistp384 and nistp256 keys, not nistp521.
    expect(checkHostKey(entries, 'sisyphus.example.com', 22, keyOf('ecdsa_2')).status).toBe(
      'unknown',
    );
    expect(checkHostKey(entries, 'nowhere.example.org', 22, keyOf('ed25519_1')).status).toBe(
      'unknown',
    );
    expect(checkHostKey(entries, 'sisyphus.example.com', 2222, keyOf('ed25519_1')).status).toBe(
      'unknown',
    );
  });

  it('lists the @cert-authority lines that apply to the host', () => {
    const prometheus = checkHostKey(entries, 'prometheus.example.com', 22, keyOf('ed25519_2'));
    expect(prometheus.status).toBe('known');
    expect(prometheus.authorities.map((entry) => entry.line)).toEqual([34]);
    expect(fingerprintSha256(prometheus.authorities[0]?.key.blob ?? Buffer.alloc(0))).toBe(
      fingerprintSha256(keyOf('ecdsa_4').blob),
    );
    expect(
      checkHostKey(entries, 'sisyphus.example.com', 22, keyOf('ed25519_1')).authorities,
    ).toEqual([]);
  });

  it('drops a CA that is @revoked for the host', () => {
    const ca = readFileSync(vector('ecdsa_4.pub'), 'utf8').trim();
    const { entries: own } = parseKnownHosts(
      `@cert-authority *.example.com ${ca}\n@revoked bad.example.com ${ca}\n`,
    );
    const key = keyOf('ed25519_1');
    expect(checkHostKey(own, 'good.example.com', 22, key).authorities).toHaveLength(1);
    expect(checkHostKey(own, 'bad.example.com', 22, key).authorities).toEqual([]);
  });
});
