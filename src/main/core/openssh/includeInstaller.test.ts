import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installInclude, isIncludeInstalled, removeInclude } from './includeInstaller';
import { caPatterns, certAuthorityLines, mergeKnownHosts } from './knownHosts';

let home: string;
let target: string;
const now = () => new Date('2025-01-02T03:04:05.678Z');
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'onehop-include-'));
  target = path.join(home, '.ssh', 'onehop', 'config');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('Include installer', () => {
  it('creates ~/.ssh (0700) and config (0600) when absent, and removal leaves an empty file', async () => {
    const result = await installInclude({ homeDir: home, target, now });
    expect(result).toMatchObject({ changed: true, backupPath: null });
    expect(statSync(path.join(home, '.ssh')).mode & 0o777).toBe(0o700);
    expect(statSync(result.path).mode & 0o777).toBe(0o600);
    const text = readFileSync(result.path, 'utf8');
    expect(text).toMatch(
      /^# >>> onehop >>>[^\n]*\nInclude \S+\/\.ssh\/onehop\/config\n# <<< onehop <<<\n$/,
    );
    expect(await isIncludeInstalled(home)).toBe(true);
    expect((await removeInclude({ homeDir: home, now })).changed).toBe(true);
    expect(readFileSync(result.path, 'utf8')).toBe('');
  });

  it('puts the block at the top, backs up first, is idempotent and removes byte-exactly', async () => {
    mkdirSync(path.join(home, '.ssh'), { mode: 0o755 });
    const file = path.join(home, '.ssh', 'config');
    // CRLF, no final newline, and bytes that are not UTF-8.
    const original = Buffer.concat([
      Buffer.from('Host a\r\n  User b\r\n# caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('\r\nHost *\r\n  ServerAliveInterval 5'),
    ]);
    writeFileSync(file, original);
    chmodSync(file, 0o640);
    const first = await installInclude({ homeDir: home, target, now });
    expect(first.backupPath).toBe(`${file}.onehop-backup-2025-01-02T03-04-05-678Z`);
    expect(readFileSync(first.backupPath!)).toEqual(original);
    const installed = readFileSync(file);
    expect(installed.toString('latin1')).toMatch(
      /^# >>> onehop >>>[^\r]*\r\nInclude [^\r]+\r\n# <<< onehop <<<\r\nHost a/,
    );
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(statSync(path.join(home, '.ssh')).mode & 0o777).toBe(0o755);

    const second = await installInclude({ homeDir: home, target, now });
    expect(second).toMatchObject({ changed: false, backupPath: null });
    expect(readFileSync(file)).toEqual(installed);

    const removed = await removeInclude({ homeDir: home, now });
    expect(removed.changed).toBe(true);
    expect(readFileSync(file)).toEqual(original);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect((await removeInclude({ homeDir: home, now })).changed).toBe(false);
    // No temp files left behind.
    expect(readdirSync(path.join(home, '.ssh')).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('edits the target of a symlinked config instead of replacing the link', async () => {
    mkdirSync(path.join(home, '.ssh'));
    const real = path.join(home, 'dotfiles-config');
    writeFileSync(real, 'Host x\n');
    symlinkSync(real, path.join(home, '.ssh', 'config'));
    await installInclude({ homeDir: home, target, now });
    expect(readFileSync(real, 'utf8')).toContain('# >>> onehop >>>');
    await removeInclude({ homeDir: home, now });
    expect(readFileSync(real, 'utf8')).toBe('Host x\n');
  });
});

describe('known_hosts for OpenSSH', () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
  it('covers proxy, cluster, patterns and host names, bare and on any port', () => {
    const patterns = caPatterns({
      proxyHost: 'Jump.Example.org',
      clusterNames: ['lab'],
      hostPatterns: ['hpc-*'],
      hostNames: ['hpc-login', 'hpc-login'],
    });
    expect(patterns).toEqual([
      'jump.example.org',
      '[jump.example.org]:*',
      'lab',
      '[lab]:*',
      '*.lab',
      '[*.lab]:*',
      'hpc-*',
      '[hpc-*]:*',
      'hpc-login',
      '[hpc-login]:*',
    ]);
    expect(certAuthorityLines('lab', [`${key} host-ca`], ['a', 'b'])).toEqual([
      `@cert-authority a,b ${key} onehop:lab`,
    ]);
  });

  it('replaces one site, keeps others and foreign lines, merges the keys trusted in OneHop', () => {
    const one = mergeKnownHosts(null, 'a', [`@cert-authority x ${key} onehop:a`], null);
    const two = mergeKnownHosts(
      `${one}user-added ${key}\n`,
      'b',
      [`@cert-authority y ${key} onehop:b`],
      `[h]:2222 ${key}\nnot a line\n`,
    );
    expect(two).toContain(`@cert-authority x ${key} onehop:a`);
    expect(two).toContain(`@cert-authority y ${key} onehop:b`);
    expect(two).toContain(`user-added ${key}`);
    expect(two).toContain(
      `# >>> onehop trusted keys >>>\n[h]:2222 ${key}\n# <<< onehop trusted keys <<<`,
    );
    expect(two).not.toContain('not a line');
    const removed = mergeKnownHosts(two, 'a', null, '');
    expect(removed).not.toContain('onehop:a');
    expect(removed).toContain('onehop:b');
    expect(removed).not.toContain('trusted keys');
    expect(removed).toContain(`user-added ${key}`);
    expect(mergeKnownHosts(removed, 'b', [`@cert-authority y ${key} onehop:b`], '')).toBe(removed);
  });
});
